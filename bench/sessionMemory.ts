/**
 * Child process of the benchmark (run with --expose-gc): what one open terminal session
 * adds to the process's memory, measured after garbage collection, with the session idle
 * at a shell prompt. The first session also makes the Docker connection; a second one
 * shows the cost of each further session. Prints JSON.
 *
 * usage: node --expose-gc --import tsx bench/sessionMemory.ts NAMESPACE FOLDER
 */
import type { ToolTerminal } from '../src/session/toolTerminal';
import { benchWorkspace } from './benchSetup';
import { sleep } from './stats';

interface Memory {
    readonly rss: number;
    readonly heapUsed: number;
    readonly external: number;
}

async function settled(): Promise<Memory> {
    const gc = (globalThis as { gc?: () => void }).gc;
    if (!gc) throw new Error('run with --expose-gc');
    for (let i = 0; i < 3; i++) {
        gc();
        await sleep(50);
    }
    const { rss, heapUsed, external } = process.memoryUsage();
    return { rss, heapUsed, external };
}

const minus = (a: Memory, b: Memory): Memory => ({
    rss: a.rss - b.rss,
    heapUsed: a.heapUsed - b.heapUsed,
    external: a.external - b.external,
});

async function openIdle(ws: ReturnType<typeof benchWorkspace>): Promise<ToolTerminal> {
    const terminal = ws.core.openTerminal('shell');
    let output = '';
    terminal.onDidWrite((text) => (output += text));
    terminal.open({ columns: 100, rows: 30 });
    const deadline = Date.now() + 60_000;
    while (!/\$ $/.test(output)) {
        if (Date.now() > deadline) throw new Error(`no prompt: ${output.slice(-300)}`);
        await sleep(20);
    }
    return terminal;
}

async function main(): Promise<void> {
    const [namespace, folder] = process.argv.slice(2);
    const ws = benchWorkspace({ namespace, folder });
    const before = await settled();
    const first = await openIdle(ws);
    const afterFirst = await settled();
    const second = await openIdle(ws);
    const afterSecond = await settled();
    first.close();
    second.close();
    await sleep(1500); // The close kills the shells through an exec of its own.
    ws.core.dispose();
    process.stdout.write(
        JSON.stringify({
            baseline: before,
            firstSession: minus(afterFirst, before),
            furtherSession: minus(afterSecond, afterFirst),
        }) + '\n',
    );
    process.exit(0);
}

void main();
