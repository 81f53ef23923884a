/**
 * A private OpenSSH server on 127.0.0.1 and an ssh-agent holding the one key it accepts, so
 * a test can reach this machine's engine through an ssh:// Docker host the way a user
 * reaches a remote one. Keys, configuration and logs live in a temporary directory; the
 * system's own sshd and ~/.ssh are never touched. Needs /usr/sbin/sshd
 * (test/setup/sshd.sh installs it).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import {
    copyFileSync,
    existsSync,
    mkdirSync,
    mkdtempSync,
    readFileSync,
    rmSync,
    writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

const SSHD = '/usr/sbin/sshd';

export interface SshServer {
    /** ssh://user@127.0.0.1:port, for the docker.host setting. */
    readonly url: string;
    /** The agent's socket, for SSH_AUTH_SOCK. */
    readonly agentSocket: string;
    /** This server's line for known_hosts: `[127.0.0.1]:port ssh-ed25519 AAAA...`. */
    readonly knownHostsLine: string;
    /** The same for its second host key, an ECDSA one. */
    readonly ecdsaKnownHostsLine: string;
    /** What sshd logged so far. */
    log(): string;
    /** How many sessions (command executions) sshd started so far. */
    sessions(): number;
    stop(): Promise<void>;
}

/** Starts sshd on a free loopback port and an agent with the client key. */
export async function startSshServer(): Promise<SshServer> {
    if (!existsSync(SSHD)) {
        throw new Error(`${SSHD} is missing: run test/setup/sshd.sh (as root) first`);
    }
    const dir = mkdtempSync(join(tmpdir(), 'agent-containers-sshd-'));
    const user = userInfo().username;
    const keygen = (file: string, type = 'ed25519') =>
        execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-C', '', '-f', file]);
    keygen(join(dir, 'host_key'));
    keygen(join(dir, 'host_key_ecdsa'), 'ecdsa');
    keygen(join(dir, 'client_key'));
    copyFileSync(join(dir, 'client_key.pub'), join(dir, 'authorized_keys'));
    // sshd running as root checks for its privilege separation directory at start.
    if (process.getuid?.() === 0) mkdirSync('/run/sshd', { recursive: true });

    const started: ChildProcess[] = [];
    const stopAll = async () => {
        for (const child of started) await stopChild(child);
        rmSync(dir, { recursive: true, force: true });
    };
    try {
        const { port, output } = await startSshd(dir, user, started);
        const agentSocket = join(dir, 'agent.sock');
        await startAgent(agentSocket, started);
        execFileSync('ssh-add', ['-q', join(dir, 'client_key')], {
            env: { ...process.env, SSH_AUTH_SOCK: agentSocket },
            stdio: 'pipe',
        });
        const line = (key: string) =>
            `[127.0.0.1]:${port} ${readFileSync(join(dir, `${key}.pub`), 'utf8').trim()}`;
        return {
            url: `ssh://${user}@127.0.0.1:${port}`,
            agentSocket,
            knownHostsLine: line('host_key'),
            ecdsaKnownHostsLine: line('host_key_ecdsa'),
            log: () => output.join(''),
            sessions: () => output.join('').match(/Starting session: command/g)?.length ?? 0,
            stop: stopAll,
        };
    } catch (error) {
        await stopAll();
        throw error;
    }
}

/** sshd in the foreground with only our keys; a port taken meanwhile gets another try. */
async function startSshd(dir: string, user: string, started: ChildProcess[]) {
    for (let attempt = 1; ; attempt++) {
        const port = await freePort();
        const config = join(dir, 'sshd_config');
        writeFileSync(
            config,
            [
                'ListenAddress 127.0.0.1',
                `Port ${port}`,
                `HostKey ${join(dir, 'host_key')}`,
                `HostKey ${join(dir, 'host_key_ecdsa')}`,
                `PidFile ${join(dir, 'sshd.pid')}`,
                `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
                `AllowUsers ${user}`,
                'PermitRootLogin prohibit-password',
                'PasswordAuthentication no',
                'KbdInteractiveAuthentication no',
                'UsePAM no',
                // The keys sit under the world-writable temporary directory.
                'StrictModes no',
                'LogLevel VERBOSE',
                '',
            ].join('\n'),
        );
        const sshd = spawn(SSHD, ['-D', '-e', '-f', config], {
            stdio: ['ignore', 'ignore', 'pipe'],
        });
        started.push(sshd);
        const output: string[] = [];
        sshd.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
        const listening = await waitFor(sshd, () => /Server listening on/.test(output.join('')));
        if (listening) return { port, output };
        started.pop();
        if (attempt === 3) throw new Error(`sshd did not start:\n${output.join('')}`);
    }
}

async function startAgent(socket: string, started: ChildProcess[]): Promise<void> {
    const agent = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
    started.push(agent);
    if (!(await waitFor(agent, () => existsSync(socket)))) {
        throw new Error('ssh-agent did not start');
    }
}

/** Waits up to 10 s for `ready`; false when the process ended first. */
async function waitFor(child: ChildProcess, ready: () => boolean): Promise<boolean> {
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
        if (ready()) return true;
        if (child.exitCode !== null || child.signalCode !== null) return false;
        await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`${child.spawnfile} not ready within 10 s`);
}

async function stopChild(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
}

function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = createServer();
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => {
            const address = server.address();
            server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
        });
    });
}
