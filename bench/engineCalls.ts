/**
 * Records every Engine API request the core makes (method, path, when it started, how long
 * it took), by wrapping docker-modem's one entry point. Used to show where an open spends
 * its time; the product code is not changed for it.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Modem = require('docker-modem') as {
    prototype: { dial(options: DialOptions, callback: (...args: unknown[]) => void): unknown };
};

interface DialOptions {
    readonly method?: string;
    readonly path?: string;
}

export interface EngineCall {
    readonly call: string;
    readonly startMs: number;
    durationMs: number;
}

let recording: { origin: bigint; calls: EngineCall[] } | undefined;
const dial = Modem.prototype.dial;

Modem.prototype.dial = function (options, callback) {
    const current = recording;
    if (!current) return dial.call(this, options, callback);
    // Ids in paths vary between runs; the shape of the call is what matters.
    const path = (options.path ?? '').replace(/[0-9a-f]{12,}/g, '<id>').replace(/\?.*$/, '');
    const entry: EngineCall = {
        call: `${options.method ?? 'GET'} ${path}`,
        startMs: msSince(current.origin),
        durationMs: NaN,
    };
    current.calls.push(entry);
    return dial.call(this, options, (...args: unknown[]) => {
        entry.durationMs = msSince(current.origin) - entry.startMs;
        callback(...args);
    });
};

/** Starts recording; the returned function stops and gives the calls in order. */
export function recordEngineCalls(): () => EngineCall[] {
    const current = { origin: process.hrtime.bigint(), calls: [] as EngineCall[] };
    recording = current;
    return () => {
        if (recording === current) recording = undefined;
        return current.calls;
    };
}

export function msSince(origin: bigint): number {
    return Number(process.hrtime.bigint() - origin) / 1e6;
}
