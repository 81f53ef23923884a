/**
 * code-server (VS Code 1.100 in a browser) run as the test user, with its own user data and
 * extensions directories so nothing of a real editor profile is read or changed.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, writeFileSync, chownSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { TestUser } from './testUser';

export const CODE_SERVER_BIN = join(
    process.env.AGENT_TEST_CODE_SERVER_DIR ?? '/opt/agent-containers-test/code-server',
    'bin/code-server',
);

export interface EditorProfile {
    readonly home: string;
    readonly userDataDir: string;
    readonly extensionsDir: string;
}

export interface RunningCodeServer {
    readonly url: string;
    readonly logFile: string;
    stop(): Promise<void>;
}

/** Writes the user settings (settings.json) of the profile, owned by the user. */
export function writeUserSettings(
    user: TestUser,
    profile: EditorProfile,
    settings: Record<string, unknown>,
): void {
    const file = join(profile.userDataDir, 'User', 'settings.json');
    execFileSync('mkdir', ['-p', join(profile.userDataDir, 'User')]);
    writeFileSync(file, JSON.stringify(settings, null, 4));
    execFileSync('chown', ['-R', `${user.uid}:${user.gid}`, profile.userDataDir]);
}

/** Installs a packaged extension into the profile, as the user. */
export function installExtension(user: TestUser, profile: EditorProfile, vsix: string): void {
    chownSync(vsix, user.uid, user.gid);
    execFileSync(
        'setpriv',
        [
            ...asUser(user),
            CODE_SERVER_BIN,
            ...profileArgs(profile),
            '--install-extension',
            vsix,
            '--force',
        ],
        { env: userEnv(user, profile, {}), stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 },
    );
}

/** Starts code-server on a free local port and waits until it answers. */
export async function startCodeServer(
    user: TestUser,
    profile: EditorProfile,
    logFile: string,
    env: Record<string, string>,
): Promise<RunningCodeServer> {
    if (!existsSync(CODE_SERVER_BIN)) {
        throw new Error(`${CODE_SERVER_BIN} is missing: run test/setup/code-server.sh first`);
    }
    const port = await freePort();
    const args = [
        ...asUser(user),
        CODE_SERVER_BIN,
        '--auth',
        'none',
        '--bind-addr',
        `127.0.0.1:${port}`,
        '--disable-telemetry',
        '--disable-update-check',
        '--disable-workspace-trust',
        ...profileArgs(profile),
    ];
    const log = createWriteStream(logFile);
    // Its own process group, so stopping it also ends the extension host and terminals.
    const child = spawn('setpriv', args, {
        env: userEnv(user, profile, env),
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);

    const url = `http://127.0.0.1:${port}`;
    const stop = () => stopGroup(child);
    try {
        await waitForHealth(url, child);
    } catch (error) {
        await stop();
        throw error;
    }
    return { url, logFile, stop };
}

function asUser(user: TestUser): string[] {
    return [`--reuid=${user.uid}`, `--regid=${user.gid}`, '--init-groups', '--'];
}

function profileArgs(profile: EditorProfile): string[] {
    return ['--user-data-dir', profile.userDataDir, '--extensions-dir', profile.extensionsDir];
}

function userEnv(
    user: TestUser,
    profile: EditorProfile,
    extra: Record<string, string>,
): NodeJS.ProcessEnv {
    return {
        PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
        HOME: profile.home,
        USER: user.name,
        LOGNAME: user.name,
        LANG: 'C.UTF-8',
        SHELL: '/bin/bash',
        XDG_CONFIG_HOME: join(profile.home, '.config'),
        XDG_DATA_HOME: join(profile.home, '.local/share'),
        ...extra,
    };
}

async function waitForHealth(url: string, child: ChildProcess): Promise<void> {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
        if (child.exitCode !== null) throw new Error(`code-server exited (${child.exitCode})`);
        try {
            const response = await fetch(`${url}/healthz`);
            if (response.ok) return;
        } catch {
            // not listening yet
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error('code-server did not answer within 60 s');
}

async function stopGroup(child: ChildProcess): Promise<void> {
    if (child.pid === undefined || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    signalGroup(child.pid, 'SIGTERM');
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(resolve, 5000, 'timeout'));
    if ((await Promise.race([exited, timeout])) === 'timeout') {
        signalGroup(child.pid, 'SIGKILL');
        await exited;
    }
    // Children that outlived code-server (a terminal's shell) are still in the group.
    signalGroup(child.pid, 'SIGKILL');
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
    try {
        process.kill(-pid, signal);
    } catch {
        // the group is gone
    }
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
