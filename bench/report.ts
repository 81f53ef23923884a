/** Turns the results into the printed table, the goals' verdicts and the causes of misses. */
import type { ColdOpenResult } from './coldOpen';
import type { EngineCall } from './engineCalls';
import type { ExtensionCost, SessionMemory } from './extensionCost';
import type { RebuildResult } from './rebuilds';
import type { Series } from './stats';
import type { ThroughputResult } from './throughput';
import type { Compared, WarmOpenResult } from './warmOpen';

export interface BenchResults {
    readonly warm?: WarmOpenResult;
    readonly cold?: ColdOpenResult;
    readonly rebuild?: RebuildResult;
    readonly extension?: ExtensionCost;
    readonly memory?: SessionMemory;
    readonly throughput?: ThroughputResult;
}

export interface Goal {
    readonly name: string;
    readonly target: string;
    readonly measured: string;
    readonly met: boolean;
    /** Why it was missed, from the profile; empty when met. */
    readonly cause: string[];
}

type Row = [string, string, string, string];

const ms = (s: Series) => `${s.median.toFixed(0)} ms`;
const range = (s: Series) => `(${s.min.toFixed(0)}-${s.max.toFixed(0)})`;
const x = (r: number) => `${r.toFixed(2)}x`;
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** A row of ours against the by-hand baseline, with the spread of each when asked. */
function compared(label: string, c: Compared, withRange = false): Row {
    const cell = (s: Series) => (withRange ? `${ms(s)} ${range(s)}` : ms(s));
    return [label, cell(c.ours), cell(c.hand), x(c.ratio)];
}

export function tableRows(r: BenchResults): Row[] {
    const rows: Row[] = [];
    if (r.warm) {
        const w = r.warm;
        rows.push(
            compared('warm open, codex --version, first byte', w.codexVersion, true),
            compared('warm open, editor command path', w.editorCommand),
            compared('warm open, claude, first byte', w.claudeFirstByte),
            compared('warm open, claude, welcome screen', w.claudeWelcome, true),
        );
    }
    if (r.cold) {
        const c = r.cold;
        rows.push(
            compared('cold open, empty volumes', c.empty, true),
            compared('cold open, 50,000 files in a volume', c.manyFiles, true),
            ['cold open, 50,000 files / empty', x(c.filesRatio), x(c.handFilesRatio), ''],
        );
    }
    if (r.rebuild) {
        const b = r.rebuild;
        rows.push(
            ['builds, 2 opens, nothing changed', String(b.unchanged.builds), '', ''],
            [
                `builds, 2 opens after ${b.versionChanged.setting}`,
                String(b.versionChanged.builds),
                '',
                '',
            ],
            [
                'open that rebuilt (npm install)',
                `${(b.versionChanged.openMs[0] / 1000).toFixed(1)} s`,
                '',
                '',
            ],
        );
    }
    if (r.extension) {
        const e = r.extension;
        rows.push(
            ['bundle size (minified)', `${(e.bundleBytes / 1024).toFixed(0)} KiB`, '', ''],
            ['bundle load (require)', ms(e.loadMs), '', ''],
            ['activate()', `${e.activateMs.median.toFixed(1)} ms`, '', ''],
            ['Docker connections during activation', String(e.dockerConnections), '', ''],
        );
    }
    if (r.memory) {
        const m = r.memory;
        rows.push(
            [
                'memory, first session (heap / RSS)',
                `${mib(m.firstSession.heapUsed)} / ${mib(m.firstSession.rss)}`,
                '',
                '',
            ],
            [
                'memory, each further session (heap / RSS)',
                `${mib(m.furtherSession.heapUsed)} / ${mib(m.furtherSession.rss)}`,
                '',
                '',
            ],
        );
    }
    if (r.throughput) {
        const t = r.throughput;
        const mbs = (s: Series) => `${s.median.toFixed(0)} MB/s`;
        rows.push(
            [
                'throughput, 100 MB, request to last byte',
                mbs(t.ours),
                `${mbs(t.pipe)} (pipe)`,
                x(t.ratio),
            ],
            [
                'throughput, against docker exec -t into a pipe',
                mbs(t.ours),
                `${mbs(t.ttyPipe)} (-t pipe)`,
                x(t.ours.median / t.ttyPipe.median),
            ],
            ['throughput, streaming only', mbs(t.oursStreaming), '', ''],
        );
    }
    return rows;
}

export function formatTable(rows: Row[]): string {
    const header: Row = ['measure (median)', 'Agent Containers', 'by hand', 'ratio'];
    const all = [header, ...rows];
    const widths = header.map((_, i) => Math.max(...all.map((row) => row[i].length)));
    const line = (row: Row) =>
        row
            .map((cell, i) => cell.padEnd(widths[i]))
            .join('  ')
            .trimEnd();
    return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join(
        '\n',
    );
}

/** Findings without a goal of their own that a reader of the numbers needs. */
export function notes(r: BenchResults): string[] {
    const list: string[] = [];
    const t = r.throughput;
    if (t && t.ratio < 0.8) {
        const tty = t.ours.median / t.ttyPipe.median;
        list.push(
            `throughput is ${x(t.ratio)} of a plain pipe; the engine's TTY path is the limit ` +
                `when docker exec -t into a pipe gets about the same (ours is ${x(tty)} of it): ` +
                'output on a TTY arrives in small chunks through the engine.',
        );
    }
    const c = r.cold;
    if (c && c.empty.ratio > 1.2) {
        list.push(
            `a cold open takes ${x(c.empty.ratio)} of docker start + docker exec -it by hand, ` +
                'which races the entrypoint; ours waits until it has handed over (its ready line ' +
                'on the log stream, see the cold profile below), so it pays the entrypoint itself.',
        );
    }
    return list;
}

export function goals(r: BenchResults): Goal[] {
    const list: Goal[] = [];
    if (r.warm) {
        const w = r.warm;
        list.push({
            name: 'warm open within 1.2x of docker exec -it (codex --version)',
            target: '<= 1.20x',
            measured: x(w.codexVersion.ratio),
            met: w.codexVersion.ratio <= 1.2,
            cause:
                w.codexVersion.ratio <= 1.2
                    ? []
                    : openCauses(w.profile, w.codexVersion.hand.median),
        });
        list.push({
            name: 'warm open from the editor command (ensure image and container, then open)',
            target: '<= 1.20x',
            measured: x(w.editorCommand.ratio),
            met: w.editorCommand.ratio <= 1.2,
            cause:
                w.editorCommand.ratio <= 1.2
                    ? []
                    : [
                          'the command makes sure of image and container, then the terminal ' +
                              'does it all again on open (src/commands/openInContainer.ts)',
                      ],
        });
        list.push({
            name: "warm open within 1.2x of docker exec -it (Claude's welcome screen)",
            target: '<= 1.20x',
            measured: x(w.claudeWelcome.ratio),
            met: w.claudeWelcome.ratio <= 1.2,
            cause:
                w.claudeWelcome.ratio <= 1.2
                    ? []
                    : ['the same fixed costs as above, before the CLI starts'],
        });
    }
    if (r.cold) {
        const ok = r.cold.filesRatio <= 1.1;
        list.push({
            name: 'cold open costs the same with 50,000 files (unchanged IDs)',
            target: '~1.0 (<= 1.10x)',
            measured: x(r.cold.filesRatio),
            met: ok,
            cause: ok ? [] : ['the entrypoint walks the volumes although the IDs did not change'],
        });
    }
    if (r.rebuild) {
        const b = r.rebuild;
        list.push({
            name: 'no build when nothing changed',
            target: '0 builds',
            measured: `${b.unchanged.builds} builds`,
            met: b.unchanged.builds === 0,
            cause:
                b.unchanged.builds === 0 ? [] : ['the image tag changed without a settings change'],
        });
        list.push({
            name: 'one build after one version change, over two opens',
            target: '1 build',
            measured: `${b.versionChanged.builds} builds`,
            met: b.versionChanged.builds === 1,
            cause:
                b.versionChanged.builds === 1
                    ? []
                    : ['see the build log: the second open rebuilt or none ran'],
        });
    }
    if (r.extension) {
        list.push({
            name: 'activation does not contact Docker',
            target: '0 connections',
            measured: `${r.extension.dockerConnections} connections`,
            met: r.extension.dockerConnections === 0,
            cause: [],
        });
    }
    return list;
}

/** Where a warm open spends its time, from the engine calls of one profiled open. */
function openCauses(
    profile: { firstByteMs: number; calls: EngineCall[] },
    handMs: number,
): string[] {
    const { calls, firstByteMs } = profile;
    // The profile may begin with the previous session's last calls; start at this open's.
    const execCreates = calls.filter((c) => /^POST \/containers\/<id>\/exec$/.test(c.call));
    const session = execCreates[execCreates.length - 1];
    if (!session) return ['no session exec found in the profile'];
    const end = (c: EngineCall) => c.startMs + c.durationMs;
    const before = calls.filter((c) => c.startMs < session.startMs);
    const engineBefore = before.reduce((sum, c) => sum + c.durationMs, 0);
    const causes = [
        `${session.startMs.toFixed(0)} ms pass before the session's exec is created, ` +
            `${engineBefore.toFixed(0)} ms of it in ${before.length} engine calls ` +
            '(by hand: none of it); the rest is this process (settings, image plan) ' +
            'and waiting for the CPU',
    ];
    if (execCreates.length > 1) {
        const readiness = execCreates[0];
        const inspect = calls.find(
            (c, i) => i > calls.indexOf(readiness) && /^GET \/exec\//.test(c.call),
        );
        const span = inspect ? end(inspect) - readiness.startMs : NaN;
        causes.push(
            `${span.toFixed(0)} ms of that is the readiness check, an exec of its own, ` +
                'run on a container already found ready',
        );
    }
    const after = (pattern: RegExp) => {
        const call = calls.find((c) => c.startMs > session.startMs && pattern.test(c.call));
        return call ? end(call).toFixed(0) : '?';
    };
    causes.push(
        `${(firstByteMs - session.startMs).toFixed(0)} ms from creating the session's exec ` +
            `to the first byte (exec started at ${after(/\/start$/)} ms, its process running ` +
            `by ${after(/resize$/)} ms as the first resize returns); by hand the whole open ` +
            `takes ${handMs.toFixed(0)} ms`,
    );
    return causes;
}

export function profileLines(
    title: string,
    profile: { firstByteMs: number; calls: EngineCall[] },
): string[] {
    return [
        `${title} (first byte at ${profile.firstByteMs.toFixed(0)} ms):`,
        ...profile.calls.map((c) => {
            const at = c.startMs.toFixed(1).padStart(7);
            return `  ${at} ms  +${c.durationMs.toFixed(1).padStart(6)} ms  ${c.call}`;
        }),
    ];
}
