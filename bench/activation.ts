/**
 * Child process of the benchmark: loads a built bundle the way the editor does (one
 * CommonJS file requiring 'vscode', here the unit tests' stand-in) and activates it, with
 * docker.host pointing at a socket that counts connections. Prints JSON.
 *
 * usage: node --import tsx bench/activation.ts BUNDLE
 */
import { addFolder, fake } from '../test/unit/support/fakeVscode';
import { readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { msSince } from './engineCalls';

async function main(): Promise<void> {
    const bundle = process.argv[2];
    const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
    const socket = join(tmpdir(), `agent-bench-activation-${process.pid}.sock`);
    let connections = 0;
    const server = createServer((connection) => {
        connections++;
        connection.destroy();
    });
    await new Promise<void>((done) => server.listen(socket, done));
    fake.configuration.set('docker.host', { value: `unix://${socket}` });
    addFolder(join(tmpdir(), 'agent-bench-activation', 'workspace'));

    const subscriptions: { dispose(): unknown }[] = [];
    const started = process.hrtime.bigint();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const extension = require(bundle);
    const loadMs = msSince(started);
    extension.activate({ subscriptions, extension: { packageJSON: pkg } });
    const activateMs = msSince(started) - loadMs;
    const duringActivation = connections;

    for (const subscription of subscriptions) subscription.dispose();
    server.close();
    rmSync(socket, { force: true });
    process.stdout.write(
        JSON.stringify({ loadMs, activateMs, connections: duringActivation }) + '\n',
    );
    process.exit(0);
}

void main();
