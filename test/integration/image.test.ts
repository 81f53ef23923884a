// The agent image against the real engine: pinned CLIs, volumes that keep logins (C1-C4),
// credential injection (C6), Codex defaults (C10), OpenCode defaults and no secret in the
// image. Built once from the real build context; containers have no network.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TOOLS } from '../../src/tools/registry';
import { docker, removeTestObjects, testNamespace } from '../support/docker';
import {
    buildTestImage,
    createToolVolumes,
    exec,
    ownerAndMode,
    readContainerFile,
    startContainer,
    toolVolumes,
    waitForCommand,
    writeContainerFile,
} from './imageSupport';

const HOME = '/home/hagicode';
const MOCK_MODEL = readFileSync(join(__dirname, 'imageMockModel.mjs'), 'utf8');
const CLAUDE = `${HOME}/.claude`;

/** Parsed TOML as plain objects; smol-toml is ESM-only and gives null-prototype ones. */
async function parseToml(text: string): Promise<Record<string, unknown>> {
    const { parse } = await import('smol-toml');
    return JSON.parse(JSON.stringify(parse(text)));
}

/** Has Codex run one command, asked for by a stand-in model; returns the tool output it saw. */
async function codexRunsCommand(container: Awaited<ReturnType<typeof started>>, extra: string[]) {
    const port = String(8700 + Math.floor(Math.random() * 200));
    const provider = `{name="mock",base_url="http://127.0.0.1:${port}/v1",wire_api="responses",env_key="MOCK_API_KEY"}`;
    const result = await exec(
        container,
        [
            'bash',
            '-c',
            'node /tmp/model.mjs "$1" "id -u; echo ran-by-codex" /tmp/codex-output.log & sleep 0.5; shift; ' +
                'cd /tmp && rm -f /tmp/codex-output.log && timeout 120 codex exec --skip-git-repo-check "$@" "run it"; ' +
                'cat /tmp/codex-output.log',
            'bash',
            port,
            '-c',
            'model="mock"',
            '-c',
            'model_provider="mock"',
            '-c',
            `model_providers.mock=${provider}`,
            ...extra,
        ],
        { env: ['MOCK_API_KEY=not-a-key'] },
    );
    return result.stdout;
}

let image: string;
let namespace: string;

async function started(env: Record<string, string> = {}) {
    const container = await startContainer(image, namespace, { env });
    await waitForCommand(container);
    return container;
}

async function removed(container: Awaited<ReturnType<typeof started>>) {
    await container.remove({ force: true });
}

async function run(container: Awaited<ReturnType<typeof started>>, script: string) {
    return exec(container, ['bash', '-c', script]);
}

/** Each group of tests starts on brand-new tool volumes; the previous group's are removed. */
async function useFreshVolumes(what: string): Promise<void> {
    if (namespace) await removeTestObjects(namespace);
    namespace = testNamespace(what);
    await createToolVolumes(namespace);
}

describe('agent image', { timeout: 600_000 }, () => {
    before(async () => {
        const built = await buildTestImage();
        image = built.tag;
        console.log(`# image ${image} built in ${built.seconds.toFixed(1)} s`);
    });

    after(async () => {
        if (namespace) await removeTestObjects(namespace);
    });

    describe('CLIs', () => {
        before(() => useFreshVolumes('image'));

        it('has the programs the CLIs call at run time (Codex exits without ps)', async () => {
            const container = await started();
            try {
                for (const program of ['ps', 'git', 'tput']) {
                    const result = await exec(container, ['sh', '-c', `command -v ${program}`]);
                    assert.equal(result.exitCode, 0, `${program} is missing from the image`);
                }
            } finally {
                await removed(container);
            }
        });

        it('report the pinned versions, which the image labels record', async () => {
            const container = await started();
            try {
                const expected: Record<string, RegExp> = {
                    claude: /^2\.1\.330 \(Claude Code\)$/,
                    codex: /^codex-cli 0\.171\.0$/,
                    opencode: /^1\.18\.33$/,
                };
                for (const tool of TOOLS) {
                    const result = await exec(container, [tool.binary, '--version']);
                    assert.equal(result.exitCode, 0, result.stderr);
                    assert.match(result.stdout.trim(), expected[tool.id]);
                    assert.ok(result.stdout.includes(tool.defaultVersion));
                }
                const labels = (await docker.getImage(image).inspect()).Config.Labels;
                for (const tool of TOOLS) {
                    assert.equal(
                        labels[`agent-containers.tool.${tool.id}.version`],
                        tool.defaultVersion,
                    );
                }
            } finally {
                await removed(container);
            }
        });

        it('C4: brand-new volumes have roots owned by the user, and each CLI writes its state', async () => {
            const container = await started();
            try {
                for (const { Target } of toolVolumes(namespace)) {
                    assert.equal(
                        (await ownerAndMode(container, Target)).split(' ')[0],
                        '1000:1000',
                        Target,
                    );
                }
                const codex = await exec(container, ['codex', 'login', '--with-api-key'], {
                    stdin: 'sk-test-not-a-key\n',
                });
                assert.equal(codex.exitCode, 0, codex.stderr);
                const opencode = await run(container, 'cd /tmp && timeout 60 opencode models');
                assert.equal(opencode.exitCode, 0, opencode.stderr);
                const claude = await run(container, 'cd /tmp && timeout 60 claude -p hello');
                const all = [codex, opencode, claude].map((r) => r.stdout + r.stderr).join('\n');
                assert.doesNotMatch(all, /EACCES|permission denied/i);

                const written = await run(
                    container,
                    'ls ~/.codex/auth.json ~/.local/share/opencode/opencode.db ~/.claude/.claude.json',
                );
                assert.equal(written.exitCode, 0, written.stderr);
                for (const { Target } of toolVolumes(namespace)) {
                    const probe = await exec(container, ['touch', `${Target}/.probe`]);
                    assert.equal(probe.exitCode, 0, `${Target}: ${probe.stderr}`);
                }
            } finally {
                await removed(container);
            }
        });
    });

    describe('state survives a recreated container', () => {
        before(() => useFreshVolumes('image-state'));

        it('C1, C2, C3: Claude, OpenCode and Codex logins are still there, byte for byte', async () => {
            const claudeJson =
                '{"hasCompletedOnboarding":true,"projects":{"/w":{"allowedTools":["Bash"]}}}';
            const credentials =
                '{"claudeAiOauth":{"accessToken":"sk-ant-oat01-x","refreshToken":"r"}}';
            const opencodeAuth = '{"anthropic":{"type":"api","key":"sk-ant-api03-y"}}';

            const first = await started();
            await writeContainerFile(first, `${CLAUDE}/.claude.json`, claudeJson);
            await writeContainerFile(first, `${CLAUDE}/.credentials.json`, credentials);
            await writeContainerFile(
                first,
                `${HOME}/.local/share/opencode/auth.json`,
                opencodeAuth,
            );
            const login = await exec(first, ['codex', 'login', '--with-api-key'], {
                stdin: 'sk-test-z\n',
            });
            assert.equal(login.exitCode, 0, login.stderr);
            const codexAuth = await readContainerFile(first, `${HOME}/.codex/auth.json`);
            assert.ok(codexAuth);
            await removed(first);

            const second = await started();
            try {
                assert.equal(
                    (await readContainerFile(second, `${CLAUDE}/.claude.json`))?.toString(),
                    claudeJson,
                );
                assert.equal(
                    (await readContainerFile(second, `${CLAUDE}/.credentials.json`))?.toString(),
                    credentials,
                );
                assert.equal(
                    (
                        await readContainerFile(second, `${HOME}/.local/share/opencode/auth.json`)
                    )?.toString(),
                    opencodeAuth,
                );
                assert.deepEqual(
                    await readContainerFile(second, `${HOME}/.codex/auth.json`),
                    codexAuth,
                );
                assert.equal(
                    await ownerAndMode(second, `${HOME}/.codex/auth.json`),
                    '1000:1000 600',
                );

                // Claude itself keeps its state file in the volume, not in the home root.
                // It retries the unreachable API with the stored token; the state is written first.
                await run(second, 'cd /tmp && timeout 10 claude -p hello');
                assert.equal(await readContainerFile(second, `${HOME}/.claude.json`), undefined);
                const state = JSON.parse(
                    (await readContainerFile(second, `${CLAUDE}/.claude.json`))!.toString(),
                );
                assert.deepEqual(state.projects['/w'].allowedTools, ['Bash']);
                assert.equal(
                    (await readContainerFile(second, `${CLAUDE}/.credentials.json`))?.toString(),
                    credentials,
                );
            } finally {
                await removed(second);
            }
        });
    });

    describe('credentials', () => {
        before(() => useFreshVolumes('image-credentials'));

        it('marks nothing and writes no settings when no credential is given', async () => {
            const container = await started();
            try {
                assert.equal(
                    await readContainerFile(container, `${CLAUDE}/settings.json`),
                    undefined,
                );
                assert.equal(
                    await readContainerFile(container, `${CLAUDE}/.claude.json`),
                    undefined,
                );
            } finally {
                await removed(container);
            }
        });

        it('C6: merges a token with a quote and a backslash into the user settings', async () => {
            const token = 'ab"c\\d';
            const userSettings =
                '{"model":"opus","mcpServers":{"x":{"command":"y"}},"env":{"FOO":"bar"}}';
            const setup = await started();
            await writeContainerFile(setup, `${CLAUDE}/settings.json`, userSettings);
            await removed(setup);

            const container = await started({
                ANTHROPIC_AUTH_TOKEN: token,
                ANTHROPIC_BASE_URL: 'https://gw.example',
            });
            try {
                const settings = JSON.parse(
                    (await readContainerFile(container, `${CLAUDE}/settings.json`))!.toString(),
                );
                assert.deepEqual(settings, {
                    model: 'opus',
                    mcpServers: { x: { command: 'y' } },
                    env: {
                        FOO: 'bar',
                        ANTHROPIC_AUTH_TOKEN: token,
                        ANTHROPIC_BASE_URL: 'https://gw.example',
                    },
                });
                assert.equal(
                    await ownerAndMode(container, `${CLAUDE}/settings.json`),
                    '1000:1000 600',
                );
                const state = JSON.parse(
                    (await readContainerFile(container, `${CLAUDE}/.claude.json`))!.toString(),
                );
                assert.equal(state.hasCompletedOnboarding, true);
            } finally {
                await removed(container);
            }
        });

        it('C6 through exec: the secret on stdin, merged by the same helper, keeps user keys', async () => {
            const container = await started();
            try {
                const token = 'sk-ant-oat01-"quoted"\\back\nslash';
                const stored = await exec(container, ['agent-config', 'claude-credentials'], {
                    stdin: JSON.stringify({ CLAUDE_CODE_OAUTH_TOKEN: token }),
                });
                assert.equal(stored.exitCode, 0, stored.stderr);
                assert.doesNotMatch(stored.stdout + stored.stderr, /quoted/);
                const settings = JSON.parse(
                    (await readContainerFile(container, `${CLAUDE}/settings.json`))!.toString(),
                );
                assert.equal(settings.env.CLAUDE_CODE_OAUTH_TOKEN, token);
                assert.equal(settings.model, 'opus');
                assert.deepEqual(settings.mcpServers, { x: { command: 'y' } });
                assert.equal(
                    await ownerAndMode(container, `${CLAUDE}/settings.json`),
                    '1000:1000 600',
                );

                const refused = await exec(container, ['agent-config', 'claude-credentials'], {
                    stdin: '{"PATH":"/evil"}',
                });
                assert.equal(refused.exitCode, 1);
                assert.match(refused.stderr, /unknown credential "PATH"/);
            } finally {
                await removed(container);
            }
        });

        it('leaves a settings.json that is not JSON as it is, and still starts', async () => {
            const setup = await started();
            await writeContainerFile(setup, `${CLAUDE}/settings.json`, '{"model": "opus",');
            await removed(setup);

            const container = await started({ ANTHROPIC_API_KEY: 'sk-ant-api03-z' });
            try {
                assert.equal(
                    (await readContainerFile(container, `${CLAUDE}/settings.json`))?.toString(),
                    '{"model": "opus",',
                );
            } finally {
                await removed(container);
            }
        });

        it('keeps every secret out of the image layers and config', async () => {
            const secret = 'sk-ant-api03-SECRET-in-env-7f3a';
            const container = await started({ ANTHROPIC_API_KEY: secret });
            await removed(container);

            const target = docker.getImage(image);
            const history = JSON.stringify(await target.history());
            const config = JSON.stringify(await target.inspect());
            for (const text of [history, config]) {
                assert.ok(!text.includes(secret));
                assert.doesNotMatch(text, /ANTHROPIC_API_KEY=|ANTHROPIC_AUTH_TOKEN=|OAUTH_TOKEN=/);
                assert.doesNotMatch(text, /sk-ant-/);
            }
        });
    });

    describe('Codex and OpenCode defaults', () => {
        before(() => useFreshVolumes('image-defaults'));

        it('C10: a fresh volume gets the sandbox and credential store defaults, which Codex loads', async () => {
            const container = await started();
            try {
                const text = (await readContainerFile(
                    container,
                    `${HOME}/.codex/config.toml`,
                ))!.toString();
                assert.deepEqual(await parseToml(text), {
                    sandbox_mode: 'danger-full-access',
                    cli_auth_credentials_store: 'file',
                });
                // Codex loads it: `login status` fails on a config.toml it cannot read.
                const status = await run(container, 'codex login status');
                assert.match(status.stdout + status.stderr, /Not logged in/);
                assert.doesNotMatch(status.stderr, /error loading config/i);
            } finally {
                await removed(container);
            }
        });

        it('C10: a command Codex runs does not fail on namespaces', async () => {
            const container = await started();
            try {
                await writeContainerFile(container, '/tmp/model.mjs', MOCK_MODEL);
                const withDefaults = await codexRunsCommand(container, []);
                assert.match(withDefaults, /Process exited with code 0/);
                assert.match(withDefaults, /Output:\\n1000\\nran-by-codex/);
                assert.doesNotMatch(withDefaults, /namespace|landlock/i);

                // The control: Codex's own sandbox fails here as users report, so the check
                // above would see the failure if the default were missing.
                const sandboxed = await codexRunsCommand(container, [
                    '-c',
                    'sandbox_mode="workspace-write"',
                ]);
                assert.match(sandboxed, /bwrap: No permissions to create a new namespace/);
            } finally {
                await removed(container);
            }
        });

        it("C10: a user's config.toml keeps its keys, tables and comments", async () => {
            const user = '# mine\nmodel = "o3"\n\n[mcp_servers.docs]\ncommand = "docs-server"\n';
            const setup = await started();
            await writeContainerFile(setup, `${HOME}/.codex/config.toml`, user);
            await removed(setup);

            const container = await started();
            try {
                const text = (await readContainerFile(
                    container,
                    `${HOME}/.codex/config.toml`,
                ))!.toString();
                assert.ok(text.endsWith(user), text);
                assert.deepEqual(await parseToml(text), {
                    sandbox_mode: 'danger-full-access',
                    cli_auth_credentials_store: 'file',
                    model: 'o3',
                    mcp_servers: { docs: { command: 'docs-server' } },
                });
                const version = await exec(container, ['codex', '--version']);
                assert.equal(version.exitCode, 0, version.stderr);

                // Started again, nothing changes: the defaults are only added once.
                await container.restart();
                await waitForCommand(container);
                assert.equal(
                    (await readContainerFile(container, `${HOME}/.codex/config.toml`))!.toString(),
                    text,
                );
            } finally {
                await removed(container);
            }
        });

        it("keeps the user's own sandbox choice", async () => {
            const setup = await started();
            await writeContainerFile(
                setup,
                `${HOME}/.codex/config.toml`,
                'sandbox_mode = "read-only"\n',
            );
            await removed(setup);
            const container = await started();
            try {
                const text = (await readContainerFile(
                    container,
                    `${HOME}/.codex/config.toml`,
                ))!.toString();
                assert.equal((await parseToml(text)).sandbox_mode, 'read-only');
                assert.equal((await parseToml(text)).cli_auth_credentials_store, 'file');
            } finally {
                await removed(container);
            }
        });

        it('leaves a config.toml that is not TOML as it is, and still starts', async () => {
            const broken = 'model = "o3\n[unclosed\n';
            const setup = await started();
            await writeContainerFile(setup, `${HOME}/.codex/config.toml`, broken);
            await removed(setup);
            const container = await started();
            try {
                const text = await readContainerFile(container, `${HOME}/.codex/config.toml`);
                assert.equal(text?.toString(), broken);
            } finally {
                await removed(container);
            }
        });

        it('turns OpenCode autoupdate off, keeping the user config', async () => {
            const path = `${HOME}/.config/opencode/opencode.json`;
            const setup = await started();
            await writeContainerFile(setup, path, '{"theme":"tokyonight","model":"anthropic/x"}');
            await removed(setup);
            const container = await started();
            try {
                const config = JSON.parse((await readContainerFile(container, path))!.toString());
                assert.deepEqual(config, {
                    theme: 'tokyonight',
                    model: 'anthropic/x',
                    autoupdate: false,
                });
            } finally {
                await removed(container);
            }
        });
    });
});
