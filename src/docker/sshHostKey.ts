/**
 * Checks the key of an ssh:// Docker host against the user's OpenSSH known_hosts, as the
 * docker CLI's ssh does: ssh2 on its own accepts any key, so a man in the middle could pose
 * as the Docker host. Plain, wildcard, negated, [host]:port and hashed (|1|) entries count;
 * @revoked keys are refused. @cert-authority lines are skipped because host certificates
 * are not checked here: such a host needs a plain entry for its key.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export type HostKeyVerdict = 'known' | 'unknown' | 'changed' | 'revoked';

export interface SshTarget {
    readonly host: string;
    readonly port: number;
    readonly user: string;
}

/** ssh2's host key algorithms, by the key type in known_hosts that each one proves. */
const ALGORITHMS_BY_TYPE: Record<string, readonly string[]> = {
    'ssh-ed25519': ['ssh-ed25519'],
    'ecdsa-sha2-nistp256': ['ecdsa-sha2-nistp256'],
    'ecdsa-sha2-nistp384': ['ecdsa-sha2-nistp384'],
    'ecdsa-sha2-nistp521': ['ecdsa-sha2-nistp521'],
    'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
};

/** Why the last key of each host was refused, by known_hosts name, for the error message. */
const refusals = new Map<string, string>();

/** The files OpenSSH reads by default: the user's, then the system's. */
export function knownHostsFiles(): string[] {
    const system =
        process.platform === 'win32'
            ? join(process.env.ProgramData ?? 'C:\\ProgramData', 'ssh')
            : '/etc/ssh';
    return [
        join(homedir(), '.ssh', 'known_hosts'),
        join(homedir(), '.ssh', 'known_hosts2'),
        join(system, 'ssh_known_hosts'),
        join(system, 'ssh_known_hosts2'),
    ];
}

/** How known_hosts names a host: `host` on port 22, `[host]:port` elsewhere. */
export function knownHostsName(host: string, port: number): string {
    const name = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
    return port === 22 ? name : `[${name}]:${port}`;
}

/**
 * Looks `key` (the raw blob ssh2 hands to hostVerifier) up for `name` in known_hosts text.
 * As in OpenSSH, a revoked key loses over everything and a matching key wins over a
 * different key of the same type.
 */
export function checkHostKey(knownHosts: string, name: string, key: Buffer): HostKeyVerdict {
    let verdict: HostKeyVerdict = 'unknown';
    for (const entry of entriesFor(knownHosts, name)) {
        const same = entry.key.equals(key);
        if (entry.marker === '@revoked' && same) return 'revoked';
        if (entry.marker !== undefined) continue;
        if (same) verdict = 'known';
        else if (verdict === 'unknown' && entry.type === keyType(key)) verdict = 'changed';
    }
    return verdict;
}

/**
 * ssh2's `algorithms.serverHostKey` option asking first for the key types known_hosts holds
 * for `name`, as OpenSSH does: else a host listed with only, say, its ECDSA key would be
 * refused whenever it also offers Ed25519, ssh2's first choice.
 */
export function hostKeyAlgorithms(knownHosts: string, name: string) {
    const types = new Set<string>();
    for (const entry of entriesFor(knownHosts, name)) {
        if (entry.marker === undefined) types.add(entry.type);
    }
    const first = [...types].flatMap((type) => ALGORITHMS_BY_TYPE[type] ?? []);
    // Patterns rather than names to prepend: ssh2 throws for a name it lacks, and builds
    // without Ed25519 exist.
    return { remove: first, prepend: first.map((algorithm) => new RegExp(`^${algorithm}$`)) };
}

/** The ssh2 options that check the host key of `target` against known_hosts. */
export function hostKeyOptions(target: SshTarget, files: readonly string[] = knownHostsFiles()) {
    const name = knownHostsName(target.host, target.port);
    return {
        hostVerifier: hostKeyVerifier(target, files),
        algorithms: { serverHostKey: hostKeyAlgorithms(readAll(files), name) },
    };
}

/**
 * A hostVerifier for ssh2 that reads the known_hosts files at each connection, so a key
 * the user adds after a refusal counts at the next try.
 */
export function hostKeyVerifier(
    target: SshTarget,
    files: readonly string[] = knownHostsFiles(),
): (key: Buffer) => boolean {
    const name = knownHostsName(target.host, target.port);
    return (key) => {
        const verdict = checkHostKey(readAll(files), name, key);
        if (verdict === 'known') {
            refusals.delete(name);
            return true;
        }
        refusals.set(name, refusalMessage(verdict, target));
        return false;
    };
}

/** Why the key of host:port was refused last, if it was. */
export function hostKeyRefusal(host: string, port: number): string | undefined {
    return refusals.get(knownHostsName(host, port));
}

function refusalMessage(verdict: HostKeyVerdict, target: SshTarget): string {
    const name = knownHostsName(target.host, target.port);
    const where = target.port === 22 ? name : name.replace(/^\[([^:]*)\]/, '$1');
    const host = target.host.replace(/^\[(.*)\]$/, '$1');
    const ssh = `ssh ${target.port === 22 ? '' : `-p ${target.port} `}${target.user}@${host}`;
    switch (verdict) {
        case 'revoked':
            return (
                `The SSH host key of ${where} is marked @revoked in known_hosts, so the ` +
                `connection is refused; ask the host's administrator for its current key.`
            );
        case 'changed':
            return (
                `The SSH host key of ${where} differs from ~/.ssh/known_hosts: someone may be ` +
                `intercepting the connection. If the key changed on purpose, run ` +
                `\`ssh-keygen -R "${name}"\`, then \`${ssh}\` to add the new one.`
            );
        default:
            return (
                `The SSH host key of ${where} is not in ~/.ssh/known_hosts; connect once with ` +
                `\`${ssh}\` to check and add it, then try again.`
            );
    }
}

interface Entry {
    readonly marker?: string;
    readonly type: string;
    readonly key: Buffer;
}

/** The well-formed lines of known_hosts that name `name`. */
function* entriesFor(knownHosts: string, name: string): Generator<Entry> {
    for (const line of knownHosts.split(/\r?\n/)) {
        const fields = line.trim().split(/\s+/);
        const marker = fields[0].startsWith('@') ? fields.shift() : undefined;
        const [hosts, type, base64] = fields;
        if (base64 && !hosts.startsWith('#') && hostsMatch(hosts, name)) {
            yield { marker, type, key: Buffer.from(base64, 'base64') };
        }
    }
}

function hostsMatch(hosts: string, name: string): boolean {
    if (hosts.startsWith('|1|')) {
        const [, , salt, hash] = hosts.split('|');
        const digest = createHmac('sha1', Buffer.from(salt ?? '', 'base64'))
            .update(name)
            .digest();
        return digest.equals(Buffer.from(hash ?? '', 'base64'));
    }
    let matched = false;
    for (const pattern of hosts.toLowerCase().split(',')) {
        const negated = pattern.startsWith('!');
        if (!wildcard(negated ? pattern.slice(1) : pattern).test(name)) continue;
        // A negated pattern that matches rules the line out whatever else matches.
        if (negated) return false;
        matched = true;
    }
    return matched;
}

function wildcard(pattern: string): RegExp {
    const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    return new RegExp(`^${source.replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
}

/** The type inside an SSH public key blob (a length-prefixed string first). */
function keyType(key: Buffer): string {
    return key.length >= 4 ? key.subarray(4, 4 + key.readUInt32BE(0)).toString('latin1') : '';
}

function readAll(files: readonly string[]): string {
    return files.map(readIfPresent).join('\n');
}

function readIfPresent(file: string): string {
    try {
        return readFileSync(file, 'utf8');
    } catch {
        // A missing or unreadable file holds no keys, as for ssh.
        return '';
    }
}
