import { addFolder, fake } from './support/fakeVscode';
import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import type { ContainerState, Core } from '../../src/core';
import { EngineError } from '../../src/docker/engineError';
import type { WorkspaceCores } from '../../src/editor/workspaceCores';
import { ContainerStatusBar } from '../../src/statusBar/containerStatusBar';

/** The part of a core the status bar uses, driven by the test instead of Docker. */
class CoreDouble {
    listeners: ((state: ContainerState) => void)[] = [];
    queries = 0;
    answer: () => Promise<ContainerState> = async () => 'stopped';
    settings = { image: { source: 'build' } };
    containerState(): Promise<ContainerState> {
        this.queries++;
        return this.answer();
    }
    async checkEngine(): Promise<void> {
        throw new EngineError('notRunning', 'Docker is not running.', 'startDocker');
    }
    onStateChange(listener: (state: ContainerState) => void) {
        this.listeners.push(listener);
        return { dispose: () => (this.listeners = this.listeners.filter((l) => l !== listener)) };
    }
    emit(state: ContainerState): void {
        for (const listener of this.listeners) listener(state);
    }
}

let core: CoreDouble;
let bar: ContainerStatusBar;
const item = () => fake.statusItems[0];
const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

beforeEach(() => {
    fake.reset();
    addFolder('/w/project');
    core = new CoreDouble();
    const cores = {
        get: () => core as unknown as Core,
        onDidChange: () => ({ dispose: () => undefined }),
    } as unknown as WorkspaceCores;
    bar = new ContainerStatusBar(cores);
});

test('nothing is asked before following starts', async () => {
    await settle();
    assert.equal(core.queries, 0);
    assert.match(item().text, /~spin/);
    bar.dispose();
});

test('the first state comes from a query, later ones from events without queries', async () => {
    bar.follow();
    await settle();
    assert.match(item().text, /stopped/);
    assert.equal(core.queries, 1);

    core.emit('starting');
    assert.match(item().text, /starting/);
    core.emit('running');
    assert.match(item().text, /running/);
    assert.equal(item().backgroundColor, undefined);
    assert.equal(core.queries, 1);
    bar.dispose();
});

test('Docker unavailable shows a warning with the reason', async () => {
    bar.follow();
    await settle();
    core.emit('unavailable');
    await settle();
    assert.match(item().text, /Docker unavailable/);
    assert.equal(item().backgroundColor?.id, 'statusBarItem.warningBackground');
    assert.match((item().tooltip as { value: string }).value, /Docker is not running/);
    bar.dispose();
});

test('a slow query never overwrites a newer event', async () => {
    let release: (state: ContainerState) => void = () => undefined;
    core.answer = () => new Promise((resolve) => (release = resolve));
    bar.follow();
    core.emit('running');
    release('none');
    await settle();
    assert.match(item().text, /running/);
    bar.dispose();
});

test('clicking the item opens the actions for its folder', async () => {
    bar.follow();
    await settle();
    const command = item().command as { command: string; arguments: { path: string }[] };
    assert.equal(command.command, 'agentContainers.showContainerActions');
    assert.equal(command.arguments[0].path, '/w/project');
    bar.dispose();
});
