/**
 * Cold open: the container is stopped; the open starts it, the entrypoint runs, the exec
 * starts, the first byte arrives. Measured on two workspaces side by side, one with its
 * tool volumes as made and one with 50,000 small files in Claude's volume, in alternating
 * rounds: with unchanged IDs the entrypoint must not walk the files, so both should cost
 * the same. The baseline is `docker start` then `docker exec -it` by hand, which does not
 * wait for the entrypoint (it may race it; the product must not).
 */
import { benchWorkspace, type BenchWorkspace } from './benchSetup';
import { recordEngineCalls, type EngineCall } from './engineCalls';
import { onPty } from './handExec';
import { runCapture } from '../src/session/execCapture';
import { docker } from '../test/support/docker';
import { inRounds, ratio, Samples } from './stats';
import { timeOpen } from './terminalTiming';
import type { Compared } from './warmOpen';

export const MANY_FILES = 50_000;

export interface ColdOpenResult {
    readonly empty: Compared;
    readonly manyFiles: Compared;
    /** manyFiles / empty, of our medians: about 1.0 when no walk happens. */
    readonly filesRatio: number;
    /** The same by hand: the control, showing how alike the two workspaces start. */
    readonly handFilesRatio: number;
    /** What the terminal showed before the CLI, in one cold open. */
    readonly progress: readonly string[];
    readonly profile: { firstByteMs: number; calls: EngineCall[] };
}

export async function coldOpen(ws: BenchWorkspace, rounds: number): Promise<ColdOpenResult> {
    const full = benchWorkspace(undefined, 'bench-files');
    try {
        const empty = await prepare(ws);
        const many = await prepare(full);
        await fillClaudeVolume(full);

        const samples = new Samples();
        const steps = (label: string, side: typeof empty) => [
            async () => samples.add(`${label}.ours`, (await side.ours()).firstMs),
            async () => samples.add(`${label}.hand`, await side.hand()),
        ];
        await inRounds(rounds, [...steps('empty', empty), ...steps('many', many)]);

        await empty.stop();
        const stopRecording = recordEngineCalls();
        const profiled = await timeOpen(ws.core.openTerminal('codex'));
        const calls = stopRecording().filter((c) => c.startMs <= profiled.firstMs);

        const compared = (label: string): Compared => ({
            ours: samples.get(`${label}.ours`),
            hand: samples.get(`${label}.hand`),
            ratio: ratio(samples.get(`${label}.ours`), samples.get(`${label}.hand`)),
        });
        return {
            empty: compared('empty'),
            manyFiles: compared('many'),
            filesRatio: ratio(samples.get('many.ours'), samples.get('empty.ours')),
            handFilesRatio: ratio(samples.get('many.hand'), samples.get('empty.hand')),
            progress: profiled.progress,
            profile: { firstByteMs: profiled.firstMs, calls },
        };
    } finally {
        await full.cleanup();
    }
}

/** A ready container for `ws`, and the two ways to open codex in it from stopped. */
async function prepare(ws: BenchWorkspace) {
    ws.core.updateSettings(ws.settings({ 'tools.codex.extraArgs': ['--version'] }));
    const { id, name } = await ws.core.ensureContainer();
    const stop = () => docker.getContainer(id).stop({ t: 5 });
    return {
        stop,
        ours: async () => {
            await stop();
            return timeOpen(ws.core.openTerminal('codex'));
        },
        hand: async () => {
            await stop();
            const script =
                'docker start "$1" >/dev/null && ' +
                'exec docker exec -it -u hagicode "$1" codex --version';
            return onPty(['sh', '-c', script, 'cold', name]).firstMs;
        },
    };
}

/** 50,000 empty files in Claude's volume, owned by the container user like its own. */
async function fillClaudeVolume(ws: BenchWorkspace): Promise<void> {
    const info = await ws.core.ensureContainer();
    const dir = '/home/hagicode/.claude/bench-files';
    const script =
        `mkdir -p ${dir} && cd ${dir} && seq ${MANY_FILES} | xargs touch && ` +
        `chown -R ${info.uid}:${info.gid} ${dir} && ls | wc -l`;
    const result = await runCapture(docker.getContainer(info.id), ['sh', '-c', script], {
        user: 'root',
    });
    if (result.exitCode !== 0 || Number(result.stdout.trim()) !== MANY_FILES) {
        throw new Error(`could not make ${MANY_FILES} files: ${result.stderr}`);
    }
}
