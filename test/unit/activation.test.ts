import { addFolder, fake } from './support/fakeVscode';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';

// The built bundle, loaded as the editor loads it: one CommonJS file requiring 'vscode'.
const bundle = resolve('dist/extension.js');
const socket = join(tmpdir(), `agent-containers-activation-${process.pid}.sock`);
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
let connections = 0;
let server: Server;
const subscriptions: { dispose(): unknown }[] = [];

before(async () => {
    const build = spawnSync(process.execPath, ['scripts/build.mjs'], { encoding: 'utf8' });
    assert.equal(build.status, 0, build.stderr);

    // A socket standing in for the engine: it counts who connects and answers nobody.
    server = createServer((connection) => {
        connections++;
        connection.destroy();
    });
    await new Promise<void>((done) => server.listen(socket, done));
    fake.reset();
    fake.configuration.set('docker.host', {
        value: `unix://${socket}`,
        globalValue: `unix://${socket}`,
    });
    addFolder('/tmp/agent-containers-activation/my project é');
});

after(async () => {
    for (const subscription of subscriptions) subscription.dispose();
    await new Promise((done) => server.close(done));
    rmSync(socket, { force: true });
});

test('activation registers every contributed command without contacting Docker', async () => {
    const started = process.hrtime.bigint();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const extension = require(bundle);
    const loaded = process.hrtime.bigint();
    extension.activate({ subscriptions, extension: { packageJSON: pkg } });
    const ms = (from: bigint, to: bigint) => (Number(to - from) / 1e6).toFixed(1);
    console.log(
        `load ${ms(started, loaded)} ms, activate ${ms(loaded, process.hrtime.bigint())} ms`,
    );

    assert.equal(connections, 0);
    const contributed = pkg.contributes.commands.map((c: { command: string }) => c.command);
    assert.deepEqual([...fake.commands.keys()].sort(), contributed.sort());
    assert.equal(fake.channels[0].name, 'Agent Containers');
    assert.match(fake.statusItems[0].text, /Agents/);
});

test('after activation the status bar asks Docker and shows when it is unavailable', async () => {
    const item = fake.statusItems[0];
    for (let i = 0; i < 100 && !/unavailable/.test(item.text); i++) {
        await new Promise((done) => setTimeout(done, 50));
    }
    assert.ok(connections > 0);
    assert.match(item.text, /Docker unavailable/);
    console.log((item.tooltip as { value: string }).value);
    assert.equal(item.visible, true);
    assert.equal(item.backgroundColor?.id, 'statusBarItem.warningBackground');
});
