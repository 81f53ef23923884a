/**
 * Waits until the container's entrypoint has handed over to its command. The entrypoint
 * runs as root (remapping IDs, fixing ownership, merging config) and ends by exec'ing the
 * command as the container user, so the container is ready when every process whose
 * parent is the init process runs under the expected UID. Sessions started earlier could
 * race the remapping and land under stale IDs. Images built from media/Dockerfile declare
 * (label) that their entrypoint prints a line right before that exec; for those the log
 * stream says when, without an exec per check. Other images are polled through /proc.
 */
import type Docker from 'dockerode';
import type { Readable } from 'node:stream';
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

/** Set by media/Dockerfile: the entrypoint prints {@link readyLine} before handing over. */
export const READY_SIGNAL_LABEL = 'agent-containers.ready-signal';

/** The line the entrypoint prints to stdout once the IDs are remapped and configs merged. */
export function readyLine(uid: number): RegExp {
    return new RegExp(`^agent-containers: ready uid=${uid} gid=[0-9]+$`, 'm');
}

/** Resolves when ready; rejects when the container stops or after `timeoutMs`. */
export async function waitUntilReady(
    container: Docker.Container,
    uid: number,
    signal?: AbortSignal,
    onWait?: () => void,
    timeoutMs = 120_000,
): Promise<void> {
    const started = Date.now();
    const info = await container.inspect();
    if (info.State.Running && info.Config.Labels?.[READY_SIGNAL_LABEL] === '1') {
        const outcome = await readySignal(container, info, uid, signal, onWait, timeoutMs).catch(
            (error: unknown) => {
                signal?.throwIfAborted();
                log.debug(`No log stream for the ready line, polling instead: ${String(error)}`);
                return 'ended' as const;
            },
        );
        if (outcome === 'ready') {
            log.debug(`Container ready after ${Date.now() - started} ms (signalled)`);
            return;
        }
        if (outcome === 'timeout') throw timedOut(timeoutMs);
        // The stream ended: the container stopped (the loop below says why) or the log
        // driver keeps nothing to follow, which polling still copes with.
    }
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
            throw timedOut(timeoutMs);
        }
        // Short first pauses: with unchanged IDs the entrypoint is done within a few hundred
        // ms, and every pause past that point is added to the time a cold open takes.
        await new Promise((resolve) => setTimeout(resolve, Math.min(25 * 2 ** attempt, 1000)));
    }
}

function timedOut(timeoutMs: number): Error {
    return new Error(`The container did not become ready within ${timeoutMs / 1000} s.`);
}

/**
 * Follows the log from this start on: `since` the start time, so lines written before the
 * stream opened are included and lines of earlier runs (ended before this start) are not.
 */
async function readySignal(
    container: Docker.Container,
    info: Docker.ContainerInspectInfo,
    uid: number,
    signal: AbortSignal | undefined,
    onWait: (() => void) | undefined,
    timeoutMs: number,
): Promise<'ready' | 'ended' | 'timeout'> {
    const since = (Date.parse(info.State.StartedAt) / 1000).toFixed(3);
    const stream = (await container.logs({
        follow: true,
        stdout: true,
        stderr: false,
        since: since as unknown as number,
    })) as unknown as Readable;
    const wanted = readyLine(uid);
    return new Promise((resolve, reject) => {
        let raw = Buffer.alloc(0);
        const finish = (settle: () => void) => {
            clearTimeout(timer);
            clearTimeout(waitNotice);
            signal?.removeEventListener('abort', onAbort);
            stream.destroy();
            settle();
        };
        const onAbort = () => finish(() => reject(signal?.reason));
        const timer = setTimeout(() => finish(() => resolve('timeout')), timeoutMs);
        // Same notice as polling gives after its first miss; quiet for a quick start.
        const waitNotice = setTimeout(() => onWait?.(), 100);
        if (signal?.aborted) return onAbort();
        signal?.addEventListener('abort', onAbort, { once: true });
        stream.on('data', (chunk: Buffer) => {
            raw = Buffer.concat([raw, chunk]);
            const text = info.Config.Tty ? raw.toString('utf8') : demultiplex(raw).stdout;
            if (wanted.test(text)) finish(() => resolve('ready'));
        });
        stream.on('end', () => finish(() => resolve('ended')));
        stream.on('error', (error) => finish(() => reject(error)));
    });
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
