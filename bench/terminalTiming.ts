/**
 * Times a ToolTerminal the way the editor drives it: open with a size, then watch what it
 * writes. The terminal's own progress lines (dim, one per write) are not the CLI's output
 * and are collected apart.
 */
import type { ToolTerminal } from '../src/session/toolTerminal';
import { msSince } from './engineCalls';
import { sleep } from './stats';

const PROGRESS_LINE = /^\x1b\[2m[^\x1b]*\x1b\[0m\r\n$/;

export interface OpenTiming {
    /** From open() to the CLI's first output. */
    readonly firstMs: number;
    /** From open() until the pattern showed (when one was given). */
    readonly matchedMs: number | undefined;
    readonly progress: readonly string[];
    readonly output: string;
}

/**
 * Opens `terminal` and resolves when the pattern shows (or the CLI exits, without one).
 * The terminal is closed afterwards (which ends a CLI that is still running).
 */
export async function timeOpen(
    terminal: ToolTerminal,
    options: { pattern?: RegExp; timeoutMs?: number; before?: () => void } = {},
): Promise<OpenTiming> {
    const { pattern, timeoutMs = 180_000 } = options;
    const progress: string[] = [];
    let output = '';
    let firstMs: number | undefined;
    let matchedMs: number | undefined;
    let failure: Error | undefined;
    let exited = false;
    terminal.onDidWrite((text) => {
        if (firstMs === undefined && PROGRESS_LINE.test(text)) {
            progress.push(text.replace(/\x1b\[[0-9;]*m/g, '').trim());
            return;
        }
        firstMs ??= msSince(started);
        output += text;
        if (pattern && matchedMs === undefined && pattern.test(output)) {
            matchedMs = msSince(started);
        }
    });
    terminal.onDidExit(() => (exited = true));
    terminal.onDidFail((error) => (failure = error));

    options.before?.();
    const started = process.hrtime.bigint();
    terminal.open({ columns: 100, rows: 30 });
    const deadline = Date.now() + timeoutMs;
    while (pattern ? matchedMs === undefined : !exited) {
        if (failure) throw failure;
        if (exited && pattern) throw new Error(`exited before ${pattern}: ${output.slice(-500)}`);
        if (Date.now() > deadline) throw new Error(`timed out; output: ${output.slice(-500)}`);
        await sleep(5);
    }
    terminal.close();
    return { firstMs: firstMs ?? NaN, matchedMs, progress, output };
}
