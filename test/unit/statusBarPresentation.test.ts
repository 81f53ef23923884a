import assert from 'node:assert/strict';
import { test } from 'node:test';
import { presentStatus, type StatusState } from '../../src/statusBar/presentation';

const STATES: StatusState[] = [
    'unknown',
    'none',
    'building',
    'starting',
    'running',
    'stopped',
    'unavailable',
    'invalidSettings',
];
const view = (state: StatusState, problem?: string) =>
    presentStatus({
        state,
        problem,
        folderName: 'my project é',
        folderUri: 'file:///w/my%20project',
    });

test('each state has its own text naming the state', () => {
    const texts = STATES.map((state) => view(state).text);
    assert.equal(new Set(texts).size, STATES.length);
    assert.match(view('running').text, /running/);
    assert.match(view('stopped').text, /stopped/);
    assert.match(view('none').text, /no container/);
    assert.match(view('unavailable').text, /Docker unavailable/);
});

test('a spinner shows exactly while something is in progress', () => {
    for (const state of STATES) {
        const spins = view(state).text.includes('~spin');
        assert.equal(spins, ['unknown', 'building', 'starting'].includes(state), state);
    }
});

test('colours mark only problems', () => {
    assert.equal(view('unavailable').background, 'warning');
    assert.equal(view('invalidSettings').background, 'error');
    for (const state of [
        'unknown',
        'none',
        'building',
        'starting',
        'running',
        'stopped',
    ] as const) {
        assert.equal(view(state).background, undefined, state);
    }
});

test('the tooltip names the folder, explains a problem and links only allowed commands', () => {
    const look = view('unavailable', 'Docker is not running: start it');
    assert.match(look.tooltip, /my project é/);
    assert.match(look.tooltip, /Docker is not running: start it/);

    for (const state of STATES) {
        const { tooltip, commandLinks } = view(state);
        const linked = [...tooltip.matchAll(/\(command:([\w.]+)/g)].map((m) => m[1]);
        assert.deepEqual(linked, [...commandLinks], state);
    }
});

test('tooltip links pass the folder so they act on the folder shown', () => {
    const { tooltip } = view('running');
    const stop = /\(command:agentContainers\.stopContainer\?([^)]+)\)/.exec(tooltip);
    assert.ok(stop, tooltip);
    assert.deepEqual(JSON.parse(decodeURIComponent(stop[1])), ['file:///w/my%20project']);
});

test('markdown in a problem message cannot inject links', () => {
    const { tooltip, commandLinks } = view('unavailable', '[x](command:evil.run)');
    assert.ok(!tooltip.includes('](command:evil'), tooltip);
    assert.ok(!commandLinks.includes('evil.run'));
});

test('screen readers get plain words, not the markdown of the tooltip', () => {
    for (const state of STATES) {
        const label = view(state, 'Cannot connect (see log)').accessibilityLabel;
        assert.match(label, /^Agent Containers, my project é: /, state);
        assert.doesNotMatch(label, /\*\*|\\|\]\(command:/, state);
    }
    assert.match(view('running').accessibilityLabel, /The container is running\./);
});
