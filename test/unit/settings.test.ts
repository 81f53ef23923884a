import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
    memoryLimitBytes,
    parseSettings,
    SETTING_DEFAULTS,
    SettingsError,
} from '../../src/config/settings';
import { TOOLS } from '../../src/tools/registry';

function refused(values: Record<string, unknown>, key: string, rule: RegExp) {
    assert.throws(
        () => parseSettings(values),
        (error: unknown) => {
            assert.ok(error instanceof SettingsError);
            assert.equal(error.key, `agentContainers.${key}`);
            assert.match(
                error.message,
                new RegExp(`^Setting agentContainers\\.${key.replace(/\./g, '\\.')}: `),
            );
            assert.match(error.message, rule);
            return true;
        },
    );
}

describe('parseSettings', () => {
    it('fills every default, one entry per registry tool', () => {
        const settings = parseSettings({});
        assert.equal(settings.image.source, 'build');
        assert.equal(settings.image.baseImage, 'node:22-bookworm-slim');
        assert.equal(settings.container.uid, null);
        assert.equal(settings.container.networkMode, 'default');
        for (const tool of TOOLS) {
            assert.deepEqual(settings.tools[tool.id], {
                version: tool.defaultVersion,
                extraArgs: [],
            });
        }
        assert.equal(SETTING_DEFAULTS['image.buildNetworkMode'], 'default');
    });

    it('reads flat, prefixed and nested objects and getters alike', () => {
        const flat = parseSettings({ 'container.cpuLimit': 2 });
        const prefixed = parseSettings({ 'agentContainers.container.cpuLimit': 2 });
        const nested = parseSettings({ container: { cpuLimit: 2 } });
        const getter = parseSettings((key) => (key === 'container.cpuLimit' ? 2 : undefined));
        for (const s of [flat, prefixed, nested, getter]) assert.equal(s.container.cpuLimit, 2);
    });

    it('accepts versions and dist-tags; refuses anything a shell would act on (C7)', () => {
        assert.equal(
            parseSettings({ 'tools.claude.version': '2.1.332' }).tools.claude.version,
            '2.1.332',
        );
        assert.equal(
            parseSettings({ 'tools.codex.version': 'latest' }).tools.codex.version,
            'latest',
        );
        refused(
            { 'tools.claude.version': 'latest; touch /tmp/pwned' },
            'tools.claude.version',
            /version/,
        );
        refused({ 'tools.claude.version': '^2.1.0' }, 'tools.claude.version', /version/);
        refused({ 'tools.opencode.version': '$(id)' }, 'tools.opencode.version', /version/);
    });

    it('refuses shell characters in arguments, environment and hosts', () => {
        refused(
            { 'tools.codex.extraArgs': ['--model', 'o3; rm -rf /'] },
            'tools.codex.extraArgs',
            /shell/,
        );
        refused({ 'container.environment': { A: '`id`' } }, 'container.environment', /shell/);
        refused({ 'container.environment': { 'A B': 'x' } }, 'container.environment', /names/);
        refused({ 'docker.host': 'tcp://h:2375;id' }, 'docker.host', /shell|URL/);
        refused({ 'docker.host': 'example.com' }, 'docker.host', /URL/);
        const ok = parseSettings({ 'tools.claude.extraArgs': ['--model', 'opus', '--verbose'] });
        assert.deepEqual(ok.tools.claude.extraArgs, ['--model', 'opus', '--verbose']);
    });

    it('validates image references, CA paths, IDs, limits and mount paths', () => {
        refused({ 'image.baseImage': 'Node:22' }, 'image.baseImage', /image reference/);
        refused({ 'image.baseImage': 'node:22 && id' }, 'image.baseImage', /image reference/);
        assert.equal(
            parseSettings({ 'image.baseImage': 'registry.example.com:5000/team/node:22-slim' })
                .image.baseImage,
            'registry.example.com:5000/team/node:22-slim',
        );
        refused({ 'image.caCertificates': ['certs/ca.pem'] }, 'image.caCertificates', /absolute/);
        refused({ 'image.source': 'pull' }, 'image.name', /image to pull/);
        refused({ 'image.buildNetworkMode': 'bridge' }, 'image.buildNetworkMode', /./);
        refused({ 'container.uid': 0 }, 'container.uid', /./);
        refused({ 'container.gid': 1.5 }, 'container.gid', /./);
        refused({ 'container.memoryLimit': '4 GB' }, 'container.memoryLimit', /size/);
        refused(
            { 'container.workspaceMountPath': 'work' },
            'container.workspaceMountPath',
            /absolute/,
        );
        refused(
            { 'container.workspaceMountPath': '/w/../etc' },
            'container.workspaceMountPath',
            /absolute/,
        );
        assert.equal(parseSettings({ 'container.uid': null }).container.uid, null);
    });

    it('converts memory limits to bytes', () => {
        assert.equal(memoryLimitBytes('4g'), 4 * 1024 ** 3);
        assert.equal(memoryLimitBytes('512m'), 512 * 1024 ** 2);
        assert.equal(memoryLimitBytes('1.5G'), 1.5 * 1024 ** 3);
        assert.equal(memoryLimitBytes(''), 0);
    });
});

it('extra arguments keep the brackets, quotes and globs that CLIs take', () => {
    const args = ['--allowedTools', 'Bash(git diff:*)', '--mcp-config', '{"servers":["a b"]}'];
    const settings = parseSettings({ 'tools.claude.extraArgs': args });
    assert.deepEqual(settings.tools.claude.extraArgs, args);
    assert.throws(
        () => parseSettings({ 'tools.claude.extraArgs': ['--x', 'a\nb'] }),
        /agentContainers\.tools\.claude\.extraArgs/,
    );
});

it('container.environment cannot move a tool state out of its volume', () => {
    assert.throws(
        () => parseSettings({ 'container.environment': { CLAUDE_CONFIG_DIR: '/tmp/x' } }),
        /agentContainers\.container\.environment: .*CLAUDE_CONFIG_DIR is set by the extension/,
    );
    for (const name of ['CODEX_HOME', 'HOME', 'PATH']) {
        assert.throws(
            () => parseSettings({ 'container.environment': { [name]: '/x' } }),
            /container\.environment/,
        );
    }
    const ok = parseSettings({ 'container.environment': { EDITOR: 'vim' } });
    assert.deepEqual(ok.container.environment, { EDITOR: 'vim' });
});
