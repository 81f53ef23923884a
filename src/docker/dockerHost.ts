/**
 * Finds the engine the way the docker CLI does: an explicit host (our setting), then
 * DOCKER_HOST, then the current context (DOCKER_CONTEXT or currentContext in
 * ~/.docker/config.json), then the platform's default socket.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { hostKeyOptions } from './sshHostKey';

export interface DockerHost {
    /** unix:///..., npipe:////./pipe/..., tcp://host:port, ssh://user@host */
    readonly url: string;
    /** Where the choice came from, for the log and error messages. */
    readonly origin: 'setting' | 'DOCKER_HOST' | `context ${string}` | 'default';
    /** TLS files (ca.pem, cert.pem, key.pem) for tcp hosts, if any. */
    readonly tlsDir?: string;
    readonly tlsVerify: boolean;
}

export interface HostEnvironment {
    readonly env: NodeJS.ProcessEnv;
    readonly platform: NodeJS.Platform;
    /** The docker CLI's config directory (DOCKER_CONFIG or ~/.docker). */
    readonly configDir?: string;
}

const DEFAULT_UNIX = 'unix:///var/run/docker.sock';
const DEFAULT_NPIPE = 'npipe:////./pipe/docker_engine';

const CliConfig = z.object({ currentContext: z.string().optional() }).passthrough();
const ContextMeta = z
    .object({
        Name: z.string(),
        Endpoints: z.object({
            docker: z.object({
                Host: z.string(),
                SkipTLSVerify: z.boolean().optional(),
            }),
        }),
    })
    .passthrough();

/** Resolves the engine address; never throws for a missing config, only for a broken one. */
export function resolveDockerHost(setting: string, host?: HostEnvironment): DockerHost {
    const { env, platform } = host ?? { env: process.env, platform: process.platform };
    const configDir = host?.configDir ?? env.DOCKER_CONFIG ?? join(homedir(), '.docker');
    const tlsVerify = env.DOCKER_TLS_VERIFY !== undefined && env.DOCKER_TLS_VERIFY !== '';

    if (setting) return { url: setting, origin: 'setting', tlsVerify };
    if (env.DOCKER_HOST) {
        return {
            url: env.DOCKER_HOST,
            origin: 'DOCKER_HOST',
            tlsDir: env.DOCKER_CERT_PATH || (tlsVerify ? configDir : undefined),
            tlsVerify,
        };
    }

    const context = env.DOCKER_CONTEXT || currentContext(configDir);
    if (context && context !== 'default') {
        const id = createHash('sha256').update(context).digest('hex');
        const metaFile = join(configDir, 'contexts', 'meta', id, 'meta.json');
        if (!existsSync(metaFile)) {
            throw new Error(`Docker context "${context}" not found (${metaFile})`);
        }
        const meta = ContextMeta.parse(JSON.parse(readFileSync(metaFile, 'utf8')));
        const tlsDir = join(configDir, 'contexts', 'tls', id, 'docker');
        return {
            url: meta.Endpoints.docker.Host,
            origin: `context ${context}`,
            tlsDir: existsSync(tlsDir) ? tlsDir : undefined,
            tlsVerify: !meta.Endpoints.docker.SkipTLSVerify,
        };
    }

    return {
        url: platform === 'win32' ? DEFAULT_NPIPE : DEFAULT_UNIX,
        origin: 'default',
        tlsVerify: false,
    };
}

function currentContext(configDir: string): string | undefined {
    const file = join(configDir, 'config.json');
    if (!existsSync(file)) return undefined;
    try {
        return CliConfig.parse(JSON.parse(readFileSync(file, 'utf8'))).currentContext;
    } catch {
        // The CLI ignores an unreadable config the same way and falls back to the default.
        return undefined;
    }
}

/** Options for the Dockerode constructor that reach the given host. */
export function dockerodeOptions(host: DockerHost): Record<string, unknown> {
    const url = new URL(host.url);
    switch (url.protocol) {
        case 'unix:':
            return { socketPath: url.pathname };
        case 'npipe:':
            // npipe:////./pipe/docker_engine → \\.\pipe\docker_engine
            return { socketPath: host.url.slice('npipe://'.length).replace(/\//g, '\\') };
        case 'ssh:': {
            // ssh2 reads neither ~/.ssh/config nor key files: keys come from the agent, and
            // a URL without a user logs in as the local user, as ssh itself would. The host
            // key must be in known_hosts (docker-modem hands sshOptions to ssh2 as they are).
            const target = {
                host: url.hostname,
                port: url.port ? Number(url.port) : 22,
                user: url.username ? decodeURIComponent(url.username) : userInfo().username,
            };
            return {
                protocol: 'ssh',
                host: target.host,
                port: target.port,
                username: target.user,
                sshOptions: { agent: process.env.SSH_AUTH_SOCK, ...hostKeyOptions(target) },
            };
        }
        case 'tcp:':
        case 'http:':
        case 'https:': {
            const tls = url.protocol === 'https:' || host.tlsDir !== undefined;
            const file = (name: string) =>
                host.tlsDir && existsSync(join(host.tlsDir, name))
                    ? readFileSync(join(host.tlsDir, name))
                    : undefined;
            return {
                protocol: tls ? 'https' : 'http',
                host: url.hostname,
                port: url.port ? Number(url.port) : tls ? 2376 : 2375,
                ...(tls
                    ? { ca: file('ca.pem'), cert: file('cert.pem'), key: file('key.pem') }
                    : {}),
            };
        }
        default:
            throw new Error(`Unsupported Docker host "${host.url}"`);
    }
}
