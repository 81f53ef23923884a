/**
 * The main job as a user meets it: the packaged extension in a real VS Code (code-server),
 * run by an ordinary user (UID 1234) on a workspace that user owns, driven from the command
 * palette in Chromium, against the real Docker engine. The steps build on each other, so
 * after a failed step the rest are skipped rather than failing for the same reason.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import { TEST_BASE_IMAGE, hostCaCertificateFiles, testNamespace } from '../support/docker';
import { startEditorSession, type EditorSession } from './harness/editorSession';
import { packageExtension } from './harness/packageExtension';
import {
    containerCommands,
    containerExecs,
    namespaceImages,
    removeProductObjects,
    workspaceContainers,
} from './harness/productObjects';

const EXTENSION_ID = 'agent-containers.agent-containers';
const BUILD_TIMEOUT = 15 * 60_000;
const OPEN_TIMEOUT = 90_000;

// What each CLI draws in a container without network, on fresh volumes. Claude then says
// it cannot connect and exits; Codex (its sign-in choice) and OpenCode wait for input.
const CLAUDE_WELCOME = /Welcome to Claude Code/;
const CODEX_SCREEN = /Welcome to Codex/;
const OPENCODE_SCREEN = /Ask anything/;

const namespace = testNamespace('e2e');
// A CA of this run's own among the image inputs makes them new, so the first open really
// builds (from the base image on) instead of finding layers an earlier test left cached.
const runCa = `/tmp/${namespace}-ca.crt`;
let session: EditorSession;
let failedStep: string | undefined;
/** The one container of the workspace, as made by the first open. */
let containerId: string;
const timings: Record<string, number> = {};

/**
 * A step that is skipped once an earlier one failed, since it builds on it. It keeps its
 * own time limit: the runner's would only abandon the body, which then runs on unnoticed.
 */
function step(name: string, timeout: number, body: () => Promise<void>): void {
    it(name, { timeout: timeout + 30_000 }, async (t: TestContext) => {
        if (failedStep) return t.skip(`needs "${failedStep}"`);
        let timer: NodeJS.Timeout | undefined;
        const expired = new Promise<never>((_, reject) => {
            timer = setTimeout(
                () => reject(new Error(`step took over ${timeout / 1000} s`)),
                timeout,
            );
        });
        try {
            await Promise.race([body(), expired]);
        } catch (error) {
            failedStep = name;
            await session?.workbench.screenshot(`failed-${slug(name)}`).catch(() => undefined);
            throw error;
        } finally {
            clearTimeout(timer);
        }
    });
}

describe('main job in a real editor', { timeout: 30 * 60_000 }, () => {
    before(async () => {
        const started = Date.now();
        makeCertificate(runCa, namespace);
        session = await startEditorSession({
            namespace,
            vsix: packageExtension(),
            settings: {
                'agentContainers.image.baseImage': TEST_BASE_IMAGE,
                'agentContainers.image.caCertificates': [...hostCaCertificateFiles(), runCa],
                'agentContainers.image.buildNetworkMode': 'host',
                'agentContainers.container.networkMode': 'none',
                // Terminals in the editor area are tall enough to hold a CLI's whole screen.
                'terminal.integrated.defaultLocation': 'editor',
                'terminal.integrated.confirmOnKill': 'never',
            },
        });
        // Its status bar item shows once the extension host has loaded it; until then the
        // palette does not list its commands.
        await session.workbench.statusBarItem(EXTENSION_ID).waitFor({ timeout: 60_000 });
        timings['package, install and start the editor'] = Date.now() - started;
    });

    after(async () => {
        await session?.close();
        await removeProductObjects(namespace);
        rmSync(runCa, { force: true });
        const lines = Object.entries(timings).map(
            ([what, ms]) => `  ${what}: ${(ms / 1000).toFixed(1)} s`,
        );
        console.log(`main job timings (${namespace}):\n${lines.join('\n')}`);
        if (process.env.AGENT_E2E_README_SCREENSHOTS) copyReadmeScreenshots();
    });

    step(
        'Open Claude builds the image, showing progress, then shows Claude',
        BUILD_TIMEOUT,
        async () => {
            const wb = session.workbench;
            assert.deepEqual(
                await namespaceImages(namespace),
                [],
                'no image before the first open',
            );
            const started = Date.now();
            await wb.runCommand('Open Claude in Container');

            const progress = await wb.waitForNotification(/Opening Claude in container/i, 30_000);
            const showsStep = async () => /Step \d+\/\d+/.test(await progress.innerText());
            await waitFor(showsStep, 120_000, 'build steps in the progress notification');
            // For the screenshot: once the toast has slid in, the next step line it shows.
            await wb.page.waitForTimeout(600);
            await waitFor(showsStep, 60_000, 'another build step').catch(() => undefined);
            await wb.screenshot('build-progress');

            await wb.waitForTerminalHistory(CLAUDE_WELCOME, BUILD_TIMEOUT);
            timings['first open (cold: image build, container start, Claude)'] =
                Date.now() - started;
            assert.equal((await namespaceImages(namespace)).length, 1, 'one image built');
            const containers = await workspaceContainers(namespace, session.workspace);
            assert.equal(containers.length, 1, 'one container for the workspace');
            containerId = containers[0].id;
            await wb.page.waitForTimeout(1000); // let Claude finish drawing for the screenshot
            await wb.screenshot('claude-terminal');
        },
    );

    step('the status bar shows the container running; its menu opens', 60_000, async () => {
        const wb = session.workbench;
        const item = wb.statusBarItem(EXTENSION_ID);
        await waitFor(async () => /running/i.test(await item.innerText()), 30_000, '"running"');
        await item.click();
        await wb.page.locator('.quick-input-widget').waitFor({ state: 'visible' });
        await wb.screenshot('status-bar-menu');
        await wb.page.keyboard.press('Escape');
    });

    step('a file made in the container shell belongs to the host user', OPEN_TIMEOUT, async () => {
        const wb = session.workbench;
        await wb.runCommand('Open Shell in Container');
        await wb.waitForTerminalText(/\$\s*$/m, 30_000);
        // The shell computes the marker, so the echo of the typed line cannot match it.
        await wb.typeInTerminal('touch made-in-container.txt && echo "touched-$((40 + 2))"');
        await wb.waitForTerminalText(/touched-42/, 15_000);

        const made = statSync(join(session.workspace, 'made-in-container.txt'));
        assert.equal(made.uid, session.user.uid, 'owner is the host user');
        assert.equal(made.gid, session.user.gid, 'group is the host user group');
    });

    step('Codex and OpenCode open in the same container', 2 * OPEN_TIMEOUT, async () => {
        const wb = session.workbench;
        await wb.resetTerminalHistory();
        let started = Date.now();
        await wb.runCommand('Open Codex in Container');
        await wb.waitForTerminalHistory(CODEX_SCREEN, OPEN_TIMEOUT, exited('Codex'));
        timings['Codex open (warm: container running)'] = Date.now() - started;
        await wb.screenshot('codex-terminal');

        await wb.resetTerminalHistory();
        started = Date.now();
        await wb.runCommand('Open OpenCode in Container');
        await wb.waitForTerminalHistory(OPENCODE_SCREEN, OPEN_TIMEOUT, exited('OpenCode'));
        timings['OpenCode open (warm: container running)'] = Date.now() - started;
        await wb.screenshot('opencode-terminal');

        // Claude (offline) has ended by now and the engine forgets ended execs, so "the same
        // container" is: still the only one, the one Claude's open made, running both.
        const containers = await workspaceContainers(namespace, session.workspace);
        assert.deepEqual(
            containers.map((c) => c.id),
            [containerId],
            'the container of the first open is the only one',
        );
        const execs = await containerExecs(containerId);
        for (const cli of ['codex', 'opencode']) {
            const runs = execs.some((e) => e.running && e.argv.includes(cli));
            assert.ok(runs, `${cli} runs in the container; its execs: ${JSON.stringify(execs)}`);
        }
    });

    step('closing a terminal ends its session and only that', 60_000, async () => {
        const running = async (cli: string) =>
            (await containerExecs(containerId)).some((e) => e.running && e.argv.includes(cli));
        assert.ok(await running('opencode'), 'OpenCode runs before its terminal is closed');

        // Terminals live in the editor area here, so closing one is closing its editor tab.
        await session.workbench.runCommand('View: Close Editor');
        await waitFor(async () => !(await running('opencode')), 20_000, 'the OpenCode exec to end');
        const processes = await containerCommands(containerId);
        assert.ok(!processes.some((p) => /opencode/.test(p)), `no OpenCode left:\n${processes}`);
        assert.ok(await running('codex'), 'Codex, in another terminal, still runs');
    });

    step('Stop Container changes the status bar', 60_000, async () => {
        const item = session.workbench.statusBarItem(EXTENSION_ID);
        await session.workbench.runCommand('Stop Container');
        await waitFor(async () => /stopped/i.test(await item.innerText()), 45_000, '"stopped"');
        const [container] = await workspaceContainers(namespace, session.workspace);
        assert.equal(container.state, 'exited');
        await session.workbench.screenshot('stopped');
    });

    step('a second Open Claude starts the stopped container (warm)', OPEN_TIMEOUT, async () => {
        const wb = session.workbench;
        // The first Claude terminal still shows the welcome screen; only a new one counts.
        await wb.runCommand('Terminal: Kill All Terminals');
        await wb.page.locator('.xterm-rows').first().waitFor({ state: 'detached' });
        await wb.resetTerminalHistory();
        const started = Date.now();
        await wb.runCommand('Open Claude in Container');
        await wb.waitForTerminalHistory(CLAUDE_WELCOME, OPEN_TIMEOUT);
        timings['second open (warm: image cached, container start, Claude)'] = Date.now() - started;

        const item = wb.statusBarItem(EXTENSION_ID);
        await waitFor(async () => /running/i.test(await item.innerText()), 30_000, '"running"');
        const containers = await workspaceContainers(namespace, session.workspace);
        assert.deepEqual(
            containers.map((c) => [c.id, c.state]),
            [[containerId, 'running']],
            'the same container runs again',
        );
    });
});

/** A throwaway self-signed CA certificate (its key is discarded at once). */
function makeCertificate(path: string, name: string): void {
    execFileSync(
        'openssl',
        [
            'req',
            '-x509',
            '-newkey',
            'ec',
            '-pkeyopt',
            'ec_paramgen_curve:prime256v1',
            '-nodes',
            '-keyout',
            '/dev/null',
            '-subj',
            `/CN=${name}`,
            '-days',
            '2',
            '-out',
            path,
        ],
        { stdio: 'ignore' },
    );
}

/**
 * Real screenshots of this run for the README, on request (they are committed). Only those
 * the run took, that is those whose steps passed.
 */
function copyReadmeScreenshots(): void {
    const target = resolve(__dirname, '../../media/screenshots');
    mkdirSync(target, { recursive: true });
    for (const name of ['build-progress', 'claude-terminal', 'status-bar-menu']) {
        const shot = join(session.screenshotDir, `${name}.png`);
        if (existsSync(shot)) copyFileSync(shot, join(target, `${name}.png`));
    }
}

/** The line the extension's terminal prints when the CLI in it has ended. */
function exited(label: string): RegExp {
    return new RegExp(`\\[${label} exited with code \\d+\\]`);
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
        if (await check()) return;
        await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
}

function slug(text: string): string {
    return text
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .slice(0, 60);
}
