/**
 * Readiness against real containers of the test base image: the ready line is trusted only
 * from images (here: containers) labelled for it and only from the current start, a start
 * that fails is reported at once with its last log line, and unlabelled containers are
 * still found ready by polling /proc.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { READY_SIGNAL_LABEL, waitUntilReady } from '../../src/container/readiness';
import {
    docker,
    removeTestObjects,
    TEST_BASE_IMAGE,
    TEST_LABEL,
    testNamespace,
} from '../support/docker';

const namespace = testNamespace('readiness');
const UID = 1234;
let count = 0;

async function started(script: string, signalled: boolean, user = 'root') {
    const container = await docker.createContainer({
        name: `${namespace}-${count++}`,
        Image: TEST_BASE_IMAGE,
        Cmd: ['sh', '-c', script],
        User: user,
        Labels: { [TEST_LABEL]: namespace, ...(signalled ? { [READY_SIGNAL_LABEL]: '1' } : {}) },
        HostConfig: { NetworkMode: 'none' },
    });
    await container.start();
    return container;
}

async function timed(work: Promise<void>): Promise<{ ms: number; error?: Error }> {
    const begun = Date.now();
    try {
        await work;
        return { ms: Date.now() - begun };
    } catch (error) {
        return { ms: Date.now() - begun, error: error as Error };
    }
}

describe('container readiness', () => {
    after(() => removeTestObjects(namespace));

    it('trusts the ready line of a labelled container (polling could never succeed here)', async () => {
        // PID 1 is sleep, running as root: /proc shows no child of PID 1 under UID.
        const container = await started(
            `sleep 0.5; echo "agent-containers: ready uid=${UID} gid=5"; exec sleep infinity`,
            true,
        );
        const result = await timed(waitUntilReady(container, UID, undefined, undefined, 20_000));
        assert.equal(result.error, undefined);
        assert.ok(result.ms < 5_000, `took ${result.ms} ms`);
    });

    it('refuses a ready line with other IDs', async () => {
        const container = await started(
            'echo "agent-containers: ready uid=999 gid=5"; exec sleep infinity',
            true,
        );
        const result = await timed(waitUntilReady(container, UID, undefined, undefined, 1_500));
        assert.match(result.error?.message ?? '', /did not become ready within 1.5 s/);
    });

    it('ignores the ready line of an earlier start', async () => {
        const container = await started(
            'if [ -e /tmp/second ]; then exec sleep infinity; fi; touch /tmp/second; ' +
                `echo "agent-containers: ready uid=${UID} gid=5"`,
            true,
        );
        await container.wait();
        await container.start();
        const result = await timed(waitUntilReady(container, UID, undefined, undefined, 1_500));
        assert.match(result.error?.message ?? '', /did not become ready within 1.5 s/);
    });

    it('fails at once with the log line when the start is refused, not after the timeout', async () => {
        const container = await started(
            'sleep 1; echo "agent-containers: PUID must be a numeric ID, got \'abc\'" >&2; exit 64',
            true,
        );
        const result = await timed(waitUntilReady(container, UID, undefined, undefined, 60_000));
        assert.match(result.error?.message ?? '', /exit code 64/);
        assert.match(result.error?.message ?? '', /PUID must be a numeric ID, got 'abc'/);
        assert.ok(result.ms < 10_000, `took ${result.ms} ms`);
    });

    it('polls an unlabelled container, ignoring any ready line it prints', async () => {
        // The line alone must not do: for 1.5 s PID 1's only child runs as root.
        const container = await started(
            `echo "agent-containers: ready uid=${UID} gid=5"; sleep 1.5; ` +
                `setpriv --reuid=${UID} --regid=5 --clear-groups sleep infinity & wait`,
            false,
        );
        const result = await timed(waitUntilReady(container, UID, undefined, undefined, 20_000));
        assert.equal(result.error, undefined);
        assert.ok(result.ms >= 1_000, `ready after ${result.ms} ms, before the child existed`);
    });
});
