/**
 * Terminal throughput: a CLI printing 100 MB through the exec-to-terminal bridge (bytes on
 * the exec's TTY stream, decoded, delivered by onDidWrite), against `docker exec` writing
 * the same into a pipe read by `wc -c`. Both times run from the request to the last byte,
 * so both include starting the exec.
 */
import type { BenchWorkspace } from './benchSetup';
import { pipedExecMs } from './handExec';
import { inRounds, ratio, Samples, sleep, type Series } from './stats';

export const BYTES = 100_000_000;
// '\132' is "Z": the echoed command line itself then holds no Z to be counted.
const PRINT = `head -c ${BYTES} /dev/zero | tr '\\0' '\\132'`;

export interface ThroughputResult {
    readonly bytes: number;
    /** Megabytes (10^6) per second, request to last byte. */
    readonly ours: Series;
    readonly pipe: Series;
    readonly ratio: number;
    /**
     * `docker exec -t` into a pipe: the engine's TTY path without our bridge. When ours is
     * close to this and both are far below the plain pipe, the TTY path is the limit.
     */
    readonly ttyPipe: Series;
    /** Our rate from the first to the last of those bytes (the exec start left out). */
    readonly oursStreaming: Series;
}

export async function throughput(ws: BenchWorkspace, rounds: number): Promise<ThroughputResult> {
    const { core } = ws;
    const { id } = await core.ensureContainer();
    const samples = new Samples();
    await inRounds(rounds, [
        async () => {
            const { totalMs, streamingMs } = await throughTerminal(ws);
            samples.add('ours', BYTES / 1e3 / totalMs);
            samples.add('streaming', BYTES / 1e3 / streamingMs);
        },
        async () => samples.add('pipe', BYTES / 1e3 / (await pipedExecMs(id, PRINT, BYTES))),
        async () => samples.add('tty', BYTES / 1e3 / (await pipedExecMs(id, PRINT, BYTES, ['-t']))),
    ]);
    return {
        bytes: BYTES,
        ours: samples.get('ours'),
        pipe: samples.get('pipe'),
        ratio: ratio(samples.get('ours'), samples.get('pipe')),
        ttyPipe: samples.get('tty'),
        oursStreaming: samples.get('streaming'),
    };
}

async function throughTerminal(ws: BenchWorkspace) {
    const terminal = ws.core.openTerminal('shell');
    let counted = 0;
    let firstAt: bigint | undefined;
    let lastAt: bigint | undefined;
    let exited = false;
    terminal.onDidWrite((text) => {
        if (lastAt) return;
        if (!firstAt) {
            // Eight in a row: a prompt showing the path may hold a single Z.
            const at = text.indexOf('ZZZZZZZZ');
            if (at < 0) return;
            firstAt = process.hrtime.bigint();
            text = text.slice(at);
        }
        counted += text.length;
        if (counted >= BYTES) lastAt = process.hrtime.bigint();
    });
    terminal.onDidExit(() => (exited = true));
    const started = process.hrtime.bigint();
    terminal.open({ columns: 100, rows: 30 });
    // Typed before the session starts: the terminal hands it over once the exec runs.
    terminal.handleInput(`${PRINT}; exit\r`);
    const deadline = Date.now() + 120_000;
    while (!exited) {
        if (Date.now() > deadline) throw new Error(`terminal stopped at ${counted} bytes`);
        await sleep(20);
    }
    terminal.close();
    if (!lastAt || !firstAt) throw new Error(`only ${counted} of ${BYTES} bytes arrived`);
    return {
        totalMs: Number(lastAt - started) / 1e6,
        streamingMs: Number(lastAt - firstAt) / 1e6,
    };
}
