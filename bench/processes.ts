/** Waits for a CLI to be gone from the container, so one run does not slow the next. */
import { docker } from '../test/support/docker';
import { sleep } from './stats';

export async function waitUntilGone(containerId: string, binary: string): Promise<void> {
    const container = docker.getContainer(containerId);
    for (let attempt = 0; attempt < 100; attempt++) {
        const top = (await container.top({ ps_args: '-eo pid,args' })) as {
            Processes?: string[][];
        };
        const running = (top.Processes ?? []).some((row) =>
            row
                .join(' ')
                .split(/\s+/)
                .some((word) => word.endsWith(`/${binary}`) || word === binary),
        );
        if (!running) return;
        await sleep(100);
    }
    throw new Error(`${binary} still runs in ${containerId.slice(0, 12)} after 10 s`);
}
