import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SharedJobs } from '../../src/sharedJob';

const tick = () => new Promise((resolve) => setTimeout(resolve, 10));

describe('SharedJobs', () => {
    it('runs one job for concurrent callers and gives every caller the progress', async () => {
        const jobs = new SharedJobs<string>();
        let runs = 0;
        const work = async (report: (line: string) => void) => {
            runs++;
            await tick();
            report('half');
            await tick();
            return 'done';
        };
        const a: string[] = [];
        const b: string[] = [];
        const results = await Promise.all([
            jobs.run('k', work, (l) => a.push(l)),
            jobs.run('k', work, (l) => b.push(l)),
        ]);
        assert.deepEqual(results, ['done', 'done']);
        assert.equal(runs, 1);
        assert.deepEqual([a, b], [['half'], ['half']]);
        assert.equal(jobs.isRunning('k'), false);
        await jobs.run('k', work);
        assert.equal(runs, 2, 'a finished job is not reused');
    });

    it('cancels the work only when every caller has cancelled', async () => {
        const jobs = new SharedJobs<string>();
        let workSignal: AbortSignal | undefined;
        const work = (_report: unknown, signal: AbortSignal) => {
            workSignal = signal;
            return new Promise<string>((resolve, reject) => {
                const timer = setTimeout(() => resolve('done'), 200);
                signal.addEventListener('abort', () => {
                    clearTimeout(timer);
                    reject(new Error('aborted'));
                });
            });
        };
        const first = new AbortController();
        const second = new AbortController();
        const p1 = jobs.run('k', work, undefined, first.signal);
        const p2 = jobs.run('k', work, undefined, second.signal);
        first.abort();
        await assert.rejects(p1);
        assert.equal(workSignal?.aborted, false);
        second.abort();
        await assert.rejects(p2);
        assert.equal(workSignal?.aborted, true);
    });
});
