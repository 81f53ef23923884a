/**
 * image.source 'pull' against a real registry: a read-only one on loopback serving a tiny
 * image saved from the engine. Pull reports progress and leaves the image; an image that
 * is there is not pulled again; a missing tag fails with one line naming it; cancel stops.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pack } from 'tar-stream';
import { createCore, type Core } from '../../src/core';
import { readJsonStream } from '../../src/docker/jsonStream';
import { ImageBuilder } from '../../src/image/imageBuilder';
import { docker, TEST_LABEL, testNamespace, testSettings } from '../support/docker';
import { startLoopbackRegistry, type LoopbackRegistry } from '../support/loopbackRegistry';

const namespace = testNamespace('pull');
const workspace = mkdtempSync(join(tmpdir(), 'agent-pull-'));
const sourceImage = `${namespace}/source:1`;
let registry: LoopbackRegistry;
let core: Core;
let pulled: string;

/** A few-kilobyte image from scratch: pulling it tests the protocol, not the bandwidth. */
async function buildSourceImage(): Promise<void> {
    const context = pack();
    context.entry({ name: 'Dockerfile' }, 'FROM scratch\nCOPY hello.txt /hello.txt\n');
    context.entry({ name: 'hello.txt' }, `pulled from a loopback registry (${namespace})\n`);
    context.finalize();
    const stream = await docker.buildImage(context as unknown as NodeJS.ReadableStream, {
        t: sourceImage,
        labels: { [TEST_LABEL]: namespace },
        rm: true,
        forcerm: true,
    });
    await readJsonStream(stream, () => undefined);
}

async function removeImage(ref: string): Promise<void> {
    await docker
        .getImage(ref)
        .remove({ force: true })
        .catch(() => undefined);
}

function pullCore(name: string): Core {
    return createCore({
        settings: testSettings({ 'image.source': 'pull', 'image.name': name }),
        namespace,
        workspaceFolder: workspace,
        labels: { [TEST_LABEL]: namespace },
    });
}

describe('pull from a loopback registry', { timeout: 60_000 }, () => {
    before(async () => {
        await buildSourceImage();
        registry = await startLoopbackRegistry(docker, sourceImage, `${namespace}/base`, '1');
        pulled = `${registry.host}/${namespace}/base:1`;
        // With the image gone, the engine must fetch every blob rather than find the config.
        await removeImage(sourceImage);
        core = pullCore(pulled);
    });

    after(async () => {
        core?.dispose();
        await registry?.close();
        await removeImage(pulled);
        await removeImage(sourceImage);
        rmSync(workspace, { recursive: true, force: true });
    });

    it('pullImage reports progress and leaves the image', async () => {
        const lines: string[] = [];
        const ref = await core.pullImage((line) => lines.push(line));
        assert.equal(ref, pulled);
        assert.ok(lines.length >= 2, `progress: ${lines.join(' | ')}`);
        assert.ok(lines.some((line) => /Pull complete|Downloaded newer image/.test(line)));
        const info = await docker.getImage(pulled).inspect();
        assert.equal(info.Config.Labels?.[TEST_LABEL], namespace);
        assert.ok(registry.requests.some((r) => r.startsWith('GET /v2/') && r.includes('/blobs/')));
    });

    it('ensureImage with the image present does not pull again', async () => {
        const before = registry.requests.length;
        const lines: string[] = [];
        assert.equal(await core.ensureImage((line) => lines.push(line)), pulled);
        assert.deepEqual(registry.requests.slice(before), []);
        assert.deepEqual(lines, []);
    });

    it('ensureImage pulls when the image is missing', async () => {
        await removeImage(pulled);
        const before = registry.requests.length;
        assert.equal(await core.ensureImage(), pulled);
        assert.ok(registry.requests.length > before);
        await docker.getImage(pulled).inspect();
    });

    it('a missing tag fails with one line naming the image', async () => {
        const missing = `${registry.host}/${namespace}/base:nope`;
        const other = pullCore(missing);
        try {
            const error = await other.pullImage().then(
                () => assert.fail('pull of a missing tag succeeded'),
                (e: unknown) => e as Error,
            );
            assert.ok(!error.message.includes('\n'), error.message);
            assert.ok(error.message.includes(missing), error.message);
            assert.match(error.message, /not found.*Check agentContainers\.image\.name/);
            assert.ok(!/\s+at /.test(error.message), error.message);
        } finally {
            other.dispose();
        }
    });

    it('a cancelled pull stops', async () => {
        await removeImage(pulled);
        registry.stallBlobs = true;
        try {
            const controller = new AbortController();
            const started = Date.now();
            const seen = registry.requests.length;
            const pulling = core.pullImage(() => undefined, controller.signal);
            // Wait until the engine is inside the stalled layer download, then cancel.
            const deadline = Date.now() + 20_000;
            const blobGets = () =>
                registry.requests.slice(seen).filter((r) => /^GET .*\/blobs\//.test(r));
            while (blobGets().length === 0) {
                assert.ok(Date.now() < deadline, 'the engine never asked for a blob');
                await new Promise((resolve) => setTimeout(resolve, 50));
            }
            await new Promise((resolve) => setTimeout(resolve, 300));
            controller.abort();
            await assert.rejects(pulling, (error: Error) => error.name === 'AbortError');
            assert.ok(Date.now() - started < 15_000);
            // Our side lets go of the engine's stream. The engine itself keeps downloading
            // for a while (moby/moby#6928); closing the registry in after() ends that.
            while (ImageBuilder.busy()) {
                assert.ok(Date.now() < deadline, 'the pull job still runs after cancel');
                await new Promise((resolve) => setTimeout(resolve, 50));
            }
            assert.notEqual(await core.containerState(), 'building');
            await assert.rejects(docker.getImage(pulled).inspect());
        } finally {
            registry.stallBlobs = false;
        }
    });
});
