/**
 * Waits until the container's entrypoint has handed over to its command. The entrypoint
 * runs as root (remapping IDs, fixing ownership, merging config) and ends by exec'ing the
 * command as the container user, so the container is ready when every process whose
 * parent is the init process runs under the expected UID. Sessions started earlier could
 * race the remapping and land under stale IDs.
 */
import type Docker from 'dockerode';
import { demultiplex } from '../docker/demultiplex';
import { log } from '../log';
import { runCapture } from '../session/execCapture';

// Prints the UID of each child of PID 1 (tini). Exec'd processes have parent 0, so they
// are not counted. A fixed script: nothing from settings goes in.
const MAIN_PROCESS_UIDS = [
    'sh',
    '-c',
    'for s in /proc/[0-9]*/status; do ' +
        'p=$(sed -n "s/^PPid:[[:space:]]*//p" "$s" 2>/dev/null); ' +
        '[ "$p" = 1 ] && sed -n "s/^Uid:[[:space:]]*\\([0-9]*\\).*/\\1/p" "$s" 2>/dev/null; ' +
        'done; true',
];

/** Resolves when ready; rejects when the container stops or after `timeoutMs`. */
export async function waitUntilReady(
    container: Docker.Container,
    uid: number,
    signal?: AbortSignal,
    onWait?: () => void,
    timeoutMs = 120_000,
): Promise<void> {
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
        signal?.throwIfAborted();
        const state = (await container.inspect()).State;
        if (!state.Running) {
            const tail = await lastLines(container);
            throw new Error(
                `The container stopped while starting (exit code ${state.ExitCode})` +
                    (tail ? `: ${tail}` : ''),
            );
        }
        const result = await runCapture(container, MAIN_PROCESS_UIDS, { user: 'root' });
        const uids = result.stdout.split(/\s+/).filter(Boolean);
        if (uids.length > 0 && uids.every((u) => u === String(uid))) {
            log.debug(`Container ready after ${Date.now() - started} ms`);
            return;
        }
        if (attempt === 0) onWait?.();
        if (Date.now() - started > timeoutMs) {
            throw new Error(`The container did not become ready within ${timeoutMs / 1000} s.`);
        }
        // Short first pauses: with unchanged IDs the entrypoint is done within a few hundred
        // ms, and every pause past that point is added to the time a cold open takes.
        await new Promise((resolve) => setTimeout(resolve, Math.min(25 * 2 ** attempt, 1000)));
    }
}

async function lastLines(container: Docker.Container): Promise<string> {
    try {
        const raw = (await container.logs({ stdout: true, stderr: true, tail: 5 })) as unknown;
        const { stdout, stderr } = demultiplex(Buffer.isBuffer(raw) ? raw : Buffer.from(''));
        return (stdout + stderr)
            .split('\n')
            .map((line) => line.trim())
            .filter(Boolean)
            .slice(-2)
            .join(' / ');
    } catch {
        return '';
    }
}
