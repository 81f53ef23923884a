/**
 * The credential parts without an editor or Docker: the secret-storage store, the checks
 * on typed values, what a session's environment gets, redaction, and the status texts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
    injectCredential,
    redact,
    removeInjectedCredential,
    secretValues,
    sessionEnvironment,
} from '../../src/credentials/credentialInjection';
import { CredentialStore, type SecretStore } from '../../src/credentials/credentialStore';
import { credentialValues, findCredentialKind } from '../../src/credentials/credentialValues';
import { describeSignInStatus } from '../../src/credentials/signInStatus';
import { setLogger } from '../../src/log';
import type { ExecOptions } from '../../src/core';
import { findTool } from '../../src/tools/registry';

const TOKEN = 'ab"c\\d-é-✓\'$(x)';

/** vscode.SecretStorage in a map. */
class MapSecrets implements SecretStore {
    readonly map = new Map<string, string>();
    async get(key: string) {
        return this.map.get(key);
    }
    async store(key: string, value: string) {
        this.map.set(key, value);
    }
    async delete(key: string) {
        this.map.delete(key);
    }
}

function captureLog(): string[] {
    const lines: string[] = [];
    const write = (message: string | Error) => lines.push(String(message));
    setLogger({ trace: write, debug: write, info: write, warn: write, error: write });
    return lines;
}

describe('CredentialStore', () => {
    it('keeps one credential per tool with a new generation each time, logging no value', async () => {
        const log = captureLog();
        const secrets = new MapSecrets();
        const store = new CredentialStore(secrets);
        const first = await store.set('claude', 'apiKey', { ANTHROPIC_API_KEY: TOKEN });
        const second = await store.set('claude', 'apiKey', { ANTHROPIC_API_KEY: TOKEN });
        assert.notEqual(first.generation, second.generation);
        assert.deepEqual(await store.get('claude'), second);
        assert.equal(await store.get('codex'), undefined);
        assert.deepEqual([...secrets.map.keys()], ['agentContainers.credential.claude']);

        assert.deepEqual(await store.delete('claude'), second);
        assert.equal(await store.get('claude'), undefined);
        assert.ok(log.length > 0);
        assert.ok(!log.some((line) => line.includes(TOKEN)), log.join('\n'));
    });

    it('ignores an unreadable entry without printing it', async () => {
        const log = captureLog();
        const secrets = new MapSecrets();
        secrets.map.set('agentContainers.credential.codex', `not json ${TOKEN}`);
        assert.equal(await new CredentialStore(secrets).get('codex'), undefined);
        assert.ok(log.some((line) => line.includes('unreadable')));
        assert.ok(!log.some((line) => line.includes(TOKEN)));
    });
});

describe('credential values', () => {
    const claude = findTool('claude');
    const opencode = findTool('opencode');

    it('takes exactly the fields of the kind, plus its fixed values', () => {
        const gateway = findCredentialKind(claude, 'gateway');
        assert.deepEqual(
            credentialValues(gateway, {
                ANTHROPIC_BASE_URL: 'https://gw.example',
                ANTHROPIC_AUTH_TOKEN: TOKEN,
            }),
            { ANTHROPIC_BASE_URL: 'https://gw.example', ANTHROPIC_AUTH_TOKEN: TOKEN },
        );
        assert.deepEqual(
            credentialValues(findCredentialKind(opencode, 'openrouter'), { key: TOKEN }),
            { provider: 'openrouter', key: TOKEN },
        );
        assert.throws(() => credentialValues(gateway, { ANTHROPIC_AUTH_TOKEN: TOKEN }), /URL/);
        assert.throws(
            () => credentialValues(findCredentialKind(claude, 'apiKey'), { OTHER: 'x' }),
            /missing/,
        );
    });

    it('refuses empty, multi-line, padded and badly shaped values without echoing them', () => {
        const apiKey = findCredentialKind(claude, 'apiKey');
        for (const bad of ['', '   ', 'sk-1\nsk-2', ' sk-1', 'sk-1 ']) {
            assert.throws(
                () => credentialValues(apiKey, { ANTHROPIC_API_KEY: bad }),
                (error: Error) => !error.message.includes('sk-') || bad === '',
            );
        }
        const other = findCredentialKind(opencode, 'other');
        assert.throws(() => credentialValues(other, { provider: 'Bad Id', key: 'k' }), /lowercase/);
    });
});

describe('handing over', () => {
    const stored = { kind: 'apiKey', values: { ANTHROPIC_API_KEY: TOKEN }, generation: 'g-1' };

    it('passes values only on stdin, as JSON, to the image helper', async () => {
        const calls: { argv: readonly string[]; options?: ExecOptions }[] = [];
        const exec = async (argv: readonly string[], options?: ExecOptions) => {
            calls.push({ argv, options });
            return { exitCode: 0, stdout: 'agent-config: claude credential written\n', stderr: '' };
        };
        const said = await injectCredential(exec, findTool('claude'), stored);
        assert.equal(said, 'agent-config: claude credential written');
        await removeInjectedCredential(exec, findTool('claude'), stored);
        await removeInjectedCredential(exec, findTool('claude'), undefined);

        assert.deepEqual(
            calls.map((call) => call.argv),
            [
                ['agent-config', 'credential-set', 'claude'],
                ['agent-config', 'credential-clear', 'claude'],
                ['agent-config', 'credential-clear', 'claude'],
            ],
        );
        for (const call of calls) {
            assert.ok(!call.argv.join(' ').includes(TOKEN));
            assert.equal(call.options?.env, undefined);
        }
        assert.deepEqual(JSON.parse(calls[0].options!.input!), {
            generation: 'g-1',
            kind: 'apiKey',
            values: { ANTHROPIC_API_KEY: TOKEN },
        });
        assert.deepEqual(JSON.parse(calls[1].options!.input!), { values: stored.values });
        assert.deepEqual(JSON.parse(calls[2].options!.input!), {});
    });

    it('reports a failure in one line with secrets replaced, and hints at old images', async () => {
        const failing = (stderr: string) => async () => ({ exitCode: 1, stdout: '', stderr });
        await assert.rejects(
            injectCredential(failing(`agent-config: bad ${TOKEN}\n`), findTool('claude'), stored),
            (error: Error) =>
                error.message === 'Passing the Claude credential failed: agent-config: bad ***.',
        );
        await assert.rejects(
            injectCredential(
                failing('agent-config: usage: agent-config a|b\n'),
                findTool('claude'),
                stored,
            ),
            /Rebuild the image/,
        );
    });

    it('gives the session the values only for tools that read their environment', () => {
        assert.deepEqual(sessionEnvironment(findTool('claude'), stored), stored.values);
        const codexKey = { kind: 'apiKey', values: { OPENAI_API_KEY: TOKEN }, generation: 'g' };
        // OPENAI_API_KEY next to a ChatGPT login makes Codex loop on 401s.
        assert.deepEqual(sessionEnvironment(findTool('codex'), codexKey), {});
        assert.deepEqual(sessionEnvironment(findTool('claude'), undefined), {});
    });

    it('redacts secret fields but not base URLs or provider ids', () => {
        const gateway = {
            kind: 'gateway',
            values: { ANTHROPIC_BASE_URL: 'https://gw.example', ANTHROPIC_AUTH_TOKEN: TOKEN },
            generation: 'g',
        };
        assert.deepEqual(secretValues(findTool('claude'), gateway), [TOKEN]);
        const openrouter = {
            kind: 'openrouter',
            values: { provider: 'openrouter', key: TOKEN },
            generation: 'g',
        };
        assert.deepEqual(secretValues(findTool('opencode'), openrouter), [TOKEN]);
        assert.equal(redact(`x ${TOKEN} y ${TOKEN}`, [TOKEN]), 'x *** y ***');
    });
});

describe('sign-in status', () => {
    const claude = findTool('claude');
    const stored = { kind: 'apiKey', values: { ANTHROPIC_API_KEY: TOKEN }, generation: 'g-2' };
    const volume = (generation: string | null, ownLogin: boolean) => ({
        injected: generation ? { generation, kind: 'apiKey', keys: ['ANTHROPIC_API_KEY'] } : null,
        ownLogin,
        ownLoginDetail: ownLogin ? '.credentials.json' : '',
        notes: [],
    });

    it('tells stored, injected and own login apart', () => {
        assert.equal(
            describeSignInStatus(claude, stored, volume('g-2', true)).summary,
            'Anthropic API key stored and injected · own login in the volume',
        );
        assert.equal(
            describeSignInStatus(claude, stored, volume(null, false)).summary,
            'Anthropic API key stored, injected when Claude next opens',
        );
        const stale = describeSignInStatus(claude, undefined, volume('g-1', false));
        assert.equal(stale.summary, 'no stored credential');
        assert.ok(stale.details.some((line) => line.includes('An earlier credential')));
        const unknown = describeSignInStatus(claude, stored, undefined);
        assert.ok(unknown.details.some((line) => line.includes('not running')));
        for (const status of [stale, unknown]) {
            assert.ok(![status.summary, ...status.details].join().includes(TOKEN));
        }
    });
});
