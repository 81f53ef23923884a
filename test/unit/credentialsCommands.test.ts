/**
 * The credential commands against a fake editor and a core double: what is asked, what
 * lands in secret storage, what reaches the container and the terminal, and that no
 * secret shows up in a message or the log.
 */
import { addFolder, fake } from './support/fakeVscode';
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import * as vscode from 'vscode';
import type { CommandContext } from '../../src/commands/commandContext';
import { registerCommands } from '../../src/commands/registerCommands';
import type { ContainerState, ExecOptions } from '../../src/core';
import { CredentialStore } from '../../src/credentials/credentialStore';
import type { WorkspaceCores } from '../../src/editor/workspaceCores';
import { setLogger } from '../../src/log';

const TOKEN = 'ab"c\\d-é-✓\'$(x)';

/** vscode.SecretStorage in a map. */
class MapSecrets {
    readonly map = new Map<string, string>();
    async get(key: string) {
        return this.map.get(key);
    }
    async store(key: string, value: string) {
        this.map.set(key, value);
    }
    async delete(key: string) {
        this.map.delete(key);
    }
}

/** The part of a core the credential commands use, recording what they ask. */
class CoreDouble {
    state: ContainerState = 'running';
    volumes = ['agent-containers-claude'];
    execs: { argv: readonly string[]; options?: ExecOptions }[] = [];
    terminals: { target: string; options: unknown }[] = [];
    ensured = 0;
    answer = (argv: readonly string[]) =>
        argv[1] === 'credential-status'
            ? JSON.stringify({
                  claude: {
                      injected: null,
                      ownLogin: true,
                      ownLoginDetail: '.credentials.json',
                      notes: [],
                  },
              })
            : `agent-config: ${argv[2]} credential written (X)`;

    async containerState() {
        return this.state;
    }
    async ensureImage() {
        return 'image';
    }
    async ensureContainer() {
        this.ensured++;
        this.state = 'running';
        return { id: 'c1', name: 'c', image: 'image', workspacePath: '/w/one', uid: 1, gid: 1 };
    }
    async exec(argv: readonly string[], options?: ExecOptions) {
        this.execs.push({ argv, options });
        return { exitCode: 0, stdout: `${this.answer(argv)}\n`, stderr: '' };
    }
    async toolVolumes() {
        return this.volumes;
    }
    openTerminal(target: string, options: unknown) {
        this.terminals.push({ target, options });
        return { target };
    }
}

let core: CoreDouble;
let secrets: MapSecrets;
let logLines: string[];
const run = (id: string, ...args: unknown[]) =>
    fake.commands.get(`agentContainers.${id}`)!(...args);

/** Everything the user or the log could see. */
function everythingShown(): string {
    return JSON.stringify([
        fake.infos,
        fake.warnings,
        fake.errors,
        fake.quickPicks,
        fake.progress,
        logLines,
    ]);
}

beforeEach(() => {
    fake.reset();
    addFolder('/w/one');
    core = new CoreDouble();
    secrets = new MapSecrets();
    logLines = [];
    const write = (message: string | Error) => logLines.push(String(message));
    setLogger({ trace: write, debug: write, info: write, warn: write, error: write });
    const context: CommandContext = {
        cores: { get: () => core } as unknown as WorkspaceCores,
        output: vscode.window.createOutputChannel('Agent Containers', { log: true }),
        credentials: new CredentialStore(secrets),
    };
    registerCommands(context);
});

describe('Set Credential', () => {
    it('asks the kind, then each field (secrets hidden), stores and hands it over', async () => {
        fake.pickAnswers.push('Gateway token and base URL');
        fake.inputAnswers.push('https://gw.example', TOKEN);
        await run('setCredential.claude');

        assert.deepEqual(
            fake.quickPicks[0].items.map((item) => item.label),
            ['Anthropic API key', 'Gateway token and base URL', 'Subscription token'],
        );
        assert.deepEqual(
            fake.inputBoxes.map((box) => [box.prompt, box.password]),
            [
                ['Gateway base URL', false],
                ['Gateway token', true],
            ],
        );
        const stored = JSON.parse(secrets.map.get('agentContainers.credential.claude')!);
        assert.deepEqual(stored.values, {
            ANTHROPIC_BASE_URL: 'https://gw.example',
            ANTHROPIC_AUTH_TOKEN: TOKEN,
        });
        assert.equal(stored.kind, 'gateway');

        assert.deepEqual(core.execs[0].argv, ['agent-config', 'credential-set', 'claude']);
        assert.equal(JSON.parse(core.execs[0].options!.input!).values.ANTHROPIC_AUTH_TOKEN, TOKEN);
        assert.match(fake.infos[0], /passed it to the container/);
        assert.ok(!everythingShown().includes('ab\\"c'), 'no secret shown');
        assert.ok(!everythingShown().includes('✓'), 'no secret shown');
    });

    it('stores for later when the container is not running, and Codex needs no kind pick', async () => {
        core.state = 'stopped';
        fake.inputAnswers.push(TOKEN);
        await run('setCredential.codex');
        assert.equal(fake.quickPicks.length, 0);
        assert.equal(core.execs.length, 0);
        assert.match(fake.infos[0], /gets it when it next opens/);
        assert.ok(secrets.map.has('agentContainers.credential.codex'));
    });

    it('says the credential is stored when the running container refuses it', async () => {
        core.exec = async () => ({
            exitCode: 1,
            stdout: '',
            stderr: `agent-config: ${'/x/settings.json'} is not valid JSON\n`,
        });
        fake.inputAnswers.push(TOKEN);
        await run('setCredential.codex');
        assert.ok(secrets.map.has('agentContainers.credential.codex'));
        assert.match(
            fake.errors[0].message,
            /^Set Codex credential failed: Stored the credential, but/,
        );
        assert.match(fake.errors[0].message, /not valid JSON/);
    });

    it('stores nothing when a box is dismissed or the value is refused', async () => {
        fake.pickAnswers.push('Anthropic API key');
        fake.inputAnswers.push(undefined);
        await run('setCredential.claude');
        fake.pickAnswers.push('Anthropic API key');
        fake.inputAnswers.push('sk-one\nsk-two');
        await run('setCredential.claude');
        assert.match(fake.inputBoxes[1].problem!, /one line/);
        assert.equal(secrets.map.size, 0);
        assert.equal(core.execs.length, 0);
    });
});

describe('opening a tool', () => {
    it('hands the stored credential over and gives Claude it as its environment', async () => {
        fake.pickAnswers.push('Anthropic API key');
        fake.inputAnswers.push(TOKEN);
        core.state = 'stopped';
        await run('setCredential.claude');
        await run('open.claude');
        assert.deepEqual(core.execs[0].argv, ['agent-config', 'credential-set', 'claude']);
        assert.deepEqual(core.terminals[0], {
            target: 'claude',
            options: { env: { ANTHROPIC_API_KEY: TOKEN } },
        });
        assert.ok(fake.progress[0].messages.includes('Passing the stored Claude credential'));
    });

    it('never gives Codex its key as environment, only its auth.json', async () => {
        fake.inputAnswers.push(TOKEN);
        await run('setCredential.codex');
        await run('open.codex');
        assert.deepEqual(core.terminals[0], { target: 'codex', options: { env: {} } });
    });

    it('opens without a credential and without any exec when none is stored', async () => {
        await run('open.claude');
        await run('openShell');
        assert.equal(core.execs.length, 0);
        assert.deepEqual(core.terminals[0].options, { env: {} });
    });

    it('still opens, with a warning, when the tool files refuse the credential', async () => {
        fake.pickAnswers.push('Anthropic API key');
        fake.inputAnswers.push(TOKEN);
        core.state = 'stopped';
        await run('setCredential.claude');
        core.exec = async (argv, options) => {
            core.execs.push({ argv, options });
            return {
                exitCode: 1,
                stdout: '',
                stderr: 'agent-config: settings.json is not valid JSON',
            };
        };
        await run('open.claude');
        assert.equal(core.terminals.length, 1);
        assert.match(fake.warnings[0].message, /not valid JSON/);
    });
});

describe('Clear Credential', () => {
    it('deletes the secret and removes exactly what was injected, giving the values', async () => {
        fake.inputAnswers.push(TOKEN);
        core.state = 'stopped';
        await run('setCredential.codex');
        await run('clearCredential.codex');
        assert.equal(secrets.map.size, 0);
        assert.equal(core.ensured, 1, 'started the container to reach the volume');
        const clear = core.execs.at(-1)!;
        assert.deepEqual(clear.argv, ['agent-config', 'credential-clear', 'codex']);
        assert.deepEqual(JSON.parse(clear.options!.input!), { values: { OPENAI_API_KEY: TOKEN } });
        assert.match(fake.infos.at(-1)!, /own login is kept/);
    });

    it('does not start anything when the tool has no volume yet', async () => {
        core.volumes = [];
        core.state = 'none';
        await run('clearCredential.opencode');
        assert.equal(core.ensured, 0);
        assert.equal(core.execs.length, 0);
        assert.equal(fake.infos[0], 'No stored OpenCode credential.');
    });
});

describe('Sign In and status', () => {
    it('runs the picked login of the tool in a terminal of its own', async () => {
        fake.pickAnswers.push('Sign in with your Claude account');
        await run('signIn.claude');
        assert.equal(fake.quickPicks[0].items[0].description, 'default');
        assert.deepEqual(core.terminals[0], {
            target: 'claude',
            options: { argv: ['claude', 'auth', 'login'] },
        });
        assert.equal(fake.terminals[0].name, 'Claude Sign-in');

        fake.pickAnswers.push('Sign in with ChatGPT (device code)');
        await run('signIn.codex');
        assert.equal(fake.quickPicks[1].items[0].description, 'default');
        assert.deepEqual(core.terminals[1].options, {
            argv: ['codex', 'login', '--device-auth'],
        });
    });

    it('still lists what is stored when an old image cannot report the volume', async () => {
        core.exec = async () => ({
            exitCode: 1,
            stdout: '',
            stderr: 'agent-config: usage: agent-config claude-credentials|codex-defaults\n',
        });
        fake.pickAnswers.push(undefined);
        await run('showSignInStatus');
        assert.deepEqual(fake.errors, []);
        const detail = fake.quickPicks[0].items[0].detail!;
        assert.match(detail, /Nothing stored in the editor · The volume could not be read/);
        assert.match(detail, /Rebuild the image/);
    });

    it('lists every tool with what is stored and found, and leads on to a command', async () => {
        fake.pickAnswers.push('Anthropic API key');
        fake.inputAnswers.push(TOKEN);
        core.state = 'stopped';
        await run('setCredential.claude');
        core.state = 'running';
        fake.pickAnswers.push('Claude', 'Sign In to Claude…', undefined);
        await run('showSignInStatus');

        const list = fake.quickPicks.find((pick) => pick.title === 'Sign-in Status')!;
        assert.deepEqual(
            list.items.map((item) => item.label),
            ['Claude', 'Codex', 'OpenCode'],
        );
        assert.equal(
            list.items[0].description,
            'Anthropic API key stored, injected when Claude next opens · own login in the volume',
        );
        assert.ok(fake.executed.some((call) => call.command === 'agentContainers.signIn.claude'));
        assert.ok(!everythingShown().includes('✓'));
    });
});
