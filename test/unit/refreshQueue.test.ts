import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RefreshQueue } from '../../src/statusBar/refreshQueue';

test('a burst of requests during one update collapses into one more update', async () => {
    let runs = 0;
    let release: () => void = () => undefined;
    const queue = new RefreshQueue(async () => {
        runs++;
        await new Promise<void>((resolve) => (release = resolve));
    });

    const first = queue.request();
    const burst = Array.from({ length: 10 }, () => queue.request());
    release();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(runs, 2);
    release();
    await Promise.all([first, ...burst]);
    assert.equal(runs, 2);

    const later = queue.request();
    release();
    await later;
    assert.equal(runs, 3);
});

test('a failing update does not block later requests', async () => {
    let runs = 0;
    const queue = new RefreshQueue(async () => {
        runs++;
        if (runs === 1) throw new Error('engine went away');
    });
    await assert.rejects(queue.request(), /engine went away/);
    await queue.request();
    assert.equal(runs, 2);
});
