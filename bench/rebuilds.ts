/**
 * Rebuild avoidance: opening twice with unchanged settings builds nothing; changing one
 * tool version and opening twice builds exactly once. Builds are counted from the engine's
 * own event stream (an image tagged under this run's label), not from the product's
 * account of itself.
 */
import type { BenchWorkspace } from './benchSetup';
import { msSince } from './engineCalls';
import { docker, TEST_LABEL } from '../test/support/docker';
import { sleep } from './stats';
import { timeOpen } from './terminalTiming';

/** A published Codex release other than the pinned one, so the change is a real install. */
export const CHANGED_CODEX_VERSION = '0.169.1';

export interface RebuildResult {
    readonly unchanged: { opens: number; builds: number; openMs: number[] };
    readonly versionChanged: {
        readonly setting: string;
        readonly opens: number;
        readonly builds: number;
        readonly openMs: number[];
        /** What the CLI printed after the change: the new version. */
        readonly reported: string;
    };
}

export async function rebuilds(ws: BenchWorkspace): Promise<RebuildResult> {
    const { core } = ws;
    core.updateSettings(ws.settings({ 'tools.codex.extraArgs': ['--version'] }));
    await core.ensureContainer();
    const builds = await countImageTags(ws.namespace);
    try {
        const open = async () => {
            const started = process.hrtime.bigint();
            const timing = await timeOpen(core.openTerminal('codex'), { timeoutMs: 600_000 });
            return { ms: msSince(started), output: timing.output };
        };
        const unchangedOpens = [await open(), await open()];
        await sleep(500); // Events arrive a moment after the call that caused them.
        const unchangedBuilds = builds.count();

        core.updateSettings(
            ws.settings({
                'tools.codex.extraArgs': ['--version'],
                'tools.codex.version': CHANGED_CODEX_VERSION,
            }),
        );
        const changedOpens = [await open(), await open()];
        // Next run's change must install for real again, not find these layers cached.
        ws.dropLayersOf((await core.ensureContainer()).image);
        await sleep(500);
        const reported = changedOpens[1].output.match(/codex-cli \S+/)?.[0] ?? '';
        if (!reported.includes(CHANGED_CODEX_VERSION)) {
            throw new Error(`after the version change codex reported "${reported}"`);
        }
        return {
            unchanged: {
                opens: 2,
                builds: unchangedBuilds,
                openMs: unchangedOpens.map((o) => o.ms),
            },
            versionChanged: {
                setting: `tools.codex.version = ${CHANGED_CODEX_VERSION}`,
                opens: 2,
                builds: builds.count() - unchangedBuilds,
                openMs: changedOpens.map((o) => o.ms),
                reported,
            },
        };
    } finally {
        builds.stop();
    }
}

/** Counts "image tag" events of images carrying this run's test label. */
async function countImageTags(namespace: string): Promise<{ count(): number; stop(): void }> {
    const stream = (await docker.getEvents({
        filters: { type: ['image'], event: ['tag'], label: [`${TEST_LABEL}=${namespace}`] },
    })) as NodeJS.ReadableStream & { destroy(): void };
    let count = 0;
    let buffered = '';
    stream.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        count += lines.filter((line) => line.trim()).length;
    });
    stream.on('error', () => undefined);
    return { count: () => count, stop: () => stream.destroy() };
}
