/**
 * The ordinary user the editor runs as in the end-to-end suite, so the host-UID mapping is
 * tested for real: not root, a member of the group that owns the Docker socket.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, mkdirSync, statSync } from 'node:fs';

export interface TestUser {
    readonly name: string;
    readonly uid: number;
    readonly gid: number;
}

const DOCKER_SOCKET = '/var/run/docker.sock';

/** Creates the user (and a `docker` group owning the socket) when missing; needs root. */
export function ensureTestUser(name = 'agent-e2e', uid = 1234): TestUser {
    if (!getent('group', 'docker')) run('groupadd', ['--system', 'docker']);
    const dockerGid = Number(getent('group', 'docker')!.split(':')[2]);
    // dockerd gives its socket to the group only when the group existed at its start.
    if (statSync(DOCKER_SOCKET).gid !== dockerGid) {
        run('chgrp', ['docker', DOCKER_SOCKET]);
        run('chmod', ['g+rw', DOCKER_SOCKET]);
    }

    const byUid = getent('passwd', String(uid));
    const existing = byUid ?? getent('passwd', name);
    if (existing && Number(existing.split(':')[2]) !== uid) {
        throw new Error(`user ${name} exists with another UID than ${uid}`);
    }
    const userName = existing ? existing.split(':')[0] : name;
    if (!existing) {
        run('groupadd', ['--gid', String(uid), name]);
        run('useradd', ['--uid', String(uid), '--gid', String(uid), '--create-home', name]);
    }
    run('usermod', ['--append', '--groups', 'docker', userName]);

    const entry = getent('passwd', userName)!.split(':');
    return { name: userName, uid, gid: Number(entry[3]) };
}

/** Makes a directory (and parents) owned by the user. */
export function makeUserDir(user: TestUser, path: string): string {
    mkdirSync(path, { recursive: true, mode: 0o755 });
    chownSync(path, user.uid, user.gid);
    return path;
}

function getent(database: string, key: string): string | undefined {
    try {
        return execFileSync('getent', [database, key], { encoding: 'utf8' }).trim() || undefined;
    } catch {
        return undefined;
    }
}

function run(command: string, args: string[]): void {
    execFileSync(command, args, { stdio: ['ignore', 'ignore', 'inherit'] });
}
