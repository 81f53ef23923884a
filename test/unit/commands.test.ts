import { addFolder, fake } from './support/fakeVscode';
import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import * as vscode from 'vscode';
import type { CommandContext } from '../../src/commands/commandContext';
import { registerCommands } from '../../src/commands/registerCommands';
import { parseSettings } from '../../src/config/settings';
import type { ProgressReporter } from '../../src/core';
import type { WorkspaceCores } from '../../src/editor/workspaceCores';

/** The part of a core the commands use, recording calls instead of talking to Docker. */
class CoreDouble {
    calls: string[] = [];
    namespace = 'agent-containers';
    settings = parseSettings({});
    volumes = ['agent-containers-opencode-config', 'agent-containers-opencode-data'];
    ensureImage: (report: ProgressReporter, signal: AbortSignal) => Promise<string> = async (
        report,
    ) => {
        report('Building agent image… step 3/12');
        return 'agent-containers:abc';
    };
    async ensureContainer() {
        this.calls.push('ensureContainer');
    }
    openTerminal(target: string) {
        this.calls.push(`openTerminal ${target}`);
        return { target };
    }
    async toolVolumes() {
        return this.volumes;
    }
    async removeToolVolumes(toolId: string) {
        this.calls.push(`removeToolVolumes ${toolId}`);
        return this.volumes;
    }
}

let core: CoreDouble;
const run = (id: string, ...args: unknown[]) =>
    fake.commands.get(`agentContainers.${id}`)!(...args);

beforeEach(() => {
    fake.reset();
    addFolder('/w/one');
    core = new CoreDouble();
    const context: CommandContext = {
        cores: { get: () => core } as unknown as WorkspaceCores,
        output: vscode.window.createOutputChannel('Agent Containers', { log: true }),
    };
    registerCommands(context);
});

test('opening a tool prepares the container under progress, then opens a terminal', async () => {
    await run('open.claude');
    assert.deepEqual(fake.progress[0].messages, ['Building agent image… step 3/12']);
    assert.deepEqual(core.calls, ['ensureContainer', 'openTerminal claude']);
    assert.equal(fake.terminals[0].name, 'Claude');
    assert.deepEqual(fake.terminals[0].pty, { target: 'claude' });
});

test('every open makes its own terminal', async () => {
    await run('open.codex');
    await run('open.codex');
    await run('openShell');
    assert.equal(fake.terminals.length, 3);
    assert.deepEqual(
        core.calls.filter((call) => call.startsWith('openTerminal')),
        ['openTerminal codex', 'openTerminal codex', 'openTerminal shell'],
    );
});

test('cancelling the progress aborts the build silently and opens nothing', async () => {
    let aborted = false;
    core.ensureImage = (_report, signal) =>
        new Promise((_resolve, reject) =>
            signal.addEventListener('abort', () => {
                aborted = true;
                reject(signal.reason);
            }),
        );
    const opening = run('open.opencode');
    await new Promise((resolve) => setImmediate(resolve));
    fake.progress[0].cancel();
    await opening;

    assert.ok(aborted);
    assert.deepEqual(fake.errors, []);
    assert.deepEqual(fake.terminals, []);
});

test('volumes are removed only after a confirmation that names them', async () => {
    fake.answers.push(undefined);
    await run('removeVolumes.opencode');
    assert.match(
        fake.warnings[0].message,
        /agent-containers-opencode-config, agent-containers-opencode-data/,
    );
    const options = fake.warnings[0].items[0] as { modal?: boolean };
    assert.equal(options.modal, true);
    assert.deepEqual(core.calls, []);

    fake.answers.push('Remove Volumes');
    await run('removeVolumes.opencode');
    assert.deepEqual(core.calls, ['removeToolVolumes opencode']);
});

test('with no volumes there is nothing to confirm', async () => {
    core.volumes = [];
    await run('removeVolumes.claude');
    assert.deepEqual(fake.warnings, []);
    assert.deepEqual(core.calls, []);
});

test('the compose file is written into the folder, and replaced only when confirmed', async () => {
    await run('exportComposeFile');
    const path = '/w/one/docker-compose.agent.yml';
    assert.match(fake.files.get(path) ?? '', /image: agent-containers:abc/);
    assert.deepEqual(fake.shownDocuments, [path]);

    fake.files.set(path, 'mine');
    fake.answers.push(undefined);
    await run('exportComposeFile');
    assert.equal(fake.files.get(path), 'mine');
    fake.answers.push('Replace');
    await run('exportComposeFile');
    assert.match(fake.files.get(path) ?? '', /agent-containers-claude/);
});
