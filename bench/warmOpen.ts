/**
 * Warm open: the container runs; from the open request to the CLI's first output byte,
 * against `docker exec -it` typed by hand. Measured for `codex --version` (prints at once
 * offline) and for Claude's welcome screen, plus the editor's command path, which makes sure
 * of image and container before it opens the terminal.
 */
import type { BenchWorkspace } from './benchSetup';
import { msSince, recordEngineCalls, type EngineCall } from './engineCalls';
import { onPty } from './handExec';
import { waitUntilGone } from './processes';
import { inRounds, ratio, Samples, type Series } from './stats';
import { timeOpen } from './terminalTiming';

export interface Compared {
    readonly ours: Series;
    readonly hand: Series;
    /** ours / hand, of the medians. */
    readonly ratio: number;
}

export interface WarmOpenResult {
    /** ToolTerminal.open() to the first byte of `codex --version`. */
    readonly codexVersion: Compared;
    /** The editor command: ensureImage + ensureContainer, then open(), to the first byte. */
    readonly editorCommand: Compared;
    /** To the first byte, and to "Welcome to Claude" on screen. */
    readonly claudeFirstByte: Compared;
    readonly claudeWelcome: Compared;
    /** Engine calls of one warm open, in order, up to the first byte. */
    readonly profile: { firstByteMs: number; calls: EngineCall[] };
}

// Claude draws with cursor moves between words (ESC [ n G) rather than spaces.
const GAP = String.raw`(?:\x1b\[\d*[GC]| )+`;
const WELCOME = new RegExp(`Welcome${GAP}to${GAP}Claude`);

export async function warmOpen(ws: BenchWorkspace, rounds: number): Promise<WarmOpenResult> {
    const { core } = ws;
    core.updateSettings(ws.settings({ 'tools.codex.extraArgs': ['--version'] }));
    const { id } = await core.ensureContainer();
    const hand = (argv: string[], pattern?: RegExp) =>
        onPty(['docker', 'exec', '-it', '-u', 'hagicode', id, ...argv], {
            pattern: pattern?.source,
        });

    // One untimed round: first-use costs (engine check, loading modules) are not "warm".
    await timeOpen(core.openTerminal('codex'));
    hand(['codex', '--version']);

    const samples = new Samples();
    await inRounds(rounds, [
        async () => samples.add('codex.ours', (await timeOpen(core.openTerminal('codex'))).firstMs),
        async () => samples.add('codex.hand', hand(['codex', '--version']).firstMs),
        async () => {
            const started = process.hrtime.bigint();
            await core.ensureImage();
            await core.ensureContainer();
            const ensured = msSince(started);
            samples.add(
                'editor.ours',
                ensured + (await timeOpen(core.openTerminal('codex'))).firstMs,
            );
        },
        async () => {
            const timing = await timeOpen(core.openTerminal('claude'), { pattern: WELCOME });
            await waitUntilGone(id, 'claude');
            samples.add('claude.first.ours', timing.firstMs);
            samples.add('claude.welcome.ours', timing.matchedMs!);
        },
        async () => {
            const timing = hand(['claude'], WELCOME);
            await waitUntilGone(id, 'claude');
            samples.add('claude.first.hand', timing.firstMs);
            samples.add('claude.welcome.hand', timing.matchedMs!);
        },
    ]);

    const stopRecording = recordEngineCalls();
    const profiled = await timeOpen(core.openTerminal('codex'));
    const calls = stopRecording().filter((call) => call.startMs <= profiled.firstMs);

    const compared = (ours: string, hand: string): Compared => ({
        ours: samples.get(ours),
        hand: samples.get(hand),
        ratio: ratio(samples.get(ours), samples.get(hand)),
    });
    return {
        codexVersion: compared('codex.ours', 'codex.hand'),
        editorCommand: compared('editor.ours', 'codex.hand'),
        claudeFirstByte: compared('claude.first.ours', 'claude.first.hand'),
        claudeWelcome: compared('claude.welcome.ours', 'claude.welcome.hand'),
        profile: { firstByteMs: profiled.firstMs, calls },
    };
}
