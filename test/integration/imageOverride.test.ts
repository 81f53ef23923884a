// C7 at the image level: the runtime version override installs the version asked for, as
// hagicode, once; anything that is not a version or a dist-tag is refused and runs nothing.
// Containers have no network: the host fetches the package into an npm cache first (like
// a build would), and the container installs from that cache offline.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { removeTestObjects, testNamespace } from '../support/docker';
import {
    buildTestImage,
    containerLogs,
    createToolVolumes,
    exec,
    startContainer,
    waitForCommand,
    waitForExit,
} from './imageSupport';

const OVERRIDE = '2.1.332';
const PACKAGE = '@anthropic-ai/claude-code';
const CACHE = resolve('.test-work/npm-cache-c7');

let image: string;
let namespace: string;

/** Fills an npm cache on the host with everything installing the override needs. */
async function fillNpmCache(): Promise<void> {
    mkdirSync(CACHE, { recursive: true });
    const prefix = join(CACHE, '..', 'npm-prefix-c7');
    await promisify(execFile)(
        'npm',
        [
            'install',
            '--prefix',
            prefix,
            '--cache',
            CACHE,
            '--no-audit',
            '--no-fund',
            '--ignore-scripts',
            `${PACKAGE}@${OVERRIDE}`,
        ],
        { maxBuffer: 16 * 1024 * 1024 },
    );
    // The container's user, whatever its UID, must be able to use the cache.
    await promisify(execFile)('chmod', ['-R', 'a+rwX', CACHE]);
    chmodSync(CACHE, 0o777);
}

function offlineEnv(extra: Record<string, string>): Record<string, string> {
    return { npm_config_cache: '/npm-cache', npm_config_offline: 'true', ...extra };
}

async function startWithOverride(env: Record<string, string>, cmd?: string[]) {
    const container = await startContainer(image, namespace, {
        env: offlineEnv(env),
        binds: [`${CACHE}:/npm-cache`],
        cmd,
    });
    if (!cmd) await waitForCommand(container, 180_000);
    return container;
}

describe('agent image: runtime version override (C7)', { timeout: 900_000 }, () => {
    before(async () => {
        image = (await buildTestImage()).tag;
        namespace = testNamespace('image-override');
        await createToolVolumes(namespace);
        await fillNpmCache();
    });

    after(async () => {
        await removeTestObjects(namespace);
    });

    it(`installs ${PACKAGE}@${OVERRIDE} as the user, and only once per container`, async () => {
        const container = await startWithOverride({ CLAUDE_CODE_CLI_VERSION: OVERRIDE });
        try {
            const version = await exec(container, ['claude', '--version']);
            assert.equal(version.stdout.trim(), `${OVERRIDE} (Claude Code)`, version.stderr);
            assert.match(await containerLogs(container), /CLAUDE_CODE_CLI_VERSION: installing/);
            const owner = await exec(container, [
                'stat',
                '-c',
                '%U',
                `/opt/agent-tools/lib/node_modules/${PACKAGE}`,
            ]);
            assert.equal(owner.stdout.trim(), 'hagicode');

            await container.restart();
            await waitForCommand(container);
            assert.match(await containerLogs(container), /already installed/);
            const again = await exec(container, ['claude', '--version']);
            assert.equal(again.stdout.trim(), `${OVERRIDE} (Claude Code)`);
        } finally {
            await container.remove({ force: true });
        }
    });

    it('installs it for a remapped user too', async () => {
        const container = await startWithOverride({
            CLAUDE_CODE_CLI_VERSION: OVERRIDE,
            PUID: '1234',
            PGID: '1234',
        });
        try {
            const version = await exec(container, ['claude', '--version']);
            assert.equal(version.stdout.trim(), `${OVERRIDE} (Claude Code)`, version.stderr);
        } finally {
            await container.remove({ force: true });
        }
    });

    it('skips the install when the image already holds that version', async () => {
        const container = await startWithOverride({ CLAUDE_CODE_CLI_VERSION: '2.1.330' });
        try {
            const logs = await containerLogs(container);
            assert.match(logs, /@anthropic-ai\/claude-code@2\.1\.330 already installed/);
            assert.doesNotMatch(logs, /installing/);
        } finally {
            await container.remove({ force: true });
        }
    });

    for (const [variable, value] of [
        ['CLAUDE_CODE_CLI_VERSION', 'latest; touch /tmp/pwned'],
        ['CODEX_CLI_VERSION', '$(touch /tmp/pwned)'],
        ['OPENCODE_CLI_VERSION', '1.0.0 --prefix=/tmp/pwned'],
        ['CLAUDE_CODE_CLI_VERSION', '../../tmp/pwned'],
    ]) {
        it(`refuses ${variable}=${value}, naming the variable, and runs nothing`, async () => {
            const container = await startWithOverride({ [variable]: value }, ['touch', '/tmp/ran']);
            try {
                assert.equal(await waitForExit(container), 64);
                const logs = await containerLogs(container);
                assert.match(logs, new RegExp(`${variable} must be a version like 1\\.2\\.3`));
                assert.doesNotMatch(logs, /installing/);
                await assert.rejects(container.getArchive({ path: '/tmp/pwned' }), /404|no such/i);
                await assert.rejects(container.getArchive({ path: '/tmp/ran' }), /404|no such/i);
            } finally {
                await container.remove({ force: true });
            }
        });
    }
});
