/**
 * An ssh:// Docker host, for real: a private sshd on 127.0.0.1 lets the test's key in
 * through an ssh-agent, and docker-modem runs `docker system dial-stdio` there to reach this
 * machine's engine. First the core from the sources, then the shipped bundle with the fake
 * editor, built into a folder with no node_modules above it, as in an installed .vsix, so
 * ssh2 runs without its optional native add-ons. HOME points at a temporary folder whose
 * ~/.ssh/known_hosts decides whether the sshd's host key is trusted, for us as for OpenSSH.
 */
import { addFolder, fake } from '../unit/support/fakeVscode';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as vscode from 'vscode';
import { parseSettings } from '../../src/config/settings';
import { createCore, type Core } from '../../src/core';
import { DockerConnection } from '../../src/docker/connection';
import { EngineError } from '../../src/docker/engineError';
import { LABEL_NAMESPACE, LABEL_TOOL } from '../../src/docker/labels';
import { runCapture } from '../../src/session/execCapture';
import { findTool, volumeName } from '../../src/tools/registry';
import {
    docker,
    removeTestObjects,
    TEST_BASE_IMAGE,
    TEST_LABEL,
    testNamespace,
} from '../support/docker';
import { startSshServer, type SshServer } from '../support/sshServer';

const namespace = testNamespace('ssh');
const root = mkdtempSync(join(tmpdir(), 'agent-ssh-'));
const workspace = join(root, 'workspace');
const knownHosts = join(root, 'home', '.ssh', 'known_hosts');
const claudeVolume = volumeName(namespace, findTool('claude').volumes[0]);
const savedEnv = {
    SSH_AUTH_SOCK: process.env.SSH_AUTH_SOCK,
    AGENT_CONTAINERS_NAMESPACE: process.env.AGENT_CONTAINERS_NAMESPACE,
    HOME: process.env.HOME,
};
let server: SshServer;

/** Whether the volume exists, asked of the engine's local socket, not through ssh. */
async function volumeExists(name: string): Promise<boolean> {
    try {
        await docker.getVolume(name).inspect();
        return true;
    } catch (error) {
        if ((error as { statusCode?: number }).statusCode === 404) return false;
        throw error;
    }
}

async function createClaudeVolume(client: typeof docker): Promise<void> {
    await client.createVolume({
        Name: claudeVolume,
        Labels: { [TEST_LABEL]: namespace, [LABEL_NAMESPACE]: namespace, [LABEL_TOOL]: 'claude' },
    });
}

before(async () => {
    mkdirSync(workspace, { recursive: true });
    server = await startSshServer();
    process.env.SSH_AUTH_SOCK = server.agentSocket;
    mkdirSync(join(root, 'home', '.ssh'), { recursive: true });
    process.env.HOME = join(root, 'home');
    trustServerKey();
});

function trustServerKey(): void {
    writeFileSync(knownHosts, `${server.knownHostsLine}\n`);
}

/** What OpenSSH itself makes of the same known_hosts: its exit status and complaint. */
function openSsh(): { status: number | null; stderr: string } {
    const port = new URL(server.url).port;
    const options = ['BatchMode=yes', 'StrictHostKeyChecking=yes', 'GlobalKnownHostsFile=none'];
    const args = ['-F', 'none', ...options.flatMap((option) => ['-o', option])];
    args.push('-o', `UserKnownHostsFile=${knownHosts}`, '-p', port);
    args.push(`${userInfo().username}@127.0.0.1`, 'true');
    return spawnSync('ssh', args, { encoding: 'utf8', timeout: 20_000 });
}

/** A key the sshd does not have, in known_hosts form. */
function otherKey(): string {
    const file = join(root, `other_key_${Date.now()}`);
    spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', '', '-f', file]);
    return readFileSync(`${file}.pub`, 'utf8').trim();
}

after(async () => {
    for (const [key, value] of Object.entries(savedEnv)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
    }
    try {
        await removeTestObjects(namespace);
    } finally {
        await server?.stop();
        rmSync(root, { recursive: true, force: true });
    }
});

describe('the core through an ssh:// host', { timeout: 60_000 }, () => {
    let core: Core;

    before(() => {
        core = createCore({
            settings: parseSettings({ 'docker.host': server.url }),
            namespace,
            workspaceFolder: workspace,
            labels: { [TEST_LABEL]: namespace },
        });
    });

    after(() => core?.dispose());

    it('checks the engine over ssh', async () => {
        const info = await core.checkEngine();
        assert.equal(info.host, server.url);
        assert.equal(info.version, (await docker.version()).Version);
        assert.ok(server.sessions() >= 1, server.log());
    });

    it('logs in as the local user when the URL names none, as ssh does', async () => {
        const withoutUser = server.url.replace(/\/\/[^@]*@/, '//');
        const info = await new DockerConnection(withoutUser).check();
        assert.equal(info.host, withoutUser);
    });

    it('lists, creates and removes a labelled tool volume over ssh', async () => {
        const sessions = server.sessions();
        assert.deepEqual(await core.toolVolumes('claude'), []);

        await createClaudeVolume(new DockerConnection(server.url).docker);
        const made = await docker.getVolume(claudeVolume).inspect();
        assert.equal(made.Labels[TEST_LABEL], namespace);
        assert.deepEqual(await core.toolVolumes('claude'), [claudeVolume]);

        assert.deepEqual(await core.removeToolVolumes('claude'), [claudeVolume]);
        assert.equal(await volumeExists(claudeVolume), false);
        // Each Engine API call is an ssh session of its own (docker-modem makes no pool).
        assert.ok(server.sessions() >= sessions + 4, server.log());
    });

    it('carries a hijacked exec with stdin (what terminals use) over ssh', async () => {
        const client = new DockerConnection(server.url).docker;
        const container = await client.createContainer({
            name: `${namespace}-exec`,
            Image: TEST_BASE_IMAGE,
            Cmd: ['sleep', '60'],
            Labels: { [TEST_LABEL]: namespace },
            HostConfig: { NetworkMode: 'none', AutoRemove: false },
        });
        await container.start();
        const result = await runCapture(container, ['cat'], { input: 'über ssh\n' });
        assert.deepEqual(result, { exitCode: 0, stdout: 'über ssh\n', stderr: '' });
    });

    it('says in one line why, when the agent has no key for the host', async () => {
        delete process.env.SSH_AUTH_SOCK;
        const keyless = createCore({
            settings: parseSettings({ 'docker.host': server.url }),
            namespace,
            workspaceFolder: workspace,
        });
        try {
            await assert.rejects(keyless.checkEngine(), (error: unknown) => {
                assert.ok(error instanceof EngineError);
                assert.match(error.message, /^Cannot reach Docker at ssh:\/\/.*authentication/);
                assert.doesNotMatch(error.message, /\n/);
                return true;
            });
        } finally {
            process.env.SSH_AUTH_SOCK = server.agentSocket;
            keyless.dispose();
        }
    });
});

describe('the host key check of an ssh:// host', { timeout: 60_000 }, () => {
    after(trustServerKey);

    it('connects with a hashed known_hosts entry, as OpenSSH does', async () => {
        trustServerKey();
        const hashed = spawnSync('ssh-keygen', ['-H', '-f', knownHosts], { encoding: 'utf8' });
        assert.equal(hashed.status, 0, hashed.stderr);
        assert.match(readFileSync(knownHosts, 'utf8'), /^\|1\|/);

        assert.equal(openSsh().status, 0, openSsh().stderr);
        const info = await new DockerConnection(server.url).check();
        assert.equal(info.host, server.url);
    });

    it('asks for the key type known_hosts holds, as OpenSSH does', async () => {
        // ssh2 would pick Ed25519 first; known_hosts has only the sshd's ECDSA key.
        writeFileSync(knownHosts, `${server.ecdsaKnownHostsLine}\n`);
        assert.equal(openSsh().status, 0, openSsh().stderr);
        const info = await new DockerConnection(server.url).check();
        assert.equal(info.host, server.url);
    });

    it('refuses a host missing from known_hosts in one line, before running anything', async () => {
        writeFileSync(knownHosts, '');
        assert.match(openSsh().stderr, /Host key verification failed/);

        const sessions = server.sessions();
        const port = new URL(server.url).port;
        const user = userInfo().username;
        await assert.rejects(new DockerConnection(server.url).check(), (error: unknown) => {
            assert.ok(error instanceof EngineError);
            assert.equal(error.kind, 'hostKeyRefused');
            assert.equal(
                error.message,
                `The SSH host key of 127.0.0.1:${port} is not in ~/.ssh/known_hosts; connect ` +
                    `once with \`ssh -p ${port} ${user}@127.0.0.1\` to check and add it, ` +
                    'then try again.',
            );
            return true;
        });
        assert.equal(server.sessions(), sessions, 'no command ran on the unverified host');
    });

    it('refuses a host whose key differs from known_hosts, saying why it matters', async () => {
        writeFileSync(knownHosts, `[127.0.0.1]:${new URL(server.url).port} ${otherKey()}\n`);
        assert.match(openSsh().stderr, /REMOTE HOST IDENTIFICATION HAS CHANGED/);

        await assert.rejects(new DockerConnection(server.url).check(), (error: unknown) => {
            assert.ok(error instanceof EngineError);
            assert.equal(error.kind, 'hostKeyRefused');
            assert.match(error.message, /differs from ~\/\.ssh\/known_hosts: someone may be/);
            assert.doesNotMatch(error.message, /\n/);
            return true;
        });
    });

    it('refuses every request once the key changes after a good check', async () => {
        trustServerKey();
        const connection = new DockerConnection(server.url);
        await connection.check();

        writeFileSync(knownHosts, `[127.0.0.1]:${new URL(server.url).port} ${otherKey()}\n`);
        await assert.rejects(connection.docker.listVolumes(), (error: unknown) => {
            assert.ok(error instanceof EngineError);
            assert.equal(error.kind, 'hostKeyRefused');
            return true;
        });
    });
});

describe('the bundled extension through an ssh:// host', { timeout: 60_000 }, () => {
    const subscriptions: { dispose(): unknown }[] = [];
    let bundle: string;

    before(async () => {
        // The shipped (production) build, written where no node_modules lie above it: ssh2's native
        // add-ons and cpu-features are out of reach, as in the installed extension, which
        // ships the bundle alone.
        bundle = join(root, 'extension', 'dist', 'extension.js');
        const args = ['scripts/build.mjs', '--production', `--outfile=${bundle}`];
        const build = spawnSync(process.execPath, args, { encoding: 'utf8' });
        assert.equal(build.status, 0, build.stderr);

        fake.reset();
        fake.configuration.set('docker.host', { value: server.url, globalValue: server.url });
        addFolder(workspace);
        process.env.AGENT_CONTAINERS_NAMESPACE = namespace;
        await createClaudeVolume(docker);
    });

    after(() => {
        for (const subscription of subscriptions) subscription.dispose();
    });

    it('the status bar reaches the engine over ssh', async () => {
        const sessions = server.sessions();
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const extension = require(bundle);
        const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
        extension.activate({ subscriptions, extension: { packageJSON: pkg } });

        const item = fake.statusItems[0];
        for (let i = 0; i < 300 && !/no container|unavailable/.test(item.text); i++) {
            await new Promise((done) => setTimeout(done, 50));
        }
        assert.match(item.text, /Agents: no container/, JSON.stringify(fake.channels[0].lines));
        assert.ok(server.sessions() > sessions, server.log());
    });

    it('"Remove Claude Code Volumes" finds and removes the volume over ssh', async () => {
        const sessions = server.sessions();
        fake.answers.push('Remove Volume');
        await fake.commands.get('agentContainers.removeVolumes.claude')!(
            vscode.Uri.file(workspace),
        );

        assert.deepEqual(fake.errors, []);
        assert.deepEqual(fake.infos, [`Removed ${claudeVolume}.`]);
        assert.equal(await volumeExists(claudeVolume), false);
        assert.ok(server.sessions() > sessions, server.log());
    });

    it('a host key missing from known_hosts is a one-line toast', async () => {
        writeFileSync(knownHosts, '');
        try {
            await fake.commands.get('agentContainers.removeVolumes.claude')!(
                vscode.Uri.file(workspace),
            );
            assert.equal(fake.errors.length, 1, JSON.stringify(fake.errors));
            assert.match(
                fake.errors[0].message,
                /^The SSH host key of 127\.0\.0\.1:\d+ is not in ~\/\.ssh\/known_hosts; [^\n]*$/,
            );
            assert.deepEqual(fake.errors[0].items, ['Open Settings', 'Show Logs']);
        } finally {
            trustServerKey();
        }
    });
});
