/**
 * The baselines: what a person gets by typing docker commands. `docker exec -it` runs on a
 * pseudo-terminal made by bench/ptyFirstByte.py, which times from its fork to the first
 * byte, so the helper's own start-up is not counted against the baseline.
 */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { msSince } from './engineCalls';

const PTY_HELPER = join(__dirname, 'ptyFirstByte.py');

export interface PtyTiming {
    /** Milliseconds to the first output byte. */
    readonly firstMs: number;
    /** Milliseconds until `pattern` showed, when one was given. */
    readonly matchedMs: number | undefined;
}

/** Runs argv (a docker command line) on a pty of the given size; times its output. */
export function onPty(
    argv: readonly string[],
    options: { columns?: number; rows?: number; pattern?: string; timeoutS?: number } = {},
): PtyTiming {
    const { columns = 100, rows = 30, pattern = '', timeoutS = 60 } = options;
    const result = spawnSync(
        'python3',
        [PTY_HELPER, String(columns), String(rows), pattern, String(timeoutS), '--', ...argv],
        { encoding: 'utf8' },
    );
    if (result.status !== 0) throw new Error(`pty helper failed: ${result.stderr}`);
    const report = JSON.parse(result.stdout) as {
        first: number | null;
        matched: number | null;
        tail: string;
    };
    if (report.first === null || (pattern && report.matched === null)) {
        throw new Error(`no ${pattern || 'output'} from ${argv.join(' ')}: ${report.tail}`);
    }
    return {
        firstMs: report.first * 1000,
        matchedMs: report.matched === null ? undefined : report.matched * 1000,
    };
}

/** Milliseconds for `docker exec [flags] <container> sh -c script | wc -c`; checks the count. */
export async function pipedExecMs(
    container: string,
    script: string,
    expectedBytes: number,
    flags: readonly string[] = [],
): Promise<number> {
    const started = process.hrtime.bigint();
    // A fixed pipeline; container, script and flags arrive as arguments, never as text.
    const pipeline = 'c=$1; s=$2; shift 2; docker exec "$@" "$c" sh -c "$s" | wc -c';
    const child = spawn('sh', ['-c', pipeline, 'pipe', container, script, ...flags]);
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    const ms = msSince(started);
    if (code !== 0 || Number(out.trim()) !== expectedBytes) {
        throw new Error(`piped exec gave ${out.trim()} bytes (exit ${code})`);
    }
    return ms;
}
