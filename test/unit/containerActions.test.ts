import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { containerActions } from '../../src/statusBar/containerActions';
import type { StatusState } from '../../src/statusBar/presentation';
import { TOOLS } from '../../src/tools/registry';

const commandsOf = (state: StatusState, source: 'build' | 'pull' = 'build') =>
    containerActions(state, source).map((action) => action.command);
const ids = (...names: string[]) => names.map((name) => `agentContainers.${name}`);

test('a running container offers stop and restart, not start', () => {
    const commands = commandsOf('running');
    for (const id of ids('stopContainer', 'restartContainer', 'openShell', 'removeContainer')) {
        assert.ok(commands.includes(id), id);
    }
    assert.ok(!commands.includes('agentContainers.startContainer'));
});

test('a stopped container offers start, not stop or restart', () => {
    const commands = commandsOf('stopped');
    assert.ok(commands.includes('agentContainers.startContainer'));
    assert.ok(!commands.includes('agentContainers.stopContainer'));
    assert.ok(!commands.includes('agentContainers.restartContainer'));
});

test('without a container, every registry tool can be opened and nothing removed', () => {
    const commands = commandsOf('none');
    for (const tool of TOOLS) assert.ok(commands.includes(`agentContainers.open.${tool.id}`));
    for (const id of ids('stopContainer', 'startContainer', 'removeContainer')) {
        assert.ok(!commands.includes(id), id);
    }
});

test('the image action follows the image source', () => {
    assert.ok(commandsOf('none', 'build').includes('agentContainers.buildImage'));
    assert.ok(!commandsOf('none', 'build').includes('agentContainers.pullImage'));
    assert.ok(commandsOf('none', 'pull').includes('agentContainers.pullImage'));
});

test('while busy or broken only logs and settings are offered', () => {
    for (const state of ['building', 'starting'] as const) {
        assert.deepEqual(commandsOf(state), ['agentContainers.showLogs']);
    }
    assert.deepEqual(commandsOf('unavailable'), [
        'agentContainers.showLogs',
        'workbench.action.openSettings',
    ]);
});

test('every offered command is contributed in package.json', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
    const contributed = new Set(
        pkg.contributes.commands.map((c: { command: string }) => c.command),
    );
    const states: StatusState[] = ['none', 'running', 'stopped', 'building', 'unavailable'];
    for (const state of states) {
        for (const action of containerActions(state, 'pull')) {
            if (action.command.startsWith('workbench.')) continue;
            assert.ok(contributed.has(action.command), action.command);
        }
    }
});
