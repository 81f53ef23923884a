/**
 * Faults injected for real, and what the user sees. Engine faults happen on a second,
 * private dockerd (test/support/faultEngine.ts): stopped, killed and restarted under a
 * running session, its socket closed to an ordinary user, its disk filled. Build and pull
 * failures, concurrency and the security model run on the main engine. Ends with a summary
 * line: faults injected, survived, bad inputs tried and rejected, data lost.
 */
// The editor API stand-in, so the real status bar can follow the real core; nothing else
// in this file touches the editor.
import { addFolder, fake } from '../unit/support/fakeVscode';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
    chmodSync,
    chownSync,
    lstatSync,
    mkdirSync,
    mkdtempSync,
    readdirSync,
    readFileSync,
    rmSync,
    writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type Docker from 'dockerode';
import { describeFailure } from '../../src/commands/describeFailure';
import { parseSettings, SettingsError } from '../../src/config/settings';
import { createCore, type ContainerState, type Core } from '../../src/core';
import { EngineError } from '../../src/docker/engineError';
import { WorkspaceCores } from '../../src/editor/workspaceCores';
import { ContainerStatusBar } from '../../src/statusBar/containerStatusBar';
import { LABEL_NAMESPACE, LABEL_WORKSPACE } from '../../src/docker/labels';
import { runCapture } from '../../src/session/execCapture';
import { CONTAINER_HOME } from '../../src/tools/registry';
import { HANDWRITTEN, MISSING_FILES } from '../support/badSettingInputs';
import {
    docker,
    removeTestObjects,
    TEST_BASE_IMAGE,
    TEST_LABEL,
    testNamespace,
    testSettings,
} from '../support/docker';
import { FakeEngine, FAULT_SESSION_IMAGE, FaultEngine, oldEngine } from '../support/faultEngine';
import { TerminalDriver } from '../support/terminal';

const USER_ID = 1235;
const ROOT = mkdtempSync(join(tmpdir(), 'agent-reliability-'));
const tally = { injected: 0, survived: 0, badTried: 0, badRejected: 0, dataLost: 0 };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `inject`, then counts the fault as survived only if `check` passes afterwards. */
async function fault(inject: () => Promise<unknown>, check: () => Promise<void>) {
    tally.injected++;
    await inject();
    await check();
    tally.survived++;
}

/** Waits until `states` (from onStateChange) holds `wanted` after index `from`. */
async function waitForState(states: ContainerState[], wanted: ContainerState, from = 0) {
    const deadline = Date.now() + 30_000;
    while (!states.slice(from).includes(wanted)) {
        if (Date.now() > deadline) throw new Error(`no "${wanted}" in ${states.slice(from)}`);
        await sleep(50);
    }
}

/** A one-line message, no stack, within the toast's length. */
function assertOneLine(message: string) {
    assert.ok(!/\n/.test(message), message);
    assert.ok(message.length <= 300, message);
    assert.doesNotMatch(message, /\bat .+:\d+:\d+|Error: /);
}

/** Every path under `dir` whose owner is not uid:gid. */
function wronglyOwned(dir: string, uid: number, gid: number): string[] {
    return readdirSync(dir, { recursive: true, encoding: 'utf8' })
        .map((name) => join(dir, name))
        .filter((path) => {
            const stat = lstatSync(path);
            return stat.uid !== uid || stat.gid !== gid;
        });
}

async function objectsOf(engine: Docker, namespace: string) {
    const filters = { label: [`${LABEL_NAMESPACE}=${namespace}`] };
    const containers = await engine.listContainers({ all: true, filters });
    const { Volumes } = await engine.listVolumes({ filters });
    return { containers: containers.length, volumes: Volumes?.length ?? 0 };
}

describe('engine faults on a private engine', { timeout: 240_000 }, () => {
    let engine: FaultEngine;
    let core: Core;
    const namespace = testNamespace('fault');
    const workspace = join(ROOT, 'fault workspace');
    const states: ContainerState[] = [];
    const marker = randomBytes(24).toString('hex');

    const settings = (extra: Record<string, unknown> = {}) =>
        parseSettings({
            'image.source': 'pull',
            'image.name': FAULT_SESSION_IMAGE,
            'container.networkMode': 'none',
            'docker.host': engine.host,
            ...extra,
        });

    /** A core of this workspace on the fault engine, as the host user 1000. */
    const engineCore = (extra: Record<string, unknown> = {}) =>
        createCore({
            settings: settings(extra),
            namespace,
            workspaceFolder: workspace,
            labels: { [TEST_LABEL]: namespace },
            hostIds: { uid: 1000, gid: 1000 },
        });

    /** The marker in the Claude volume and the workspace file, compared byte for byte. */
    async function dataIntact(): Promise<boolean> {
        const info = await core.ensureContainer();
        const read = await runCapture(
            engine.docker.getContainer(info.id),
            ['cat', `${CONTAINER_HOME}/.claude/marker`],
            { user: 'root' },
        );
        const file = readFileSync(join(workspace, 'notes.txt'), 'utf8');
        const intact = read.stdout === marker && file === marker;
        if (!intact) tally.dataLost++;
        return intact;
    }

    async function openShell(): Promise<TerminalDriver> {
        const driver = new TerminalDriver(core.openTerminal('shell')).open(100, 30);
        await driver.waitFor(/\$ $/m);
        return driver;
    }

    before(async () => {
        engine = await FaultEngine.create();
        await engine.buildSessionImage();
        mkdirSync(workspace, { recursive: true });
        writeFileSync(join(workspace, 'notes.txt'), marker);
        core = engineCore();
        core.onStateChange((state) => states.push(state));
        const info = await core.ensureContainer();
        await runCapture(
            engine.docker.getContainer(info.id),
            ['sh', '-c', 'printf %s "$1" > /home/hagicode/.claude/marker', 'sh', marker],
            { user: 'root' },
        );
    });

    after(async () => {
        core?.dispose();
        await engine?.destroy();
    });

    it('opening a terminal on a running container does not flash building or starting', async () => {
        await core.ensureContainer();
        await waitForState(states, 'running');
        await sleep(300);
        const from = states.length;
        const driver = await openShell();
        driver.type('exit\r');
        assert.equal(await driver.waitForExit(), 0);
        await sleep(300);
        assert.deepEqual(states.slice(from), []);
    });

    it('engine stopped and restarted under a session: unavailable, back by itself', async () => {
        const driver = await openShell();
        const from = states.length;
        await fault(
            async () => {
                await engine.stop('SIGTERM');
                await waitForState(states, 'unavailable', from);
                await engine.start();
            },
            async () => {
                await waitForState(states, 'stopped', from);
                // Either is true: the engine stopped the container, then went itself.
                await driver.waitFor(
                    /The container stopped \(exit code \d+\)|Lost the connection to the Docker/,
                    20_000,
                );
                await driver.waitFor(/Press any key/);
                assert.ok(await dataIntact());
                await waitForState(states, 'running', from);
            },
        );
    });

    it('engine killed (SIGKILL) under a session: the terminal says the link was lost', async () => {
        const driver = await openShell();
        const from = states.length;
        await fault(
            async () => {
                await engine.stop('SIGKILL');
                await waitForState(states, 'unavailable', from);
                await engine.start();
            },
            async () => {
                await driver.waitFor(/Lost the connection to the Docker engine/, 20_000);
                await waitForState(states, 'stopped', from);
                assert.ok(await dataIntact());
            },
        );
    });

    it('the status bar shows Docker unavailable while the engine is down, then recovers', async () => {
        fake.reset();
        addFolder(workspace);
        const values = { ...settings(), 'docker.host': engine.host };
        fake.configuration.set('image.source', { value: values.image.source });
        fake.configuration.set('image.name', { value: values.image.name });
        fake.configuration.set('container.networkMode', { value: 'none' });
        fake.configuration.set('docker.host', { value: engine.host });
        process.env.AGENT_CONTAINERS_NAMESPACE = namespace;
        const cores = new WorkspaceCores();
        delete process.env.AGENT_CONTAINERS_NAMESPACE;
        const bar = new ContainerStatusBar(cores);
        bar.follow();
        const item = fake.statusItems[0];
        const shows = async (pattern: RegExp) => {
            const deadline = Date.now() + 20_000;
            while (!pattern.test(item.text)) {
                if (Date.now() > deadline) throw new Error(`status bar: "${item.text}"`);
                await sleep(50);
            }
        };
        try {
            await core.ensureContainer();
            await shows(/Agents: running/);
            await fault(
                () => engine.stop('SIGKILL'),
                async () => {
                    await shows(/Docker unavailable/);
                    await engine.start();
                    // Nobody asks: the core's event watch reconnects and reports.
                    await shows(/Agents: stopped/);
                    await core.ensureContainer();
                    await shows(/Agents: running/);
                },
            );
        } finally {
            bar.dispose();
            cores.dispose();
        }
    });

    it('container killed from outside: the terminal says so, the next open starts it', async () => {
        const driver = await openShell();
        const id = (await core.ensureContainer()).id;
        await fault(
            () => engine.docker.getContainer(id).kill(),
            async () => {
                await driver.waitFor(/The container stopped \(exit code 137\)/, 20_000);
                const next = await openShell();
                assert.equal((await core.ensureContainer()).id, id);
                next.type('exit\r');
                assert.equal(await next.waitForExit(), 0);
            },
        );
    });

    it('container removed from outside: the terminal says so, the next open recreates it', async () => {
        const driver = await openShell();
        const id = (await core.ensureContainer()).id;
        await fault(
            () => engine.docker.getContainer(id).remove({ force: true, v: false }),
            async () => {
                await driver.waitFor(/The container was removed outside the editor/, 20_000);
                await openShell();
                assert.notEqual((await core.ensureContainer()).id, id);
                assert.ok(await dataIntact(), 'the volume outlives its container');
            },
        );
    });

    it('C11: engine not running: one line, a Start Docker button, nothing made', async () => {
        const fresh = testNamespace('fault-stopped');
        const other = createCore({
            settings: settings(),
            namespace: fresh,
            workspaceFolder: join(ROOT, 'stopped'),
        });
        await fault(
            () => engine.stop('SIGTERM'),
            async () => {
                const error = await other.ensureContainer().then(
                    () => assert.fail('opened without an engine'),
                    (e: unknown) => e,
                );
                assert.ok(error instanceof EngineError);
                assert.equal(error.kind, 'notRunning');
                const toast = describeFailure('Open Claude', error)!;
                assertOneLine(toast.message);
                assert.match(toast.message, /Docker is not running.*start Docker/i);
                assert.deepEqual(
                    toast.buttons.map((b) => b.label),
                    ['Start Docker', 'Show Logs'],
                );
                await engine.start();
                assert.deepEqual(await objectsOf(engine.docker, fresh), {
                    containers: 0,
                    volumes: 0,
                });
            },
        );
        other.dispose();
    });

    it('C11: socket only for a group the user is not in: permission denied, nothing made', async () => {
        ensureUser(USER_ID);
        // The socket stays root:root 0660; only the directories above it open up.
        chmodSync(engine.dir, 0o755);
        const fresh = testNamespace('fault-denied');
        const home = mkdtempSync(join(tmpdir(), 'agent-denied-'));
        chownSync(home, USER_ID, USER_ID);
        await fault(
            async () => undefined,
            async () => {
                const result = spawnSync(
                    'setpriv',
                    [
                        `--reuid=${USER_ID}`,
                        `--regid=${USER_ID}`,
                        '--clear-groups',
                        process.execPath,
                        '--import',
                        'tsx',
                        'test/support/engineProbe.ts',
                        engine.host,
                        fresh,
                        home,
                    ],
                    { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: home } },
                );
                const shown = JSON.parse(result.stdout.trim().split('\n').pop() ?? '{}');
                assert.equal(shown.kind, 'permissionDenied', result.stdout + result.stderr);
                assertOneLine(shown.toast.message);
                assert.match(shown.toast.message, /Permission denied.*docker.*group/i);
                assert.deepEqual(
                    shown.toast.buttons.map((b: { label: string }) => b.label),
                    ['Fix Permissions', 'Show Logs'],
                );
                assert.deepEqual(await objectsOf(engine.docker, fresh), {
                    containers: 0,
                    volumes: 0,
                });
            },
        );
        rmSync(home, { recursive: true, force: true });
    });

    it('C11: no socket and no Docker programs: "not installed", with an install button', async () => {
        const home = mkdtempSync(join(tmpdir(), 'agent-absent-'));
        await fault(
            async () => undefined,
            async () => {
                // In a mount namespace of its own the default socket's directory and dockerd's
                // are empty; the host keeps both.
                const script =
                    '/bin/mount -t tmpfs none /run && /bin/mount -t tmpfs none /usr/sbin && exec "$@"';
                const result = spawnSync(
                    '/usr/bin/unshare',
                    [
                        '--mount',
                        '--propagation',
                        'private',
                        '/bin/sh',
                        '-c',
                        script,
                        'sh',
                        process.execPath,
                        '--import',
                        'tsx',
                        'test/support/engineProbe.ts',
                        '',
                        testNamespace('absent'),
                        home,
                    ],
                    { encoding: 'utf8', env: { PATH: '/nonexistent', HOME: home } },
                );
                const shown = JSON.parse(result.stdout.trim().split('\n').pop() ?? '{}');
                assert.equal(shown.kind, 'notInstalled', result.stdout + result.stderr);
                assertOneLine(shown.toast.message);
                assert.deepEqual(
                    shown.toast.buttons.map((b: { label: string }) => b.label),
                    ['Install Docker', 'Show Logs'],
                );
            },
        );
        rmSync(home, { recursive: true, force: true });
    });

    it('C11: a docker.host with no socket at its path: says where it looked', async () => {
        const missing = `unix://${join(ROOT, 'no-engine', 'docker.sock')}`;
        const other = createCore({
            settings: settings({ 'docker.host': missing }),
            namespace: testNamespace('missing'),
            workspaceFolder: join(ROOT, 'missing'),
        });
        await fault(
            async () => undefined,
            async () => {
                const error = await other.ensureContainer().then(
                    () => assert.fail('opened without a socket'),
                    (e: unknown) => e,
                );
                assert.ok(error instanceof EngineError, String(error));
                const toast = describeFailure('Open Claude', error)!;
                assertOneLine(toast.message);
                assert.ok(toast.message.includes(missing), toast.message);
                assert.equal(toast.buttons.at(-1)?.label, 'Show Logs');
            },
        );
        other.dispose();
    });

    it('C11: an engine too old (API 1.30): says so, asks for nothing else', async () => {
        const old = await FakeEngine.listen(oldEngine);
        const other = createCore({
            settings: settings({ 'docker.host': old.host }),
            namespace: testNamespace('old'),
            workspaceFolder: join(ROOT, 'old'),
        });
        await fault(
            async () => undefined,
            async () => {
                const error = await other.ensureContainer().then(
                    () => assert.fail('opened on an old engine'),
                    (e: unknown) => e,
                );
                assert.ok(error instanceof EngineError, String(error));
                assert.equal(error.kind, 'apiTooOld');
                const toast = describeFailure('Open Claude', error)!;
                assertOneLine(toast.message);
                assert.match(toast.message, /too old.*1\.30/);
                assert.equal(toast.buttons[0].label, 'Update Docker');
                // Only the version check: nothing was asked to be made.
                assert.ok(
                    old.requests.every((r) => r.method === 'GET'),
                    old.requests.join(),
                );
            },
        );
        other.dispose();
        await old.close();
    });

    it('a build with no network (package archives unreachable): the previous image is used', async () => {
        const before = await core.ensureContainer();
        const offline = engineCore({
            'image.source': 'build',
            'image.baseImage': TEST_BASE_IMAGE,
            'image.buildNetworkMode': 'none',
        });
        await fault(
            async () => undefined,
            async () => {
                const lines: string[] = [];
                const error = await offline
                    .buildImage((line) => lines.push(line))
                    .then(
                        () => assert.fail('built without a network'),
                        (e: unknown) => e,
                    );
                const toast = describeFailure('Build image', error)!;
                assertOneLine(toast.message);
                assert.match(
                    toast.message,
                    /image build failed \(exit code \d+\): .*(Failed to fetch|resolv)/,
                );
                assert.ok(
                    lines.some((line) => /apt-get/.test(line)),
                    'the log has the step',
                );
                assert.deepEqual(
                    toast.buttons.map((b) => b.label),
                    ['Show Logs'],
                );
                const info = await offline.ensureContainer();
                assert.equal(info.id, before.id);
                assert.match(info.imageWarning ?? '', /previous image agent-fault\/session:1/);
                assert.ok(await dataIntact());
            },
        );
        offline.dispose();
    });

    it('disk full during a build: one line naming it, the previous image still used', async () => {
        const before = await core.ensureContainer();
        const building = engineCore({
            'image.source': 'build',
            'image.baseImage': TEST_BASE_IMAGE,
            'image.buildNetworkMode': 'none',
        });
        await fault(
            async () => engine.fillDisk(),
            async () => {
                const error = await building.buildImage().then(
                    () => assert.fail('built on a full disk'),
                    (e: unknown) => e,
                );
                const toast = describeFailure('Build image', error)!;
                assertOneLine(toast.message);
                assert.match(toast.message, /no space left on device/i);
                assert.deepEqual(
                    toast.buttons.map((b) => b.label),
                    ['Show Logs'],
                );

                const info = await building.ensureContainer();
                assert.equal(info.id, before.id, 'the running container is kept');
                assert.equal(info.image, FAULT_SESSION_IMAGE);
                assert.match(info.imageWarning ?? '', /no space left on device.*previous image/i);
                engine.freeDisk();
                assert.ok(await dataIntact());
            },
        );
        building.dispose();
    });
});

describe(
    'build and pull failures, concurrency, security on the main engine',
    {
        timeout: 300_000,
    },
    () => {
        const namespace = testNamespace('rel');
        const one = join(ROOT, 'one');
        const two = join(ROOT, 'two');
        const cores: Core[] = [];
        const images = new Set<string>();

        const settings = testSettings;

        const coreFor = (workspaceFolder: string, extra: Record<string, unknown> = {}) => {
            const core = createCore({
                settings: settings(extra),
                namespace,
                workspaceFolder,
                labels: { [TEST_LABEL]: namespace },
                hostIds: { uid: USER_ID, gid: USER_ID },
            });
            cores.push(core);
            return core;
        };

        before(() => {
            ensureUser(USER_ID);
            for (const dir of [one, two]) {
                mkdirSync(dir, { recursive: true });
                chownSync(dir, USER_ID, USER_ID);
            }
        });

        after(async () => {
            for (const core of cores) core.dispose();
            await removeTestObjects(namespace);
            for (const ref of images) {
                await docker
                    .getImage(ref)
                    .remove({ noprune: true })
                    .catch(() => undefined);
            }
        });

        it('two opens at once in one workspace: one build, one container', async () => {
            const since = Math.floor(Date.now() / 1000) - 1;
            const [a, b] = [coreFor(one), coreFor(one)];
            const [first, second] = await Promise.all([a.ensureContainer(), b.ensureContainer()]);
            images.add(first.image);
            assert.equal(first.id, second.id);

            const events = await engineEvents(since, namespace);
            // Build steps make containers too; the workspace's carry its label.
            const created = events.filter(
                (e) =>
                    e.Type === 'container' &&
                    e.Action === 'create' &&
                    e.Actor.Attributes?.[LABEL_WORKSPACE] === one,
            );
            const tagged = events.filter(
                (e) =>
                    e.Type === 'image' &&
                    e.Action === 'tag' &&
                    e.Actor.Attributes?.name === first.image,
            );
            assert.equal(created.length, 1, JSON.stringify(created));
            assert.equal(tagged.length, 1, 'one build tags the image once');
        });

        it('two workspaces: two containers that share the tool volumes', async () => {
            const [a, b] = [coreFor(one), coreFor(two)];
            const [first, second] = await Promise.all([a.ensureContainer(), b.ensureContainer()]);
            assert.notEqual(first.id, second.id);
            const volumes = async (id: string) =>
                ((await docker.getContainer(id).inspect()).Mounts ?? [])
                    .filter((m) => m.Type === 'volume')
                    .map((m) => m.Name)
                    .sort();
            const shared = await volumes(first.id);
            assert.ok(shared.length >= 3, shared.join());
            assert.deepEqual(await volumes(second.id), shared);
        });

        it('a bad base image, with no registry reachable: one line, nothing left behind', async () => {
            const core = coreFor(join(ROOT, 'bad-base'), {
                'image.baseImage': 'agent-containers-test/does-not-exist:1',
            });
            await fault(
                async () => undefined,
                async () => {
                    const error = await core.buildImage().then(
                        () => assert.fail('built from nothing'),
                        (e: unknown) => e,
                    );
                    const toast = describeFailure('Build image', error)!;
                    assertOneLine(toast.message);
                    assert.match(
                        toast.message,
                        /base image agent-containers-test\/does-not-exist:1 \(agentContainers\.image\.baseImage\)/,
                    );
                    assert.deepEqual(
                        toast.buttons.map((b) => b.label),
                        ['Show Logs'],
                    );
                    // No previous image for this workspace and none of its own: opening fails too.
                    const leftovers = await docker.listContainers({
                        all: true,
                        filters: { ancestor: ['agent-containers-test/does-not-exist:1'] },
                    });
                    assert.equal(leftovers.length, 0);
                },
            );
        });

        it('a registry that cannot be reached for a pull: one line with the log a click away', async () => {
            const core = coreFor(join(ROOT, 'pull'), {
                'image.source': 'pull',
                'image.name': 'registry.invalid/agent/none:1',
            });
            await fault(
                async () => undefined,
                async () => {
                    const error = await core.pullImage().then(
                        () => assert.fail('pulled from nowhere'),
                        (e: unknown) => e,
                    );
                    const toast = describeFailure('Pull image', error)!;
                    assertOneLine(toast.message);
                    assert.match(toast.message, /registry\.invalid/);
                    assert.equal(toast.buttons.at(-1)?.label, 'Show Logs');
                },
            );
        });

        it('a changed base image that cannot be pulled: the previous image is still used', async () => {
            const running = await coreFor(one).ensureContainer();
            // npm's own retries take minutes without a network, so the failing build here is
            // the base image's pull from a registry that cannot be reached.
            const changed = coreFor(one, {
                'image.baseImage': 'registry.invalid/agent/node:22',
            });
            await fault(
                async () => undefined,
                async () => {
                    const info = await changed.ensureContainer();
                    assert.equal(info.image, running.image);
                    assert.equal(info.id, running.id, 'the running container is kept');
                    assert.match(info.imageWarning ?? '', /Could not make the new image.*previous/);
                    assertOneLine(info.imageWarning!);
                    // A second open does not try again until the settings change or a rebuild.
                    const started = Date.now();
                    assert.equal((await changed.ensureContainer()).id, running.id);
                    assert.ok(Date.now() - started < 5000);
                    // Explicitly asked for, the build fails with one line and the log.
                    const error = await changed.buildImage().then(
                        () => assert.fail('built from an unreachable registry'),
                        (e: unknown) => e,
                    );
                    assertOneLine(describeFailure('Rebuild image', error)!.message);
                },
            );
        });

        describe('security model', () => {
            it('sessions never run as root, and leave nothing of root or a wrong UID behind', async () => {
                const core = coreFor(one);
                const driver = new TerminalDriver(core.openTerminal('shell')).open(100, 30);
                await driver.waitFor(/\$ $/m);
                driver.type(
                    'echo "ids $(id -u):$(id -g)"; mkdir -p made/deep && touch made/deep/file ' +
                        '&& git init -q repo && echo data > out.txt; exit\r',
                );
                assert.equal(await driver.waitForExit(), 0);
                assert.match(driver.text, new RegExp(`ids ${USER_ID}:${USER_ID}`));
                await core.stop();
                assert.deepEqual(wronglyOwned(one, USER_ID, USER_ID), []);
                assert.ok(readdirSync(join(one, 'repo', '.git')).length > 0);
            });

            it('no-new-privileges, no Docker socket, no privileges added', async () => {
                const info = await coreFor(one).ensureContainer();
                const inspected = await docker.getContainer(info.id).inspect();
                assert.ok(inspected.HostConfig.SecurityOpt?.includes('no-new-privileges:true'));
                assert.equal(inspected.HostConfig.Privileged, false);
                assert.deepEqual(inspected.HostConfig.CapAdd ?? [], []);
                for (const mount of inspected.Mounts) {
                    assert.doesNotMatch(mount.Source ?? '', /docker\.sock|docker_engine/);
                }
                const probe = await runCapture(
                    docker.getContainer(info.id),
                    ['sh', '-c', 'ls /var/run/docker.sock /run/docker.sock 2>&1; id -u'],
                    { user: 'hagicode' },
                );
                assert.match(probe.stdout, /No such file[\s\S]*No such file/);
                assert.notEqual(probe.stdout.trim().split('\n').pop(), '0');
            });

            it('volumes go only by the explicit removal, never with the container', async () => {
                const core = coreFor(one);
                const info = await core.ensureContainer();
                const marker = randomBytes(16).toString('hex');
                await runCapture(
                    docker.getContainer(info.id),
                    ['sh', '-c', 'printf %s "$1" > ~/.codex/marker', 'sh', marker],
                    { user: 'hagicode' },
                );
                await fault(
                    async () => {
                        await core.remove();
                        await coreFor(two).remove();
                    },
                    async () => {
                        assert.deepEqual(await core.toolVolumes('codex'), [`${namespace}-codex`]);
                        const again = await core.ensureContainer();
                        const read = await runCapture(
                            docker.getContainer(again.id),
                            ['cat', `${CONTAINER_HOME}/.codex/marker`],
                            { user: 'hagicode' },
                        );
                        if (read.stdout !== marker) tally.dataLost++;
                        assert.equal(read.stdout, marker);
                    },
                );
                // The explicit command is refused while a container uses the volume.
                await assert.rejects(core.removeToolVolumes('codex'), /in use/);
                await core.remove();
                assert.deepEqual(await core.removeToolVolumes('codex'), [`${namespace}-codex`]);
            });

            it('image, mount, host and certificate settings are restricted and machine-scoped', () => {
                const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
                const restricted: string[] =
                    manifest.capabilities.untrustedWorkspaces.restrictedConfigurations;
                const properties = manifest.contributes.configuration.properties;
                const machine = ['machine', 'machine-overridable'];
                for (const key of [
                    'image.name',
                    'image.baseImage',
                    'image.caCertificates',
                    'container.workspaceMountPath',
                    'docker.host',
                ]) {
                    const full = `agentContainers.${key}`;
                    assert.ok(restricted.includes(full), `${full} not restricted`);
                    assert.ok(
                        machine.includes(properties[full].scope),
                        `${full} not machine-scoped`,
                    );
                }
                for (const key of ['image.source', 'container.environment', 'container.uid']) {
                    assert.ok(restricted.includes(`agentContainers.${key}`), key);
                }
            });
        });
    },
);

describe('bad settings never reach the engine', () => {
    it('each is refused naming the setting; the recording engine hears nothing', async () => {
        const engine = await FakeEngine.listen();
        const workspaceFolder = join(ROOT, 'bad');
        for (const input of [...HANDWRITTEN, ...MISSING_FILES]) {
            tally.badTried++;
            let error: unknown;
            try {
                const settings = parseSettings({
                    'docker.host': engine.host,
                    [input.key]: input.value,
                });
                const namespace = testNamespace('bad');
                const core = createCore({ settings, namespace, workspaceFolder });
                await core.ensureContainer().finally(() => core.dispose());
            } catch (caught) {
                error = caught;
            }
            assert.ok(error instanceof SettingsError, `${input.key}: ${String(error)}`);
            assert.ok(error.key.startsWith('agentContainers.'), error.key);
            assertOneLine(describeFailure('Open Claude', error)!.message);
            tally.badRejected++;
        }
        assert.deepEqual(engine.requests, []);
        await engine.close();
    });
});

after(() => {
    rmSync(ROOT, { recursive: true, force: true });
    console.log(
        `reliability summary: faults injected ${tally.injected}, survived ${tally.survived}, ` +
            `bad inputs tried ${tally.badTried}, rejected with a clear message ` +
            `${tally.badRejected}, data lost ${tally.dataLost}`,
    );
    assert.equal(tally.dataLost, 0);
});

/** Creates an ordinary user with this UID (and a group of the same ID) if missing. */
function ensureUser(uid: number): void {
    if (spawnSync('getent', ['passwd', String(uid)]).status === 0) return;
    spawnSync('groupadd', ['--gid', String(uid), `agent-fault-${uid}`]);
    const made = spawnSync('useradd', [
        '--uid',
        String(uid),
        '--gid',
        String(uid),
        '--no-create-home',
        '--shell',
        '/usr/sbin/nologin',
        `agent-fault-${uid}`,
    ]);
    if (made.status !== 0) throw new Error(`useradd: ${made.stderr}`);
}

interface EngineEvent {
    Type: string;
    Action: string;
    Actor: { ID: string; Attributes?: Record<string, string> };
}

/** Events since `since` (seconds) until now: the namespace's containers and all images. */
async function engineEvents(since: number, namespace: string): Promise<EngineEvent[]> {
    const until = Math.floor(Date.now() / 1000) + 1;
    const stream = (await docker.getEvents({
        since,
        until,
    })) as unknown as NodeJS.ReadableStream;
    const chunks: Buffer[] = [];
    await new Promise<void>((resolve, reject) => {
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', resolve);
        stream.on('error', reject);
    });
    return Buffer.concat(chunks)
        .toString('utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as EngineEvent)
        .filter(
            (event) =>
                event.Type === 'image' || event.Actor.Attributes?.[LABEL_NAMESPACE] === namespace,
        );
}
