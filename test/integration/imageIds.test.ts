// PUID/PGID remapping against the real engine: sessions run with exactly the host's IDs,
// files in a bind-mounted workspace get them, the volumes follow an ID change (C5), and
// root or junk IDs are refused before anything runs.
import assert from 'node:assert/strict';
import { chmodSync, chownSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { removeTestObjects, testNamespace } from '../support/docker';
import {
    buildTestImage,
    containerLogs,
    createToolVolumes,
    exec,
    ownerAndMode,
    startContainer,
    toolVolumes,
    waitForCommand,
    waitForExit,
} from './imageSupport';

const WORKSPACE = '/workspace';

let image: string;
let namespace: string;
let workspace: string;

async function startedAs(uid: string, gid: string, cmd?: string[]) {
    const container = await startContainer(image, namespace, {
        env: { PUID: uid, PGID: gid },
        binds: [`${workspace}:${WORKSPACE}`],
        cmd,
    });
    if (!cmd) await waitForCommand(container);
    return container;
}

describe('agent image: host user IDs', { timeout: 600_000 }, () => {
    before(async () => {
        image = (await buildTestImage()).tag;
        namespace = testNamespace('image-ids');
        await createToolVolumes(namespace);
        workspace = mkdtempSync(join(tmpdir(), 'agent-ids-'));
        // The host side is root here; every remapped user must be able to write into it.
        chmodSync(workspace, 0o777);
    });

    after(async () => {
        await removeTestObjects(namespace);
        rmSync(workspace, { recursive: true, force: true });
    });

    // 1000/100 then 1001/1001 then 1000/1000 is case C5, on the same volumes throughout.
    const cases: [string, string][] = [
        ['1234', '1234'],
        ['1000', '100'],
        ['501', '20'],
        ['1001', '1001'],
        ['1000', '1000'],
    ];
    for (const [uid, gid] of cases) {
        it(`runs sessions as ${uid}/${gid}, and the workspace, home and volumes follow`, async () => {
            const container = await startedAs(uid, gid);
            try {
                const ids = await exec(container, ['sh', '-c', 'id -u; id -g; echo "$HOME"']);
                assert.equal(ids.exitCode, 0, ids.stderr);
                assert.deepEqual(ids.stdout.trim().split('\n'), [uid, gid, '/home/hagicode']);

                const file = `made-by-${uid}-${gid}`;
                const write = await exec(container, ['touch', `${WORKSPACE}/${file}`]);
                assert.equal(write.exitCode, 0, write.stderr);
                const stat = statSync(join(workspace, file));
                assert.deepEqual([stat.uid, stat.gid], [Number(uid), Number(gid)]);

                const home = await exec(container, [
                    'sh',
                    '-c',
                    'touch ~/.home-probe && rm ~/.home-probe',
                ]);
                assert.equal(home.exitCode, 0, home.stderr);
                assert.equal(
                    (await ownerAndMode(container, '/home/hagicode')).split(' ')[0],
                    `${uid}:${gid}`,
                );

                for (const { Target } of toolVolumes(namespace)) {
                    assert.equal(
                        (await ownerAndMode(container, Target)).split(' ')[0],
                        `${uid}:${gid}`,
                    );
                }
                // A login a CLI saved under the previous IDs is still the user's own.
                const login = await exec(container, ['codex', 'login', '--with-api-key'], {
                    stdin: 'sk-test-ids\n',
                });
                assert.equal(login.exitCode, 0, login.stderr);
                const state = await exec(container, [
                    'sh',
                    '-c',
                    'find ~/.codex ~/.claude \\! -user "$(id -u)"',
                ]);
                assert.equal(state.stdout, '');
            } finally {
                await container.remove({ force: true });
            }
        });
    }

    it("leaves a folder bind-mounted under the home directory as the host's owner has it", async () => {
        const hostFolder = mkdtempSync(join(tmpdir(), 'agent-ids-home-'));
        const inside = join(hostFolder, 'kept');
        writeFileSync(inside, 'x');
        chownSync(hostFolder, 4321, 4321);
        chownSync(inside, 4321, 4321);
        const container = await startContainer(image, namespace, {
            env: { PUID: '1234', PGID: '1234' },
            binds: [`${hostFolder}:/home/hagicode/my work é`],
        });
        try {
            await waitForCommand(container);
            const ids = await exec(container, ['id', '-u']);
            assert.equal(ids.stdout.trim(), '1234');
            for (const path of [hostFolder, inside]) {
                const stat = statSync(path);
                assert.deepEqual([stat.uid, stat.gid], [4321, 4321], path);
            }
        } finally {
            await container.remove({ force: true });
            rmSync(hostFolder, { recursive: true, force: true });
        }
    });

    for (const [env, value, message] of [
        ['PUID', '0', /PUID=0 would run the tools as root/],
        ['PGID', '0', /PGID=0 would run the tools as root/],
        ['PUID', 'abc', /PUID must be a numeric ID, got 'abc'/],
        ['PGID', '1000; touch /tmp/pwned', /PGID must be a numeric ID/],
    ] as const) {
        it(`refuses ${env}=${value} with a clear message and runs nothing`, async () => {
            const ids = env === 'PUID' ? [value, '1000'] : ['1000', value];
            const container = await startedAs(ids[0], ids[1], ['touch', '/tmp/ran']);
            try {
                assert.equal(await waitForExit(container), 64);
                assert.match(await containerLogs(container), message);
                await assert.rejects(
                    container.getArchive({ path: '/tmp/ran' }),
                    /404|no such file/i,
                );
                await assert.rejects(
                    container.getArchive({ path: '/tmp/pwned' }),
                    /404|no such file/i,
                );
            } finally {
                await container.remove({ force: true });
            }
        });
    }
});
