/**
 * What the extension costs while nobody uses it, and what an open session adds: the size
 * of the shipped (minified) bundle, the time to load and activate it without contacting
 * Docker, each in a fresh process, and the memory one idle session adds to the process.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Samples, type Series } from './stats';

export interface ExtensionCost {
    readonly bundleBytes: number;
    readonly loadMs: Series;
    readonly activateMs: Series;
    /** Connections to the Docker socket during activation, over all runs. */
    readonly dockerConnections: number;
}

export interface SessionMemory {
    readonly baseline: Memory;
    readonly firstSession: Memory;
    readonly furtherSession: Memory;
}

export interface Memory {
    readonly rss: number;
    readonly heapUsed: number;
    readonly external: number;
}

export function extensionCost(rounds: number): ExtensionCost {
    const dir = mkdtempSync(join(tmpdir(), 'agent-bench-bundle-'));
    try {
        const bundle = join(dir, 'extension.js');
        run(['scripts/build.mjs', '--production', `--outfile=${bundle}`]);
        const samples = new Samples();
        let connections = 0;
        for (let round = 0; round < rounds; round++) {
            const report = JSON.parse(run(['--import', 'tsx', 'bench/activation.ts', bundle]));
            samples.add('load', report.loadMs);
            samples.add('activate', report.activateMs);
            connections += report.connections;
        }
        return {
            bundleBytes: statSync(bundle).size,
            loadMs: samples.get('load'),
            activateMs: samples.get('activate'),
            dockerConnections: connections,
        };
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}

export function sessionMemory(namespace: string, folder: string): SessionMemory {
    const args = ['--expose-gc', '--import', 'tsx', 'bench/sessionMemory.ts', namespace, folder];
    return JSON.parse(run(args)) as SessionMemory;
}

function run(args: string[]): string {
    const result = spawnSync(process.execPath, args, { encoding: 'utf8' });
    if (result.status !== 0) {
        throw new Error(`node ${args.join(' ')} failed: ${result.stderr || result.stdout}`);
    }
    return result.stdout.trim().split('\n').pop() ?? '';
}
