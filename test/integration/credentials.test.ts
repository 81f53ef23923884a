/**
 * Credentials through the extension's own code path against the real engine: the commands
 * (with a fake editor and a map as SecretStorage) drive a real core, the real image's
 * agent-config helper and the real CLIs. A token with quotes, a backslash and non-ASCII
 * characters must arrive byte for byte where it belongs and nowhere else (C6).
 */
import { addFolder, fake } from '../unit/support/fakeVscode';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as vscode from 'vscode';
import type { CommandContext } from '../../src/commands/commandContext';
import { registerCommands } from '../../src/commands/registerCommands';
import { createCore, type ContainerInfo, type Core } from '../../src/core';
import { CredentialStore } from '../../src/credentials/credentialStore';
import type { WorkspaceCores } from '../../src/editor/workspaceCores';
import { setLogger } from '../../src/log';
import { runCapture } from '../../src/session/execCapture';
import type { ToolTerminal } from '../../src/session/toolTerminal';
import { CONTAINER_HOME } from '../../src/tools/registry';
import {
    docker,
    removeTestObjects,
    TEST_LABEL,
    testNamespace,
    testSettings,
} from '../support/docker';
import { TerminalDriver } from '../support/terminal';

const TOKEN = 'ab"c\\d-é-✓\'$(x)';
/** The token as it could appear anywhere: raw, JSON-escaped, base64, and its odd middle. */
const TOKEN_FORMS = [
    TOKEN,
    JSON.stringify(TOKEN).slice(1, -1),
    Buffer.from(TOKEN).toString('base64'),
    'c\\d-é-✓',
];
const CLAUDE = `${CONTAINER_HOME}/.claude`;
const CODEX = `${CONTAINER_HOME}/.codex`;
const OPENCODE_DATA = `${CONTAINER_HOME}/.local/share/opencode`;
const MARKER = '.agent-containers-credential.json';
const C6_SETTINGS = '{"model":"opus","mcpServers":{"x":{"command":"y"}}}';
const OWN_LOGIN = '{"claudeAiOauth":{"accessToken":"own-login","refreshToken":"r"}}\n';

const namespace = testNamespace('cred');
const root = mkdtempSync(join(tmpdir(), 'agent-cred-'));
const workspace = join(root, 'work');
const logLines: string[] = [];
const secrets = new Map<string, string>();
let core: Core;
let info: ContainerInfo;

const run = (id: string, ...args: unknown[]) =>
    fake.commands.get(`agentContainers.${id}`)!(...args) as Promise<void>;

async function inContainer(argv: string[], options: { user?: string; input?: string } = {}) {
    const result = await runCapture(docker.getContainer(info.id), argv, {
        user: options.user ?? 'hagicode',
        input: options.input,
    });
    assert.equal(result.exitCode, 0, `${argv.join(' ')}: ${result.stderr}`);
    return result.stdout;
}

const writeFile = (path: string, text: string) =>
    inContainer(['sh', '-c', 'cat > "$1"', 'sh', path], { input: text });

/** The file's exact bytes, or undefined when it does not exist. */
async function readBytes(path: string): Promise<Buffer | undefined> {
    const out = await inContainer([
        'sh',
        '-c',
        '[ -e "$1" ] && base64 -w0 "$1" || true',
        'sh',
        path,
    ]);
    return out === '' ? undefined : Buffer.from(out, 'base64');
}

async function readJson(path: string): Promise<Record<string, unknown>> {
    const bytes = await readBytes(path);
    assert.ok(bytes, `${path} exists`);
    return JSON.parse(bytes.toString('utf8'));
}

const ownerAndMode = (path: string) =>
    inContainer(['stat', '-c', '%u:%g %a', path]).then((out) => out.trim());

/**
 * The environments of the processes running `name` (as argv[0], or argv[1] of an
 * interpreter), never this probe itself. Read as the container user: root without
 * CAP_SYS_PTRACE may not read another user's /proc/<pid>/environ.
 */
async function processEnvironments(name: string): Promise<Record<string, string>[]> {
    const script =
        'for p in /proc/[0-9]*; do [ "$p" = "/proc/$$" ] && continue; ' +
        'args=$(tr "\\000" "\\n" < "$p/cmdline" 2>/dev/null | head -n 2 | ' +
        'while read -r a; do basename -- "$a"; done); ' +
        'printf "%s\\n" "$args" | grep -qx -- "$1" || continue; ' +
        'base64 -w0 "$p/environ" 2>/dev/null; echo; done';
    const out = await inContainer(['sh', '-c', script, 'sh', name]);
    return out
        .split('\n')
        .filter(Boolean)
        .map((line) => {
            const entries = Buffer.from(line, 'base64').toString('utf8').split('\0');
            return Object.fromEntries(
                entries
                    .filter(Boolean)
                    .map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]),
            );
        });
}

/** Opens the terminal the last command made, as the editor would. */
function openLastTerminal(): TerminalDriver {
    const { pty } = fake.terminals.at(-1)!;
    return new TerminalDriver(pty as ToolTerminal).open(100, 30);
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
    const deadline = Date.now() + 30_000;
    for (;;) {
        const value = await probe();
        if (value !== undefined) return value;
        assert.ok(Date.now() < deadline, `timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
    }
}

function assertNoToken(what: string, text: string): void {
    for (const form of TOKEN_FORMS) assert.ok(!text.includes(form), `${what} holds the token`);
}

function filesUnder(dir: string): string[] {
    return readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        return statSync(path).isDirectory() ? filesUnder(path) : [path];
    });
}

describe(
    'credentials through the extension against the real engine',
    { timeout: 15 * 60_000 },
    () => {
        before(async () => {
            mkdirSync(workspace, { recursive: true });
            const write = (level: string) => (message: string | Error) =>
                logLines.push(`[${level}] ${message instanceof Error ? message.message : message}`);
            setLogger({
                trace: write('trace'),
                debug: write('debug'),
                info: write('info'),
                warn: write('warn'),
                error: write('error'),
            });
            core = createCore({
                settings: testSettings(),
                namespace,
                workspaceFolder: workspace,
                labels: { [TEST_LABEL]: namespace },
            });
            fake.reset();
            addFolder(workspace);
            const context: CommandContext = {
                cores: { get: () => core } as unknown as WorkspaceCores,
                output: vscode.window.createOutputChannel('Agent Containers', { log: true }),
                credentials: new CredentialStore({
                    get: async (key) => secrets.get(key),
                    store: async (key, value) => void secrets.set(key, value),
                    delete: async (key) => void secrets.delete(key),
                }),
            };
            registerCommands(context);

            const started = Date.now();
            info = await core.ensureContainer();
            console.log(`image and container: ${((Date.now() - started) / 1000).toFixed(1)} s`);
        });

        after(async () => {
            core?.dispose();
            await removeTestObjects(namespace);
            if (info) {
                // noprune keeps the layers other test files build from cache.
                await docker
                    .getImage(info.image)
                    .remove({ noprune: true })
                    .catch(() => undefined);
            }
            rmSync(root, { recursive: true, force: true });
        });

        it('C6: Set Claude Credential merges the token into the user settings.json', async () => {
            await writeFile(`${CLAUDE}/settings.json`, C6_SETTINGS);
            await writeFile(`${CLAUDE}/.credentials.json`, OWN_LOGIN);
            const before = await readBytes(`${CLAUDE}/.claude.json`);
            const stateBefore = before ? JSON.parse(before.toString()) : {};
            assert.notEqual(
                stateBefore.hasCompletedOnboarding,
                true,
                'no onboarding without a credential',
            );

            fake.pickAnswers.push('Gateway token and base URL');
            fake.inputAnswers.push('https://gw.example', TOKEN);
            const started = Date.now();
            await run('setCredential.claude');
            console.log(`set and inject: ${Date.now() - started} ms`);
            assert.deepEqual(fake.errors, []);
            const stored = JSON.parse(secrets.get('agentContainers.credential.claude')!);
            assert.equal(stored.values.ANTHROPIC_AUTH_TOKEN, TOKEN, 'kept in SecretStorage only');

            const settingsBytes = (await readBytes(`${CLAUDE}/settings.json`))!;
            const settings = JSON.parse(settingsBytes.toString('utf8'));
            assert.deepEqual(settings, {
                model: 'opus',
                mcpServers: { x: { command: 'y' } },
                env: { ANTHROPIC_BASE_URL: 'https://gw.example', ANTHROPIC_AUTH_TOKEN: TOKEN },
            });
            assert.ok(Buffer.from(settings.env.ANTHROPIC_AUTH_TOKEN).equals(Buffer.from(TOKEN)));
            assert.equal(
                await ownerAndMode(`${CLAUDE}/settings.json`),
                `${info.uid}:${info.gid} 600`,
            );
            const state = await readJson(`${CLAUDE}/.claude.json`);
            assert.equal(state.hasCompletedOnboarding, true);
            assert.equal(await ownerAndMode(`${CLAUDE}/${MARKER}`), `${info.uid}:${info.gid} 600`);
            assertNoToken('the marker', (await readBytes(`${CLAUDE}/${MARKER}`))!.toString());
            assert.equal((await readBytes(`${CLAUDE}/.credentials.json`))!.toString(), OWN_LOGIN);
        });

        it('the token reaches the Claude session environment byte for byte', async () => {
            await run('open.claude');
            const terminal = openLastTerminal();
            try {
                const env = await waitFor('the Claude session', async () =>
                    (await processEnvironments('claude')).find((e) => 'ANTHROPIC_AUTH_TOKEN' in e),
                );
                assert.ok(Buffer.from(env.ANTHROPIC_AUTH_TOKEN, 'utf8').equals(Buffer.from(TOKEN)));
                assert.equal(env.ANTHROPIC_BASE_URL, 'https://gw.example');
                await terminal.waitFor(/Claude Code|Welcome|API key|trust/i, 60_000);
            } finally {
                terminal.terminal.close();
            }
        });

        it('the token is in no inspect output, image history, log line or settings file', async () => {
            const container = await docker.getContainer(info.id).inspect();
            assertNoToken('docker inspect of the container', JSON.stringify(container));
            assert.ok((container.ExecIDs ?? []).length > 0, 'execs to look at');
            for (const id of container.ExecIDs ?? []) {
                assertNoToken(
                    'docker inspect of an exec',
                    JSON.stringify(await docker.getExec(id).inspect()),
                );
            }
            const image = docker.getImage(info.image);
            assertNoToken('docker inspect of the image', JSON.stringify(await image.inspect()));
            assertNoToken('docker history of the image', JSON.stringify(await image.history()));

            assert.ok(
                logLines.some((line) => line.startsWith('[debug] Docker: exec')),
                'log captured',
            );
            assertNoToken('the log', logLines.join('\n'));
            assertNoToken('the editor settings', JSON.stringify([...fake.configuration]));
            assertNoToken('files the editor wrote', JSON.stringify([...fake.files]));
            assertNoToken(
                'what the editor showed',
                JSON.stringify([fake.infos, fake.warnings, fake.errors, fake.progress]),
            );
            for (const path of filesUnder(workspace))
                assertNoToken(path, readFileSync(path, 'utf8'));
            for (const path of filesUnder(root)) assertNoToken(path, readFileSync(path, 'utf8'));
        });

        it('Show Sign-in Status tells what is stored, injected and the own login', async () => {
            fake.pickAnswers.push(undefined);
            await run('showSignInStatus');
            const list = fake.quickPicks.at(-1)!;
            assert.equal(
                list.items[0].description,
                'Gateway token and base URL stored and injected · own login in the volume',
            );
            assert.equal(list.items[1].description, 'no stored credential');
            assertNoToken('the status', JSON.stringify(list));
        });

        it('Clear removes what was injected and keeps the own login and the user keys', async () => {
            const settings = await readJson(`${CLAUDE}/settings.json`);
            const env = { ...(settings.env as object), MY_OWN_KEY: 'mine' };
            await writeFile(`${CLAUDE}/settings.json`, JSON.stringify({ ...settings, env }));

            await run('clearCredential.claude');
            assert.deepEqual(fake.errors, []);
            assert.deepEqual(await readJson(`${CLAUDE}/settings.json`), {
                model: 'opus',
                mcpServers: { x: { command: 'y' } },
                env: { MY_OWN_KEY: 'mine' },
            });
            assert.equal((await readBytes(`${CLAUDE}/.credentials.json`))!.toString(), OWN_LOGIN);
            assert.equal(await readBytes(`${CLAUDE}/${MARKER}`), undefined);
            // The own login is there, so onboarding stays done.
            assert.equal((await readJson(`${CLAUDE}/.claude.json`)).hasCompletedOnboarding, true);
            assert.equal(secrets.size, 0);
        });

        it('without an own login, clearing also undoes the onboarding it skipped', async () => {
            await inContainer([
                'rm',
                '-f',
                `${CLAUDE}/.credentials.json`,
                `${CLAUDE}/.claude.json`,
            ]);
            fake.pickAnswers.push('Anthropic API key');
            fake.inputAnswers.push(TOKEN);
            await run('setCredential.claude');
            assert.equal((await readJson(`${CLAUDE}/.claude.json`)).hasCompletedOnboarding, true);
            await run('clearCredential.claude');
            assert.equal(
                (await readJson(`${CLAUDE}/.claude.json`)).hasCompletedOnboarding,
                undefined,
            );
            assert.deepEqual((await readJson(`${CLAUDE}/settings.json`)).env, {
                MY_OWN_KEY: 'mine',
            });
        });

        it('Codex: the key goes through codex login on stdin into auth.json, mode 600', async () => {
            fake.inputAnswers.push(TOKEN);
            await run('setCredential.codex');
            assert.deepEqual(fake.errors, []);
            const auth = await readJson(`${CODEX}/auth.json`);
            assert.equal(auth.auth_mode, 'apikey');
            assert.ok(Buffer.from(auth.OPENAI_API_KEY as string).equals(Buffer.from(TOKEN)));
            assert.equal(await ownerAndMode(`${CODEX}/auth.json`), `${info.uid}:${info.gid} 600`);
            // `codex login status` is not asked: 0.171.0 panics masking a key with non-ASCII
            // characters ("end byte index 8 is not a char boundary"); real keys are ASCII.

            // No exec ever had the key on its command line.
            const container = await docker.getContainer(info.id).inspect();
            for (const id of container.ExecIDs ?? []) {
                assertNoToken('an exec', JSON.stringify(await docker.getExec(id).inspect()));
            }
            assertNoToken('the log', logLines.join('\n'));
        });

        it('Codex sessions get no OPENAI_API_KEY in their environment', async () => {
            await run('open.codex');
            const terminal = openLastTerminal();
            try {
                const envs = await waitFor('the Codex session', async () => {
                    const found = await processEnvironments('codex');
                    return found.some((e) => e.CODEX_HOME) ? found : undefined;
                });
                for (const env of envs) assert.equal(env.OPENAI_API_KEY, undefined);
            } finally {
                terminal.terminal.close();
            }
        });

        it('Codex: clearing logs the injected key out, but keeps a ChatGPT login made since', async () => {
            await run('clearCredential.codex');
            assert.equal(await readBytes(`${CODEX}/auth.json`), undefined);

            fake.inputAnswers.push(TOKEN);
            await run('setCredential.codex');
            const chatgpt =
                '{"auth_mode":"chatgpt","OPENAI_API_KEY":null,"tokens":{"id_token":"i"}}';
            await writeFile(`${CODEX}/auth.json`, chatgpt);
            await run('clearCredential.codex');
            assert.equal((await readBytes(`${CODEX}/auth.json`))!.toString(), chatgpt);
            assert.equal(await readBytes(`${CODEX}/${MARKER}`), undefined);
        });

        it('OpenCode: the provider key is merged into auth.json and cleared alone', async () => {
            const own = { openai: { type: 'oauth', refresh: 'r', access: 'a', expires: 1 } };
            await inContainer(['mkdir', '-p', OPENCODE_DATA]);
            await writeFile(`${OPENCODE_DATA}/auth.json`, JSON.stringify(own));

            // Stored while the container is stopped, handed over when OpenCode opens.
            await core.stop();
            fake.pickAnswers.push('OpenRouter API key');
            fake.inputAnswers.push(TOKEN);
            await run('setCredential.opencode');
            assert.match(fake.infos.at(-1)!, /gets it when it next opens/);
            await run('open.opencode');
            openLastTerminal().terminal.close();
            assert.deepEqual(fake.errors, []);
            assert.deepEqual(fake.warnings, []);
            assert.deepEqual(await readJson(`${OPENCODE_DATA}/auth.json`), {
                ...own,
                openrouter: { type: 'api', key: TOKEN },
            });
            assert.equal(
                await ownerAndMode(`${OPENCODE_DATA}/auth.json`),
                `${info.uid}:${info.gid} 600`,
            );
            // OpenCode itself reads the merged file.
            const list = await inContainer(['timeout', '30', 'opencode', 'auth', 'list']);
            assert.match(list, /OpenRouter/);
            assertNoToken('opencode auth list', list);

            await run('clearCredential.opencode');
            assert.deepEqual(await readJson(`${OPENCODE_DATA}/auth.json`), own);
        });

        it('Codex browser sign-in: the host port 1455 reaches the login server inside', async () => {
            fake.pickAnswers.push("Sign in with ChatGPT in this machine's browser");
            await run('signIn.codex');
            const made = fake.terminals.at(-1)!;
            const terminal = openLastTerminal();
            try {
                await terminal.waitFor(/redirect_uri=http%3A%2F%2F127\.0\.0\.1%3A1455/, 60_000);
                // The container has no network at all; only the relay can reach Codex's server.
                const response = await fetch('http://127.0.0.1:1455/auth/callback?code=x&state=y');
                assert.equal(response.status, 400);
                assert.match(await response.text(), /State mismatch/);
            } finally {
                terminal.terminal.close();
                made.dispose!();
            }
            await assert.rejects(
                fetch('http://127.0.0.1:1455/'),
                'the relay stops with the terminal',
            );
        });

        it('nothing logged the token at any level, from the first step to the last', () => {
            const stored = '[info] Stored the opencode credential (openrouter: provider, key)';
            assert.ok(logLines.includes(stored), 'the log was captured to the end');
            assertNoToken('the log', logLines.join('\n'));
        });

        it('Sign In to Claude runs its own login: a URL to open anywhere, a code to paste', async () => {
            fake.pickAnswers.push('Sign in with your Claude account');
            await run('signIn.claude');
            assert.equal(fake.terminals.at(-1)!.name, 'Claude Sign-in');
            const terminal = openLastTerminal();
            try {
                await terminal.waitFor(/https:\/\/claude\.ai\/oauth\/authorize\S*/, 60_000);
                await terminal.waitFor(/Paste code here/, 30_000);
            } finally {
                terminal.terminal.close();
            }
        });
    },
);
