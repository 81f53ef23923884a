import { fake } from './support/fakeVscode';
import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import * as vscode from 'vscode';
import { runCommand } from '../../src/commands/runCommand';
import { SettingsError } from '../../src/config/settings';
import { EngineError } from '../../src/docker/engineError';
import { setLogger } from '../../src/log';

let output: vscode.LogOutputChannel;
beforeEach(() => {
    fake.reset();
    output = vscode.window.createOutputChannel('Agent Containers', { log: true });
    setLogger(output);
});
const lines = () => fake.channels[0].lines;

test('a failure logs its causes and shows one line with Show Logs', async () => {
    const cause = new Error('npm ERR! 404 @anthropic-ai/claude-code@9.9.9');
    const command = runCommand('Build image', output, async () => {
        throw new Error('The image build failed at step 7/12\nnpm ERR! details', { cause });
    });
    fake.answers.push('Show Logs');
    await command();

    assert.deepEqual(fake.errors, [
        {
            message: 'Build image failed: The image build failed at step 7/12',
            items: ['Show Logs'],
        },
    ]);
    assert.equal(fake.channels[0].shown, 1);
    const logged = lines().find((line) => line.level === 'error')?.message ?? '';
    assert.match(logged, /step 7\/12/);
    assert.match(logged, /caused by: npm ERR! 404/);
});

test('an engine failure offers its action and opens the page for it', async () => {
    const command = runCommand('Open Claude', output, async () => {
        throw new EngineError('notRunning', 'Docker is not running.', 'startDocker');
    });
    fake.answers.push('Start Docker');
    await command();

    assert.deepEqual(fake.errors[0].items, ['Start Docker', 'Show Logs']);
    assert.equal(fake.opened.length, 1);
    assert.match(fake.opened[0], /^https:\/\/docs\.docker\.com\//);
});

test('an invalid setting opens the settings at that key', async () => {
    const command = runCommand('Open Codex', output, async () => {
        throw new SettingsError('agentContainers.container.memoryLimit', 'must be a size');
    });
    fake.answers.push('Open Settings');
    await command();

    assert.deepEqual(fake.executed, [
        {
            command: 'workbench.action.openSettings',
            args: ['agentContainers.container.memoryLimit'],
        },
    ]);
});

test('cancelling shows nothing and logs no error', async () => {
    const command = runCommand('Open Claude', output, async () => {
        const controller = new AbortController();
        controller.abort();
        controller.signal.throwIfAborted();
    });
    await command();

    assert.deepEqual(fake.errors, []);
    assert.ok(!lines().some((line) => line.level === 'error'));
});

test('arguments reach the command and success is quiet', async () => {
    const seen: unknown[] = [];
    const command = runCommand('Stop container', output, async (folder: unknown) => {
        seen.push(folder);
    });
    await command('file:///w');
    assert.deepEqual(seen, ['file:///w']);
    assert.deepEqual(fake.errors, []);
});
