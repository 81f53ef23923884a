/**
 * C9: extra Claude arguments `--dangerously-skip-permissions` start Claude, because sessions
 * run as the container user. Claude refuses that flag as root, so a control run as root in
 * the same container shows the check is live and the session test could see it.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createCore, type Core } from '../../src/core';
import {
    docker,
    removeTestObjects,
    TEST_LABEL,
    testNamespace,
    testSettings,
} from '../support/docker';
import { TerminalDriver } from '../support/terminal';

const FLAG = '--dangerously-skip-permissions';
const REFUSAL = /cannot be used with root\/sudo privileges/;

const namespace = testNamespace('skip-permissions');
const root = mkdtempSync(join(tmpdir(), 'agent-skip-'));
const workspace = join(root, 'skip permissions é');
let core: Core;
let image: string | undefined;

describe('C9: Claude with --dangerously-skip-permissions', { timeout: 10 * 60_000 }, () => {
    before(() => {
        mkdirSync(workspace, { recursive: true });
        core = createCore({
            settings: testSettings({ 'tools.claude.extraArgs': [FLAG] }),
            namespace,
            workspaceFolder: workspace,
            labels: { [TEST_LABEL]: namespace },
        });
    });

    after(async () => {
        core?.dispose();
        await removeTestObjects(namespace);
        // noprune keeps the layers other test files build from cache.
        if (image) await docker.getImage(image).remove({ noprune: true });
        rmSync(root, { recursive: true, force: true });
    });

    it('starts in a session, and is refused as root in the same container', async () => {
        const info = await core.ensureContainer();
        image = info.image;

        const driver = new TerminalDriver(core.openTerminal('claude')).open(100, 30);
        // Offline Claude shows its first screen (or says it cannot connect), never the refusal.
        await driver.waitFor(/Welcome to Claude Code|Bypass Permissions|Unable to connect/, 90_000);
        assert.doesNotMatch(driver.text, REFUSAL);
        driver.terminal.close();

        // The control, interactive on a TTY like the session: as root Claude refuses the flag.
        const asRoot = await docker.getContainer(info.id).exec({
            Cmd: ['timeout', '30', 'claude', FLAG],
            User: 'root',
            WorkingDir: '/tmp',
            Tty: true,
            AttachStdout: true,
            AttachStderr: true,
        });
        const stream = await asRoot.start({ hijack: true, stdin: false, Tty: true });
        let output = '';
        stream.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
        await new Promise((resolve) => stream.on('end', resolve));
        assert.match(output, REFUSAL);
        assert.equal((await asRoot.inspect()).ExitCode, 1);
    });
});
