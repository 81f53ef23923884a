import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { classifyEngineError } from '../../src/docker/connection';
import { dockerodeOptions, resolveDockerHost } from '../../src/docker/dockerHost';

function configDir(current?: string, contexts: Record<string, string> = {}): string {
    const dir = mkdtempSync(join(tmpdir(), 'docker-config-'));
    if (current)
        writeFileSync(join(dir, 'config.json'), JSON.stringify({ currentContext: current }));
    for (const [name, host] of Object.entries(contexts)) {
        const id = createHash('sha256').update(name).digest('hex');
        mkdirSync(join(dir, 'contexts', 'meta', id), { recursive: true });
        writeFileSync(
            join(dir, 'contexts', 'meta', id, 'meta.json'),
            JSON.stringify({
                Name: name,
                Metadata: {},
                Endpoints: { docker: { Host: host, SkipTLSVerify: false } },
            }),
        );
    }
    return dir;
}

const linux = (env: NodeJS.ProcessEnv, dir = configDir()) => ({
    env,
    platform: 'linux' as const,
    configDir: dir,
});

describe('resolveDockerHost', () => {
    it('prefers the setting, then DOCKER_HOST, then the context, then the default', () => {
        const dir = configDir('colima', { colima: 'unix:///home/me/.colima/docker.sock' });
        const env = { DOCKER_HOST: 'tcp://10.1.2.3:2375' };
        assert.equal(resolveDockerHost('unix:///s.sock', linux(env, dir)).url, 'unix:///s.sock');
        assert.equal(resolveDockerHost('', linux(env, dir)).origin, 'DOCKER_HOST');
        const fromContext = resolveDockerHost('', linux({}, dir));
        assert.equal(fromContext.url, 'unix:///home/me/.colima/docker.sock');
        assert.equal(fromContext.origin, 'context colima');
        assert.equal(resolveDockerHost('', linux({})).url, 'unix:///var/run/docker.sock');
        assert.equal(
            resolveDockerHost('', { env: {}, platform: 'win32', configDir: configDir() }).url,
            'npipe:////./pipe/docker_engine',
        );
    });

    it('lets DOCKER_CONTEXT pick a context over config.json; "default" means the socket', () => {
        const dir = configDir('a', { a: 'unix:///a.sock', b: 'ssh://me@b' });
        assert.equal(resolveDockerHost('', linux({ DOCKER_CONTEXT: 'b' }, dir)).url, 'ssh://me@b');
        assert.equal(
            resolveDockerHost('', linux({ DOCKER_CONTEXT: 'default' }, dir)).origin,
            'default',
        );
        assert.throws(
            () => resolveDockerHost('', linux({ DOCKER_CONTEXT: 'gone' }, dir)),
            /"gone" not found/,
        );
    });

    it('turns host URLs into Dockerode options', () => {
        const opts = (url: string) =>
            dockerodeOptions({ url, origin: 'setting', tlsVerify: false });
        assert.deepEqual(opts('unix:///var/run/docker.sock'), {
            socketPath: '/var/run/docker.sock',
        });
        assert.deepEqual(opts('npipe:////./pipe/docker_engine'), {
            socketPath: '\\\\.\\pipe\\docker_engine',
        });
        assert.deepEqual(opts('tcp://10.0.0.2:2375'), {
            protocol: 'http',
            host: '10.0.0.2',
            port: 2375,
        });
        assert.equal(opts('ssh://me@host').username, 'me');
        assert.equal(opts('ssh://host').username, userInfo().username);
        assert.equal(opts('ssh://ann%40corp@host').username, 'ann@corp');
    });
});

/** A real connection error from trying `path`. */
function connectError(path: string): Promise<NodeJS.ErrnoException> {
    return new Promise((resolve) => {
        const socket = createConnection(path);
        socket.on('error', resolve);
        socket.on('connect', () => socket.destroy());
    });
}

describe('classifyEngineError', () => {
    const host = {
        url: 'unix:///nowhere/docker.sock',
        origin: 'default' as const,
        tlsVerify: false,
    };

    it('says Docker is not running when nothing answers (dockerd is installed here)', async () => {
        const error = classifyEngineError(await connectError('/nowhere/docker.sock'), host);
        assert.ok(['notRunning', 'notInstalled'].includes(error.kind));
        assert.ok(['startDocker', 'installDocker'].includes(error.action));
        assert.doesNotMatch(error.message, /\n/, 'one line, no stack');
    });

    it('says permission denied with the fitting action', () => {
        const denied = Object.assign(new Error('connect EACCES /var/run/docker.sock'), {
            code: 'EACCES',
        });
        const error = classifyEngineError(denied, host);
        assert.equal(error.kind, 'permissionDenied');
        assert.equal(error.action, 'fixPermissions');
        assert.match(error.message, /docker" group/);
    });

    it('says the engine is too old when the API version is refused', () => {
        const old = new Error(
            'client version 1.41 is too new. Maximum supported API version is 1.40',
        );
        assert.equal(classifyEngineError(old, host).kind, 'apiTooOld');
        assert.equal(classifyEngineError(new Error('boom'), host).kind, 'other');
    });
});
