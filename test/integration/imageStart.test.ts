// What a container start costs: with unchanged IDs the entrypoint must not walk the
// volumes, so 50,000 files in a volume cost no more than none. Ownership is fixed by a walk
// only when a volume root has the wrong owner.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { removeTestObjects, testNamespace } from '../support/docker';
import {
    buildTestImage,
    createToolVolumes,
    exec,
    ownerAndMode,
    startContainer,
    waitForCommand,
    waitForExit,
} from './imageSupport';

const MANY = '/home/hagicode/.claude/many';
const FILES = 50_000;

let image: string;
let namespace: string;

/** Runs `true` through the entrypoint; returns the seconds from start to exit, by the engine. */
async function startSeconds(env: Record<string, string> = {}): Promise<number> {
    const container = await startContainer(image, namespace, { env, cmd: ['true'] });
    try {
        assert.equal(await waitForExit(container), 0);
        const { State } = await container.inspect();
        return (Date.parse(State.FinishedAt) - Date.parse(State.StartedAt)) / 1000;
    } finally {
        await container.remove({ force: true });
    }
}

async function median(runs: number, measure: () => Promise<number>): Promise<number> {
    const times: number[] = [];
    for (let i = 0; i < runs; i++) times.push(await measure());
    return times.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

/** A long-running container for setting up volume contents as root. */
async function asRoot(script: string): Promise<string> {
    const container = await startContainer(image, namespace);
    await waitForCommand(container);
    try {
        const result = await exec(container, ['bash', '-c', script], { user: 'root' });
        assert.equal(result.exitCode, 0, result.stderr);
        return result.stdout;
    } finally {
        await container.remove({ force: true });
    }
}

describe('agent image: start cost and ownership walk', { timeout: 600_000 }, () => {
    before(async () => {
        image = (await buildTestImage()).tag;
        namespace = testNamespace('image-start');
        await createToolVolumes(namespace);
    });

    after(async () => {
        await removeTestObjects(namespace);
    });

    it('costs the same with 50,000 files in a volume as with none, at unchanged IDs', async () => {
        await startSeconds();
        const empty = await median(5, () => startSeconds());

        await asRoot(
            `mkdir ${MANY} && cd ${MANY} && seq ${FILES} | xargs touch && chown -R 1000:1000 ${MANY}`,
        );
        const full = await median(5, () => startSeconds());
        console.log(
            `# entrypoint start, unchanged IDs: empty volumes ${empty.toFixed(3)} s, ` +
                `${FILES} files ${full.toFixed(3)} s (median of 5)`,
        );

        const remapped = await startSeconds({ PUID: '1234', PGID: '1234' });
        const back = await startSeconds();
        console.log(
            `# entrypoint start after an ID change, ${FILES} files: to 1234/1234 ` +
                `${remapped.toFixed(3)} s, back to 1000/1000 ${back.toFixed(3)} s`,
        );
        // A walk over the files costs about 0.5 s here; noise between runs is a few ms.
        assert.ok(full < empty + 0.3, `start took ${full} s with files, ${empty} s without`);
    });

    it('leaves contents alone when the volume root is right, and fixes them when it is not', async () => {
        // A file with a foreign owner under a correctly owned root proves that no walk ran.
        await asRoot(`touch ${MANY}/foreign && chown 4321:4321 ${MANY}/foreign`);
        await startSeconds();
        const untouched = await startContainer(image, namespace);
        await waitForCommand(untouched);
        try {
            assert.equal(
                (await ownerAndMode(untouched, `${MANY}/foreign`)).split(' ')[0],
                '4321:4321',
            );
        } finally {
            await untouched.remove({ force: true });
        }

        await asRoot('chown 4321:4321 /home/hagicode/.claude');
        const fixed = await startContainer(image, namespace);
        await waitForCommand(fixed);
        try {
            const find = ['find', '/home/hagicode/.claude', '!', '-uid', '1000'];
            const stray = await exec(fixed, find, { user: 'root' });
            assert.equal(stray.stdout, '');
            assert.equal((await ownerAndMode(fixed, `${MANY}/foreign`)).split(' ')[0], '1000:1000');
        } finally {
            await fixed.remove({ force: true });
        }
    });
});
