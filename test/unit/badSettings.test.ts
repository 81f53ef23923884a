/**
 * Every setting given bad values, generated from its zod schema (property-based) and
 * written by hand, goes through the real command path (error wrapper, workspace cores,
 * core): the user sees one line naming `agentContainers.<key>` and the rule, with an
 * "Open Settings" button for that key, and the engine is never contacted. The engine here
 * is a socket of our own that records every request, named by the setting and DOCKER_HOST.
 */
import { addFolder, fake } from './support/fakeVscode';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import * as vscode from 'vscode';
import { registerCommands } from '../../src/commands/registerCommands';
import { parseSettings, SETTING_SCHEMAS, SettingsError } from '../../src/config/settings';
import { WorkspaceCores } from '../../src/editor/workspaceCores';
import {
    brokenRule,
    HANDWRITTEN,
    MISSING_FILES,
    withShellCharacter,
    wrongType,
    type BadInput,
} from '../support/badSettingInputs';
import { FakeEngine } from '../support/faultEngine';

const KEYS = [...SETTING_SCHEMAS.keys()];
const RUNS = 20;

let engine: FakeEngine;
let workspace: string;
const tally = { tried: 0, rejected: 0, accepted: [] as string[] };

/** Opens Claude with `value` for `key` through the registered command; returns the toast. */
async function openWith(key: string, value: unknown) {
    fake.reset();
    addFolder(workspace);
    if (key !== 'docker.host') fake.configuration.set('docker.host', { value: engine.host });
    fake.configuration.set('image.baseImage', { value: 'agent-containers-test/node:22' });
    fake.configuration.set(key, { value });
    const cores = new WorkspaceCores();
    const output = vscode.window.createOutputChannel('Agent Containers', { log: true });
    registerCommands({ cores, output });
    try {
        await fake.commands.get('agentContainers.open.claude')!();
    } finally {
        cores.dispose();
    }
    return fake.errors[0];
}

/** Checks one bad input end to end and counts it. */
async function refused(input: BadInput): Promise<void> {
    tally.tried++;
    const shown = JSON.stringify(input.value)?.slice(0, 80);
    const toast = await openWith(input.key, input.value);
    if (!toast) {
        tally.accepted.push(`${input.key}=${shown}`);
        assert.fail(`${input.kind}: agentContainers.${input.key} = ${shown} was accepted`);
    }
    // Pulling without an image fails on the image it lacks.
    const name = `agentContainers.${input.kind === 'combination' ? 'image.name' : input.key}`;
    assert.ok(toast.message.includes(name), `${shown}: "${toast.message}" names no setting`);
    assert.match(toast.message, /: \S.{3,}/, `${shown}: no rule in "${toast.message}"`);
    assert.ok(!toast.message.includes('\n') && toast.message.length <= 300, toast.message);
    assert.doesNotMatch(toast.message, /\bat .+:\d+:\d+/, 'a stack trace in the toast');
    assert.deepEqual(toast.items, ['Open Settings', 'Show Logs']);
    assert.equal(engine.requests.length, 0, `${shown}: the engine was contacted`);
    tally.rejected++;
}

describe('bad settings', () => {
    before(async () => {
        engine = await FakeEngine.listen();
        // A setting left empty falls back to DOCKER_HOST: that is ours too.
        process.env.DOCKER_HOST = engine.host;
        workspace = mkdtempSync(join(tmpdir(), 'agent-bad-settings-'));
    });

    after(async () => {
        await engine.close();
        rmSync(workspace, { recursive: true, force: true });
        console.log(
            `bad settings: ${tally.tried} bad inputs tried, ${tally.rejected} rejected with a ` +
                `clear message naming the setting, ${engine.requests.length} engine requests`,
        );
    });

    it('the generators cover every setting', () => {
        for (const key of KEYS) assert.ok(wrongType(key), key);
        assert.ok(KEYS.length >= 13, KEYS.join());
    });

    for (const key of KEYS) {
        it(`${key}: values of a wrong JSON type`, async () => {
            await fc.assert(
                fc.asyncProperty(wrongType(key), (value) => refused({ key, value, kind: 'type' })),
                { numRuns: RUNS },
            );
        });

        const broken = brokenRule(key);
        if (broken) {
            it(`${key}: values breaking a bound, enum or pattern of its schema`, async () => {
                await fc.assert(
                    fc.asyncProperty(broken, (value) => refused({ key, value, kind: 'rule' })),
                    { numRuns: RUNS },
                );
            });
        }

        const tainted = withShellCharacter(key);
        if (tainted) {
            it(`${key}: values with a shell character`, async () => {
                await fc.assert(
                    fc.asyncProperty(tainted, (value) => refused({ key, value, kind: 'shell' })),
                    { numRuns: RUNS },
                );
            });
        }
    }

    it('hand-written: empty, huge, relative paths, image references, versions', async () => {
        for (const input of HANDWRITTEN) await refused(input);
    });

    it('CA files that are missing or not certificates, before any engine request', async () => {
        for (const input of MISSING_FILES) await refused(input);
    });

    it('pulling with no image named names image.name', async () => {
        await refused({ key: 'image.source', value: 'pull', kind: 'combination' });
    });

    it('the defaults and values of the documented shapes are accepted', () => {
        const settings = parseSettings({
            'image.baseImage': 'registry.example.com:5000/team/node:22-slim',
            'image.caCertificates': ['/usr/local/share/ca-certificates/proxy.crt'],
            'container.uid': 1001,
            'container.memoryLimit': '4g',
            'container.cpuLimit': 1.5,
            'container.workspaceMountPath': '/workspaces/my-project',
            'docker.host': 'tcp://docker.example.com:2376',
            'tools.claude.version': 'latest',
        });
        assert.equal(settings.container.memoryLimit, '4g');
        assert.throws(() => parseSettings({ 'container.cpuLimit': -1 }), SettingsError);
    });
});
