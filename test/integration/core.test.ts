/**
 * The core without the editor: builds the image once, creates the workspace's container,
 * runs each CLI through a ToolTerminal with a TTY, follows resizes, and recreates the
 * container keeping the tools' volumes. The workspace folder is named "my project é" (C12).
 */
import assert from 'node:assert/strict';
import { chownSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createCore, type Core } from '../../src/core';
import { LABEL_NAMESPACE } from '../../src/docker/labels';
import { runCapture } from '../../src/session/execCapture';
import { CONTAINER_HOME, TOOLS } from '../../src/tools/registry';
import {
    docker,
    removeTestObjects,
    TEST_LABEL,
    testNamespace,
    testSettings,
} from '../support/docker';
import { TerminalDriver } from '../support/terminal';

const namespace = testNamespace('core');
const root = mkdtempSync(join(tmpdir(), 'agent-core-'));
const workspace = join(root, 'my project é');

function settingsWith(extra: Record<string, unknown> = {}) {
    return testSettings(extra);
}

let core: Core;
const builtImages = new Set<string>();

async function namespaceObjects() {
    const filters = { label: [`${LABEL_NAMESPACE}=${namespace}`] };
    const containers = await docker.listContainers({ all: true, filters });
    const images = await docker.listImages({ filters });
    return { containers, images };
}

/** Runs argv as the container user in the workspace's container, without a TTY. */
async function inContainer(argv: string[], user = 'hagicode') {
    const info = await core.ensureContainer();
    return runCapture(docker.getContainer(info.id), argv, { user });
}

/** Closing a terminal ends its process: wait until no process runs `name`. */
async function waitUntilGone(name: string) {
    const script = 'for f in /proc/[0-9]*/cmdline; do tr "\\000" " " < "$f"; echo; done';
    const deadline = Date.now() + 10_000;
    for (;;) {
        const { stdout } = await inContainer(['sh', '-c', script], 'root');
        const running = stdout.split('\n').filter((line) => line.includes(name));
        if (running.length === 0) return;
        assert.ok(Date.now() < deadline, `still running: ${running.join(' | ')}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
    }
}

describe('core against the real engine', { timeout: 15 * 60_000 }, () => {
    before(() => {
        mkdirSync(workspace, { recursive: true });
        core = createCore({
            settings: settingsWith(),
            namespace,
            workspaceFolder: workspace,
            labels: { [TEST_LABEL]: namespace },
        });
    });

    after(async () => {
        core?.dispose();
        await removeTestObjects(namespace);
        for (const ref of builtImages) {
            // noprune keeps the layers other test files build from cache.
            await docker
                .getImage(ref)
                .remove({ noprune: true })
                .catch(() => undefined);
        }
        rmSync(root, { recursive: true, force: true });
    });

    it('builds the image once and starts the container (C12 path)', async () => {
        const lines: string[] = [];
        const started = Date.now();
        const info = await core.ensureContainer((line) => lines.push(line));
        builtImages.add(info.image);
        console.log(`first ensure: ${((Date.now() - started) / 1000).toFixed(1)} s`);

        assert.ok(
            lines.some((line) => /^Step \d+\/\d+/.test(line)),
            'a build ran',
        );
        assert.equal(info.workspacePath, workspace);
        const inspect = await docker.getContainer(info.id).inspect();
        assert.equal(inspect.State.Running, true);
        assert.equal(inspect.HostConfig.NetworkMode, 'none');
        assert.deepEqual(inspect.HostConfig.SecurityOpt, ['no-new-privileges:true']);
        const mounts = inspect.Mounts.map((m) => `${m.Type} ${m.Source} ${m.Destination}`);
        assert.ok(mounts.includes(`bind ${workspace} ${workspace}`), mounts.join('\n'));
        assert.ok(!mounts.some((m) => m.includes('docker.sock')));
        for (const tool of TOOLS) {
            for (const volume of tool.volumes) {
                const target = `${CONTAINER_HOME}/${volume.path}`;
                assert.ok(
                    inspect.Mounts.some((m) => m.Type === 'volume' && m.Destination === target),
                    `volume on ${target}`,
                );
            }
        }
        assert.equal(await core.containerState(), 'running');
    });

    it('a second ensure with nothing changed builds nothing and makes no container', async () => {
        const before = await namespaceObjects();
        const lines: string[] = [];
        const first = await core.ensureContainer();
        const again = await core.ensureContainer((line) => lines.push(line));
        const afterwards = await namespaceObjects();

        assert.equal(again.id, first.id);
        assert.deepEqual(
            lines.filter((line) => /Step|Creating|Starting/.test(line)),
            [],
        );
        assert.deepEqual(
            afterwards.images.map((i) => i.Id),
            before.images.map((i) => i.Id),
        );
        assert.equal(afterwards.images.length, 1);
        assert.deepEqual(
            afterwards.containers.map((c) => c.Id),
            before.containers.map((c) => c.Id),
        );
    });

    it('C4: fresh volumes are owned by the container user and writable', async () => {
        const info = await core.ensureContainer();
        const roots = TOOLS.flatMap((t) => t.volumes.map((v) => `${CONTAINER_HOME}/${v.path}`));
        const owners = await inContainer(['stat', '-c', '%u:%g %n', ...roots]);
        for (const line of owners.stdout.trim().split('\n')) {
            assert.match(line, new RegExp(`^${info.uid}:${info.gid} `), line);
        }
        for (const dir of roots) {
            const touched = await inContainer(['touch', `${dir}/.write-test`]);
            assert.equal(touched.exitCode, 0, `${dir}: ${touched.stderr}`);
        }
    });

    it('runs each CLI in a TTY and reads its output', async () => {
        for (const tool of TOOLS) {
            core.updateSettings(settingsWith({ [`tools.${tool.id}.extraArgs`]: ['--version'] }));
            const driver = new TerminalDriver(core.openTerminal(tool.id)).open(100, 30);
            const code = await driver.waitForExit();
            assert.equal(code, 0, driver.text);
            assert.ok(driver.text.includes(tool.defaultVersion), `${tool.id}: ${driver.text}`);
            assert.doesNotMatch(driver.text, /EACCES/);
            driver.type('x');
            assert.equal(driver.closed, true);
        }
        core.updateSettings(settingsWith());
    });

    it('Claude draws its welcome screen offline, and writes no ~/.claude.json', async () => {
        const driver = new TerminalDriver(core.openTerminal('claude')).open(100, 30);
        await driver.waitFor(/Welcome to Claude Code/, 90_000);
        driver.terminal.close();
        await waitUntilGone('claude');
        const home = await inContainer(['test', '-e', `${CONTAINER_HOME}/.claude.json`]);
        assert.notEqual(home.exitCode, 0, '~/.claude.json must not exist in the home root');
    });

    it('C8: the TTY size is set at start and follows resizes', async () => {
        const driver = new TerminalDriver(core.openTerminal('shell')).open(97, 31);
        await driver.waitFor(/\$ $/m);
        let mark = driver.text.length;
        driver.type('tput cols; tput lines\r');
        await driver.waitFor(/\n97\n31\n/, 10_000, mark);

        driver.terminal.setDimensions({ columns: 120, rows: 40 });
        await new Promise((resolve) => setTimeout(resolve, 300));
        mark = driver.text.length;
        driver.type('tput cols; tput lines\r');
        await driver.waitFor(/\n120\n40\n/, 10_000, mark);

        // A character split across two output chunks still decodes as one.
        mark = driver.text.length;
        driver.type("printf '\\303'; sleep 0.5; printf '\\251\\n'\r");
        await driver.waitFor(/é/, 10_000, mark);
        assert.doesNotMatch(driver.text.slice(mark), /\uFFFD/);

        driver.terminal.close();
    });

    it('C12: the shell opens in the workspace named "my project é"', async () => {
        writeFileSync(join(workspace, 'from-host.txt'), 'hello');
        const driver = new TerminalDriver(core.openTerminal('shell')).open(120, 30);
        await driver.waitFor(/\$ $/m);
        driver.type('pwd; cat from-host.txt; echo\r');
        await driver.waitFor(new RegExp(`${workspace}\\nhello`));
        driver.type('exit 3\r');
        assert.equal(await driver.waitForExit(), 3);
    });

    it('C1-C3: recreating the container keeps every tool volume', async () => {
        const claudeJson =
            '{"hasCompletedOnboarding":true,"projects":{"/w":{"allowedTools":["Bash"]}}}';
        const files: [string, string, string][] = [
            [`${CONTAINER_HOME}/.claude/.claude.json`, claudeJson, '644'],
            [`${CONTAINER_HOME}/.claude/.credentials.json`, '{"claudeAiOauth":{"t":"x"}}', '600'],
            [`${CONTAINER_HOME}/.local/share/opencode/auth.json`, '{"openai":{"k":1}}', '600'],
            [`${CONTAINER_HOME}/.codex/auth.json`, '{"OPENAI_API_KEY":null}', '600'],
        ];
        for (const [path, content, mode] of files) {
            const script = 'printf %s "$1" > "$2" && chmod "$3" "$2"';
            const wrote = await inContainer(['sh', '-c', script, 'sh', content, path, mode]);
            assert.equal(wrote.exitCode, 0, wrote.stderr);
        }
        const before = await core.ensureContainer();

        await core.remove();
        assert.equal(await core.containerState(), 'none');
        const recreated = await core.ensureContainer();
        assert.notEqual(recreated.id, before.id);
        for (const [path, content, mode] of files) {
            const read = await inContainer([
                'sh',
                '-c',
                'cat "$1"; echo; stat -c %a "$1"',
                'sh',
                path,
            ]);
            assert.equal(read.stdout, `${content}\n${mode}\n`, path);
        }

        // Claude itself, opened again, finds its onboarding and project trust in the volume.
        const driver = new TerminalDriver(core.openTerminal('claude')).open(100, 30);
        await driver.waitFor(/trust this folder|Welcome to Claude Code/, 90_000);
        driver.terminal.close();
        await waitUntilGone('claude');
        const config = await inContainer(['cat', `${CONTAINER_HOME}/.claude/.claude.json`]);
        const parsed = JSON.parse(config.stdout);
        assert.equal(parsed.hasCompletedOnboarding, true);
        assert.deepEqual(parsed.projects['/w'].allowedTools, ['Bash']);
        const credentials = await inContainer([
            'cat',
            `${CONTAINER_HOME}/.claude/.credentials.json`,
        ]);
        assert.equal(credentials.stdout, files[1][1]);
        const home = await inContainer(['test', '-e', `${CONTAINER_HOME}/.claude.json`]);
        assert.notEqual(home.exitCode, 0, 'no .claude.json in the home root');
    });

    it('C5: the container user takes the host IDs each time', async () => {
        for (const [uid, gid] of [
            [1000, 100],
            [1001, 1001],
            [1000, 1000],
        ]) {
            const dir = join(workspace, `ids-${uid}-${gid}`);
            mkdirSync(dir, { recursive: true });
            for (const path of [workspace, dir]) {
                // The host user owns their workspace; root here stands in for them.
                chownSync(path, uid, gid);
            }
            core.updateSettings(settingsWith({ 'container.uid': uid, 'container.gid': gid }));
            const info = await core.ensureContainer();
            assert.equal(info.uid, uid);

            const driver = new TerminalDriver(core.openTerminal('shell')).open(120, 30);
            await driver.waitFor(/\$ $/m);
            driver.type(
                `id -u; id -g; touch ids-${uid}-${gid}/made && touch ~/home-ok && echo done\r`,
            );
            await driver.waitFor(new RegExp(`\\n${uid}\\n${gid}\\ndone`), 20_000);
            driver.terminal.close();

            const made = statSync(join(dir, 'made'));
            assert.deepEqual([made.uid, made.gid], [uid, gid]);
        }
        core.updateSettings(settingsWith());
    });

    it('stop, start and restart show in the state stream', async () => {
        await core.ensureContainer();
        const seen: string[] = [];
        const subscription = core.onStateChange((state) => seen.push(state));
        const waitState = async (state: string) => {
            const deadline = Date.now() + 30_000;
            while (seen.at(-1) !== state) {
                assert.ok(Date.now() < deadline, `state ${state} not seen: ${seen}`);
                await new Promise((resolve) => setTimeout(resolve, 50));
            }
        };
        await waitState('running');
        await core.stop();
        await waitState('stopped');
        await core.start();
        await waitState('running');
        const logs = await core.logs({ tail: 50 });
        assert.equal(typeof logs, 'string');
        subscription.dispose();
    });
});
