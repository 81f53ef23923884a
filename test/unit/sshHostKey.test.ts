import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { classifyEngineError } from '../../src/docker/connection';
import {
    checkHostKey,
    hostKeyAlgorithms,
    hostKeyRefusal,
    hostKeyVerifier,
    knownHostsName,
} from '../../src/docker/sshHostKey';

// Public keys made with ssh-keygen (OpenSSH 9.2): two ed25519 keys and an ECDSA one.
const A = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIO8RSq4ttMtm1MbCEbPBu3g7zjUVU95DhHsptHK7l0Ok';
const B = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILM100sQcx4ive7tvjOexoIDFgIswPG0BA3Ss0a9cA8z';
const C =
    'ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBEvxGdnncsbIlddk' +
    'vMsxNKUGJmbsNkzkVgmjYg7K/dh8E/0WOK+30seH9eJYpfqGs9vyVcG0CXn7n2OFamUduJA=';
// `ssh-keygen -H` of "git.example.org A" and "[10.1.2.3]:2222 A".
const HASHED = [
    `|1|86zBf7Y01nSi6gCiI8dld0phGWA=|pilco4m8qNB/cT1aolpLsJEK0Ig= ${A}`,
    `|1|UEbkd5OkJgqRyt/hjOVHh8k5bWU=|w7GpgmZPNVetLTkFlwmyhOGexPg= ${A}`,
].join('\n');

/** The raw blob ssh2 hands to hostVerifier for a public key line. */
const blob = (line: string) => Buffer.from(line.split(' ')[1], 'base64');
const check = (text: string, host: string, port: number, key: string) =>
    checkHostKey(text, knownHostsName(host, port), blob(key));

describe('known_hosts matching', () => {
    it('knows a plain entry, also in a comma-separated list, in any case', () => {
        assert.equal(check(`git.example.org ${A}`, 'git.example.org', 22, A), 'known');
        assert.equal(
            check(`a.org,Git.Example.ORG,1.2.3.4 ${A}`, 'git.example.org', 22, A),
            'known',
        );
        assert.equal(check(`git.example.org ${A}`, 'other.org', 22, A), 'unknown');
        assert.equal(check(`git.example.org ${A} a comment`, 'GIT.example.org', 22, A), 'known');
    });

    it('names a port other than 22 as [host]:port, and only that port', () => {
        assert.equal(check(`[10.1.2.3]:2222 ${A}`, '10.1.2.3', 2222, A), 'known');
        assert.equal(check(`10.1.2.3 ${A}`, '10.1.2.3', 2222, A), 'unknown');
        assert.equal(check(`[10.1.2.3]:2222 ${A}`, '10.1.2.3', 22, A), 'unknown');
        assert.equal(check(`[10.1.2.3]:2223 ${A}`, '10.1.2.3', 2222, A), 'unknown');
        assert.equal(knownHostsName('[::1]', 22), '::1');
        assert.equal(knownHostsName('[::1]', 2222), '[::1]:2222');
    });

    it('knows hashed entries that ssh-keygen -H wrote', () => {
        assert.equal(check(HASHED, 'git.example.org', 22, A), 'known');
        assert.equal(check(HASHED, '10.1.2.3', 2222, A), 'known');
        assert.equal(check(HASHED, '10.1.2.3', 22, A), 'unknown');
        assert.equal(check(HASHED, 'git.example.com', 22, A), 'unknown');
        assert.equal(check(HASHED, 'git.example.org', 22, B), 'changed');
    });

    it('matches wildcards, and a matching negation rules a line out', () => {
        const text = `*.example.org,!secret.example.org,h?st ${A}`;
        assert.equal(check(text, 'git.example.org', 22, A), 'known');
        assert.equal(check(text, 'host', 22, A), 'known');
        assert.equal(check(text, 'secret.example.org', 22, A), 'unknown');
        assert.equal(check(text, 'example.org', 22, A), 'unknown');
        assert.equal(check(`[*.example.org]:2222 ${A}`, 'git.example.org', 2222, A), 'known');
        // Dots are literal, not "any character".
        assert.equal(check(`git.example.org ${A}`, 'gitXexample.org', 22, A), 'unknown');
    });

    it('calls a different key of the same type changed, another type unknown', () => {
        assert.equal(check(`git.example.org ${A}`, 'git.example.org', 22, B), 'changed');
        assert.equal(check(`git.example.org ${C}`, 'git.example.org', 22, A), 'unknown');
        // A host may have several keys of one type listed; one matching is enough.
        const both = `git.example.org ${B}\ngit.example.org ${A}`;
        assert.equal(check(both, 'git.example.org', 22, A), 'known');
    });

    it('refuses a revoked key even where it is also listed as known', () => {
        const text = `git.example.org ${A}\n@revoked * ${A}`;
        assert.equal(check(text, 'git.example.org', 22, A), 'revoked');
        assert.equal(
            check(`@revoked * ${B}\ngit.example.org ${A}`, 'git.example.org', 22, A),
            'known',
        );
    });

    it('skips @cert-authority lines, comments and broken lines', () => {
        const text = [
            `@cert-authority *.example.org ${A}`,
            `# git.example.org ${A}`,
            '',
            'git.example.org ssh-ed25519',
            '   ',
        ].join('\r\n');
        assert.equal(check(text, 'git.example.org', 22, A), 'unknown');
    });
});

describe('the host key algorithms asked for', () => {
    it('puts the types known for the host first, RSA with its SHA-2 signatures', () => {
        const text = [
            `git.example.org ${C}`,
            `git.example.org ssh-rsa AAAAB3NzaC1yc2E=`,
            `other.org ${A}`,
            `@revoked git.example.org ${A}`,
        ].join('\n');
        const { remove, prepend } = hostKeyAlgorithms(text, 'git.example.org');
        const first = ['ecdsa-sha2-nistp256', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];
        assert.deepEqual(remove, first);
        assert.deepEqual(
            prepend.map((pattern) => pattern.test(first[prepend.indexOf(pattern)])),
            [true, true, true, true],
        );
        assert.equal(prepend[0].test('ecdsa-sha2-nistp2567'), false);
        assert.deepEqual(hostKeyAlgorithms(text, 'unknown.org'), { remove: [], prepend: [] });
    });
});

describe('the ssh2 host verifier', () => {
    const dir = mkdtempSync(join(tmpdir(), 'known-hosts-'));
    const user = join(dir, 'known_hosts');
    const system = join(dir, 'ssh_known_hosts');
    const target = { host: '10.9.8.7', port: 2222, user: 'ann' };

    it('refuses an unknown key and says in one line what to do', () => {
        const verify = hostKeyVerifier(target, [user, join(dir, 'missing')]);
        assert.equal(verify(blob(A)), false);

        const refusal = hostKeyRefusal('10.9.8.7', 2222);
        assert.equal(
            refusal,
            'The SSH host key of 10.9.8.7:2222 is not in ~/.ssh/known_hosts; connect once ' +
                'with `ssh -p 2222 ann@10.9.8.7` to check and add it, then try again.',
        );
        const url = 'ssh://ann@10.9.8.7:2222';
        const error = classifyEngineError(new Error('Host denied (verification failed)'), {
            url,
            origin: 'setting',
            tlsVerify: false,
        });
        assert.equal(error.kind, 'hostKeyRefused');
        assert.equal(error.message, refusal);
    });

    it('reads the files at each connection: a key added later lets it in', () => {
        const verify = hostKeyVerifier(target, [user, system]);
        writeFileSync(user, `[10.9.8.7]:2222 ${B}\n`);
        assert.equal(verify(blob(A)), false);
        assert.match(
            hostKeyRefusal('10.9.8.7', 2222)!,
            /differs from .*ssh-keygen -R "\[10.9.8.7\]:2222"/,
        );

        writeFileSync(system, `[10.9.8.7]:2222 ${A}\n`);
        assert.equal(verify(blob(A)), true);
        assert.equal(hostKeyRefusal('10.9.8.7', 2222), undefined);

        writeFileSync(user, `@revoked [10.9.8.7]:* ${A}\n`);
        assert.equal(verify(blob(A)), false);
        assert.match(hostKeyRefusal('10.9.8.7', 2222)!, /10\.9\.8\.7:2222 is marked @revoked/);
    });

    it('names an IPv6 host the way ssh and ssh-keygen take it', () => {
        const verify = hostKeyVerifier({ host: '[fd00::7]', port: 2200, user: 'ann' }, [user]);
        assert.equal(verify(blob(B)), false);
        assert.match(hostKeyRefusal('[fd00::7]', 2200)!, /^The SSH host key of \[fd00::7\]:2200 /);
        assert.match(hostKeyRefusal('[fd00::7]', 2200)!, /`ssh -p 2200 ann@fd00::7`/);
    });

    it('leaves other Docker errors alone', () => {
        const host = {
            url: 'ssh://ann@10.9.8.7:2222',
            origin: 'setting' as const,
            tlsVerify: false,
        };
        assert.equal(
            classifyEngineError(new Error('All configured authentication methods failed'), host)
                .kind,
            'other',
        );
        const tcp = { url: 'tcp://10.9.8.7:2222', origin: 'setting' as const, tlsVerify: false };
        assert.equal(
            classifyEngineError(new Error('Host denied (verification failed)'), tcp).kind,
            'other',
        );
    });
});
