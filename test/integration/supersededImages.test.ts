/**
 * After a successful build the namespace's older images go, unless a container (of any
 * workspace) still uses them; a failed build removes nothing, since the previous image is
 * then the fallback. Uses versions other integration tests build too, so layers are cached.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createCore, type Core } from '../../src/core';
import { LABEL_NAMESPACE } from '../../src/docker/labels';
import { log, setLogger, type Logger } from '../../src/log';
import {
    docker,
    removeTestObjects,
    TEST_LABEL,
    testNamespace,
    testSettings,
} from '../support/docker';

const namespace = testNamespace('superseded');
const root = mkdtempSync(join(tmpdir(), 'agent-superseded-'));
const labels = { [TEST_LABEL]: namespace };
const newer = { 'tools.claude.version': '2.1.332' };
const cores: Core[] = [];

function coreIn(folder: string, extra: Record<string, unknown> = {}): Core {
    const workspaceFolder = join(root, folder);
    mkdirSync(workspaceFolder, { recursive: true });
    const core = createCore({ settings: testSettings(extra), namespace, workspaceFolder, labels });
    cores.push(core);
    return core;
}

async function exists(ref: string): Promise<boolean> {
    return docker
        .getImage(ref)
        .inspect()
        .then(
            () => true,
            (error: { statusCode?: number }) => {
                if (error.statusCode === 404) return false;
                throw error;
            },
        );
}

/** The info lines logged while `work` runs. */
async function infoLines(work: () => Promise<unknown>): Promise<string[]> {
    const previous = log;
    const lines: string[] = [];
    setLogger({ ...previous, info: (message) => lines.push(message) } satisfies Logger);
    try {
        await work();
    } finally {
        setLogger(previous);
    }
    return lines;
}

describe('superseded images', { timeout: 15 * 60_000 }, () => {
    after(async () => {
        cores.forEach((core) => core.dispose());
        await removeTestObjects(namespace);
        const filters = { label: [`${LABEL_NAMESPACE}=${namespace}`] };
        for (const image of await docker.listImages({ filters })) {
            for (const tag of image.RepoTags ?? []) {
                // noprune: the layers stay as cache for the other tests' builds.
                await docker
                    .getImage(tag)
                    .remove({ noprune: true })
                    .catch(() => undefined);
            }
        }
        rmSync(root, { recursive: true, force: true });
    });

    let older = '';
    let current = '';

    it('a failed build removes nothing', async () => {
        const core = coreIn('a');
        older = await core.ensureImage();
        core.updateSettings(testSettings({ 'image.baseImage': 'registry.invalid/agent/node:22' }));
        await assert.rejects(core.buildImage(), /base image registry\.invalid/);
        assert.ok(await exists(older), `${older} kept after a failed build`);
    });

    it('a changed version removes the old image when no container uses it', async () => {
        const core = cores[0];
        core.updateSettings(testSettings(newer));
        const lines = await infoLines(async () => {
            current = await core.ensureImage();
        });
        assert.notEqual(current, older);
        assert.ok(await exists(current));
        assert.equal(await exists(older), false, `${older} removed`);
        assert.ok(
            lines.includes(`Removed image ${older}, superseded by ${current}`),
            lines.join('\n'),
        );
    });

    it("an old image that another workspace's stopped container uses is kept", async () => {
        const other = await coreIn('b', newer).ensureContainer();
        assert.equal(other.image, current);
        await docker.getContainer(other.id).stop();
        cores[0].updateSettings(testSettings());
        const rebuilt = await cores[0].ensureImage();
        assert.equal(rebuilt, older);
        assert.ok(await exists(current), `${current} kept: a container uses it`);
    });
});
