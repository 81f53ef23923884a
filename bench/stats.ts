/** Small statistics: medians of samples taken in interleaved rounds. */

export interface Series {
    /** Median of the runs, in the series' unit. */
    readonly median: number;
    readonly min: number;
    readonly max: number;
    readonly runs: readonly number[];
}

export function series(runs: readonly number[]): Series {
    const sorted = [...runs].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    const median =
        sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    return { median, min: sorted[0], max: sorted[sorted.length - 1], runs: [...runs] };
}

export function ratio(ours: Series, baseline: Series): number {
    return ours.median / baseline.median;
}

/** Named samples collected over several rounds. */
export class Samples {
    private readonly values = new Map<string, number[]>();

    add(key: string, value: number): void {
        if (!Number.isFinite(value)) throw new Error(`${key}: not a number (${value})`);
        const list = this.values.get(key) ?? [];
        list.push(value);
        this.values.set(key, list);
    }

    get(key: string): Series {
        const list = this.values.get(key);
        if (!list) throw new Error(`no samples for ${key}`);
        return series(list);
    }
}

/**
 * Runs every step once per round, in turn, so that load from other work on the machine
 * falls on the product and its baseline alike instead of on whichever ran first.
 */
export async function inRounds(count: number, steps: (() => Promise<void>)[]): Promise<void> {
    for (let round = 0; round < count; round++) {
        for (const step of steps) await step();
    }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
