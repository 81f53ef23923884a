/**
 * Lets concurrent callers asking for the same thing (an image build, a container creation)
 * share one piece of work. Each caller keeps its own progress and cancellation: the work
 * is cancelled only when every caller waiting for it has cancelled.
 */
import type { ProgressReporter } from './core';

interface Running<T> {
    readonly promise: Promise<T>;
    readonly controller: AbortController;
    readonly reporters: Set<ProgressReporter>;
    waiters: number;
}

export class SharedJobs<T> {
    private readonly running = new Map<string, Running<T>>();

    /** Runs `work` for `key` unless it is already running, then waits for it. */
    run(
        key: string,
        work: (progress: ProgressReporter, signal: AbortSignal) => Promise<T>,
        progress?: ProgressReporter,
        signal?: AbortSignal,
    ): Promise<T> {
        signal?.throwIfAborted();
        let job = this.running.get(key);
        if (!job) {
            const controller = new AbortController();
            const reporters = new Set<ProgressReporter>();
            const fanOut = (line: string) => reporters.forEach((report) => report(line));
            const promise = work(fanOut, controller.signal).finally(() => {
                this.running.delete(key);
            });
            job = { promise, controller, reporters, waiters: 0 };
            this.running.set(key, job);
        }
        return this.wait(job, progress, signal);
    }

    isRunning(key?: string): boolean {
        return key === undefined ? this.running.size > 0 : this.running.has(key);
    }

    private wait(job: Running<T>, progress?: ProgressReporter, signal?: AbortSignal): Promise<T> {
        job.waiters++;
        if (progress) job.reporters.add(progress);
        return new Promise<T>((resolve, reject) => {
            let left = false;
            const leave = () => {
                if (left) return false;
                left = true;
                signal?.removeEventListener('abort', onAbort);
                if (progress) job.reporters.delete(progress);
                job.waiters--;
                return true;
            };
            const onAbort = () => {
                if (!leave()) return;
                if (job.waiters === 0) job.controller.abort(signal?.reason);
                reject(signal?.reason ?? new DOMException('Cancelled', 'AbortError'));
            };
            signal?.addEventListener('abort', onAbort, { once: true });
            job.promise.then(
                (value) => leave() && resolve(value),
                (error: unknown) => leave() && reject(error),
            );
        });
    }
}
