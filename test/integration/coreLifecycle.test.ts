/**
 * The core's lifecycle against the real engine: concurrent requests share one build and
 * one container, a changed version rebuilds exactly once, a build can be cancelled, tool
 * volumes outlive the container and go only when asked, and an unreachable engine is
 * reported as such without creating anything.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createCore, type Core } from '../../src/core';
import { EngineError } from '../../src/docker/engineError';
import { LABEL_NAMESPACE } from '../../src/docker/labels';
import { log, setLogger, type Logger } from '../../src/log';
import { TOOLS, volumeName } from '../../src/tools/registry';
import {
    docker,
    removeTestObjects,
    TEST_LABEL,
    testNamespace,
    testSettings,
} from '../support/docker';
import { TerminalDriver } from '../support/terminal';

const namespace = testNamespace('lifecycle');
const workspace = mkdtempSync(join(tmpdir(), 'agent-lifecycle-'));
const labels = { [TEST_LABEL]: namespace };

function settingsWith(extra: Record<string, unknown> = {}) {
    return testSettings(extra);
}

const newCore = (extra?: Record<string, unknown>) =>
    createCore({ settings: settingsWith(extra), namespace, workspaceFolder: workspace, labels });

/** Counts "Building image" log lines while `work` runs. */
async function countBuilds(work: () => Promise<unknown>): Promise<number> {
    const previous = log;
    let builds = 0;
    const counting: Logger = {
        ...previous,
        info: (message) => {
            if (message.startsWith('Building image')) builds++;
            previous.info(message);
        },
    };
    setLogger(counting);
    try {
        await work();
    } finally {
        setLogger(previous);
    }
    return builds;
}

async function namespaceImages() {
    return docker.listImages({ filters: { label: [`${LABEL_NAMESPACE}=${namespace}`] } });
}

let cores: Core[] = [];

describe('core lifecycle', { timeout: 15 * 60_000 }, () => {
    before(() => {
        cores = [newCore(), newCore()];
    });

    after(async () => {
        cores.forEach((core) => core.dispose());
        await removeTestObjects(namespace);
        for (const image of await namespaceImages()) {
            for (const tag of image.RepoTags ?? []) {
                await docker
                    .getImage(tag)
                    .remove({ noprune: true })
                    .catch(() => undefined);
            }
        }
        rmSync(workspace, { recursive: true, force: true });
    });

    it('two windows opening at once share one build and one container', async () => {
        let infos: { id: string }[] = [];
        const builds = await countBuilds(async () => {
            infos = await Promise.all([cores[0].ensureContainer(), cores[1].ensureContainer()]);
        });
        assert.equal(builds, 1);
        assert.equal(infos[0].id, infos[1].id);
        const filters = { label: [`${LABEL_NAMESPACE}=${namespace}`] };
        assert.equal((await docker.listContainers({ all: true, filters })).length, 1);
    });

    it('several terminals run at once', async () => {
        const drivers = [1, 2, 3].map((n) => {
            const driver = new TerminalDriver(cores[n % 2].openTerminal('shell')).open(80, 24);
            return { n, driver };
        });
        for (const { driver } of drivers) await driver.waitFor(/\$ $/m);
        for (const { n, driver } of drivers) driver.type(`echo terminal-$((${n} * 11))\r`);
        for (const { n, driver } of drivers)
            await driver.waitFor(new RegExp(`\\nterminal-${n * 11}\\n`));
        drivers.forEach(({ driver }) => driver.terminal.close());
    });

    it('a changed version rebuilds exactly once and replaces the container', async () => {
        const before = await cores[0].ensureContainer();
        const states: string[] = [];
        const subscription = cores[0].onStateChange((state) => states.push(state));
        const changed = settingsWith({ 'tools.claude.version': '2.1.332' });
        cores.forEach((core) => core.updateSettings(changed));
        let refs: string[] = [];
        const builds = await countBuilds(async () => {
            refs = await Promise.all([cores[0].ensureImage(), cores[1].ensureImage()]);
            refs.push(await cores[0].ensureImage());
        });
        assert.equal(builds, 1);
        assert.equal(new Set(refs).size, 1);
        const image = await docker.getImage(refs[0]).inspect();
        assert.equal(image.Config.Labels?.['agent-containers.tool.claude.version'], '2.1.332');

        const after = await cores[0].ensureContainer();
        assert.notEqual(after.id, before.id);
        assert.equal(after.image, refs[0]);
        const deadline = Date.now() + 10_000;
        while (states.at(-1) !== 'running' && Date.now() < deadline) {
            await new Promise((resolve) => setTimeout(resolve, 50));
        }
        subscription.dispose();
        for (const state of ['building', 'starting', 'running']) {
            assert.ok(states.includes(state), `${state} in ${states}`);
        }
        const driver = new TerminalDriver(
            cores[0].openTerminal('shell', { env: { SESSION_ONLY: 'yes' } }),
        ).open(100, 30);
        await driver.waitFor(/\$ $/m);
        driver.type('claude --version; echo "only:$SESSION_ONLY"\r');
        await driver.waitFor(/2\.1\.332 \(Claude Code\)[\s\S]*only:yes/, 30_000);
        driver.terminal.close();
        const config = await docker.getContainer(after.id).inspect();
        assert.ok(!config.Config.Env.some((entry) => entry.startsWith('SESSION_ONLY')));
    });

    it('a build can be cancelled', async () => {
        const controller = new AbortController();
        const started = Date.now();
        const progress = (line: string) => {
            if (/^Step 2\//.test(line)) controller.abort();
        };
        // Not noCache: the engine's classic builder would then prefer the new, unfinished
        // layers as cache for later builds of every test, which would rebuild everything.
        await assert.rejects(
            cores[0].buildImage(progress, controller.signal),
            (error: Error) => error.name === 'AbortError',
        );
        assert.ok(Date.now() - started < 30_000);
    });

    it('removing the container keeps the volumes; removing a tool volume asks nothing else', async () => {
        const core = cores[0];
        await core.ensureContainer();
        await assert.rejects(core.removeToolVolumes('codex'), /in use/);

        await core.remove();
        assert.equal(await core.containerState(), 'none');
        const all = TOOLS.flatMap((t) => t.volumes.map((v) => volumeName(namespace, v)));
        for (const name of all) await docker.getVolume(name).inspect();

        const removed = await core.removeToolVolumes('codex');
        assert.deepEqual(removed, [`${namespace}-codex`]);
        assert.deepEqual(await core.toolVolumes('codex'), []);
        assert.equal((await core.toolVolumes('opencode')).length, 4);
    });

    it('an unreachable engine is reported as such and nothing is made', async () => {
        const core = newCore({ 'docker.host': 'unix:///tmp/agent-containers-no-engine.sock' });
        cores.push(core);
        assert.equal(await core.containerState(), 'unavailable');
        await assert.rejects(core.ensureContainer(), (error: unknown) => {
            assert.ok(error instanceof EngineError);
            assert.equal(error.kind, 'notRunning');
            assert.equal(error.action, 'startDocker');
            assert.doesNotMatch(error.message, /\n/);
            return true;
        });
    });
});
