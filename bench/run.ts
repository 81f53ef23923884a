/**
 * `npm run bench`: how fast a CLI opens and what the extension costs, each against the
 * fastest thing a person could do by hand, measured in the same run. Prints a table and
 * writes bench/results/latest.json. `--quick` takes fewer rounds (for trying changes);
 * `--only=warm,cold,...` runs some parts (warm, throughput, extension, memory, cold,
 * rebuild). Every Docker object made carries a test label and is removed at the end.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { benchWorkspace, cleanupAll } from './benchSetup';
import { coldOpen, MANY_FILES } from './coldOpen';
import { msSince } from './engineCalls';
import { extensionCost, sessionMemory } from './extensionCost';
import { rebuilds } from './rebuilds';
import { formatTable, goals, notes, profileLines, tableRows, type BenchResults } from './report';
import { throughput } from './throughput';
import { warmOpen } from './warmOpen';
import { docker } from '../test/support/docker';

const quick = process.argv.includes('--quick');
const only = process.argv
    .find((a) => a.startsWith('--only='))
    ?.slice('--only='.length)
    .split(',');
const wanted = (part: string) => !only || only.includes(part);
const rounds = quick
    ? { warm: 3, cold: 2, throughput: 1, activation: 3 }
    : { warm: 9, cold: 7, throughput: 3, activation: 7 };

async function main(): Promise<void> {
    const started = process.hrtime.bigint();
    const machine = {
        cpus: cpus().length,
        loadAverageAtStart: loadavg().map((l) => Number(l.toFixed(2))),
        node: process.version,
        docker: (await docker.version()).Version,
    };
    const step = (text: string) =>
        console.error(`[${(msSince(started) / 1000).toFixed(0).padStart(4)} s] ${text}`);

    const results: { -readonly [K in keyof BenchResults]: BenchResults[K] } = {};
    const ws = benchWorkspace();
    const interrupted = () => void cleanupAll().finally(() => process.exit(130));
    process.once('SIGINT', interrupted);
    process.once('SIGTERM', interrupted);
    // A promise nobody settles would end the process quietly, leaving containers behind.
    process.once('beforeExit', () => {
        console.error('The benchmark stalled (nothing left to wait for); cleaning up.');
        void cleanupAll().finally(() => process.exit(1));
    });
    try {
        if (wanted('extension')) {
            step('extension: bundle size and activation, in fresh processes');
            results.extension = extensionCost(rounds.activation);
        }
        step(`image and container for ${ws.namespace}`);
        await ws.core.ensureContainer();
        if (wanted('warm')) {
            step(`warm open, ${rounds.warm} rounds`);
            results.warm = await warmOpen(ws, rounds.warm);
        }
        if (wanted('throughput')) {
            step(`throughput, ${rounds.throughput} rounds of 100 MB each way`);
            results.throughput = await throughput(ws, rounds.throughput);
        }
        if (wanted('memory')) {
            step('memory of open sessions, in a fresh process');
            results.memory = sessionMemory(ws.namespace, ws.folder);
        }
        if (wanted('cold')) {
            step(`cold open, ${rounds.cold} rounds empty and with ${MANY_FILES} files`);
            results.cold = await coldOpen(ws, rounds.cold);
        }
        if (wanted('rebuild')) {
            step('rebuild avoidance (a version change installs for real: ~1 min)');
            results.rebuild = await rebuilds(ws);
        }
    } finally {
        step('removing what this run made');
        await ws.cleanup();
    }

    const totalSeconds = msSince(started) / 1000;
    const verdicts = goals(results);
    const report = {
        date: new Date().toISOString(),
        machine: { ...machine, loadAverageAtEnd: loadavg().map((l) => Number(l.toFixed(2))) },
        totalSeconds,
        rounds,
        goals: verdicts,
        notes: notes(results),
        results,
    };
    const dir = join(__dirname, 'results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'latest.json'), JSON.stringify(report, null, 2) + '\n');

    console.log(formatTable(tableRows(results)));
    console.log('');
    for (const goal of verdicts) {
        const verdict = goal.met ? 'met   ' : 'MISSED';
        console.log(`${verdict}  ${goal.name}: ${goal.measured} (goal ${goal.target})`);
        for (const cause of goal.cause) console.log(`          cause: ${cause}`);
    }
    for (const note of notes(results)) console.log(`note    ${note}`);
    console.log('');
    if (results.warm)
        console.log(profileLines('engine calls of one warm open', results.warm.profile).join('\n'));
    if (results.cold) {
        console.log(profileLines('engine calls of one cold open', results.cold.profile).join('\n'));
        console.log(`  terminal showed: ${results.cold.progress.join(' | ') || '(nothing)'}`);
    }
    console.log('');
    console.log(
        `${machine.cpus} CPUs, load average ${machine.loadAverageAtStart.join(' ')} at start, ` +
            `${report.machine.loadAverageAtEnd.join(' ')} at end; Docker ${machine.docker}, ` +
            `Node ${machine.node}; ${totalSeconds.toFixed(0)} s in all. ` +
            'Written to bench/results/latest.json.',
    );
}

main().then(
    () => process.exit(0),
    (error: unknown) => {
        console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
        process.exit(1);
    },
);
