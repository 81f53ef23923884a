/**
 * One lazily made Dockerode client per engine address, and the check that tells a user
 * which of the usual failures stands between them and the engine.
 */
import Docker from 'dockerode';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { log } from '../log';
import { dockerodeOptions, resolveDockerHost, type DockerHost } from './dockerHost';
import { EngineError, MIN_API_VERSION } from './engineError';
import { hostKeyRefusal } from './sshHostKey';

export interface EngineInfo {
    readonly host: string;
    readonly version: string;
    readonly apiVersion: string;
}

export class DockerConnection {
    private client: Docker | undefined;
    private resolved: DockerHost | undefined;
    private checked: Promise<EngineInfo> | undefined;

    /** @param hostSetting the docker.host setting; "" means DOCKER_HOST, context, default. */
    constructor(private readonly hostSetting: string) {}

    get host(): DockerHost {
        this.resolved ??= resolveDockerHost(this.hostSetting);
        return this.resolved;
    }

    /** The client; made on first use so activation never touches the engine. */
    get docker(): Docker {
        if (!this.client) {
            log.info(`Docker engine: ${this.host.url} (from ${this.host.origin})`);
            this.client = new Docker(dockerodeOptions(this.host) as Docker.DockerOptions);
            logApiCalls(this.client, this.host);
        }
        return this.client;
    }

    /** Pings the engine once (and again after a failure); throws EngineError. */
    check(): Promise<EngineInfo> {
        this.checked ??= this.probe().catch((error: unknown) => {
            this.checked = undefined;
            throw error;
        });
        return this.checked;
    }

    /** Forgets a good check, e.g. after the event stream broke. */
    invalidate(): void {
        this.checked = undefined;
    }

    private async probe(): Promise<EngineInfo> {
        try {
            void this.host;
        } catch (error) {
            // A broken docker context: the CLI would fail the same way.
            throw new EngineError('other', firstLine((error as Error).message), 'showLogs', error);
        }
        let version: Docker.DockerVersion;
        try {
            version = await this.docker.version();
        } catch (error) {
            throw classifyEngineError(error, this.host);
        }
        if (compareApi(version.ApiVersion, MIN_API_VERSION) < 0) {
            throw new EngineError(
                'apiTooOld',
                `Docker ${version.Version} is too old (API ${version.ApiVersion}); ` +
                    `Agent Containers needs API ${MIN_API_VERSION} (Docker 20.10) or newer.`,
                'updateDocker',
            );
        }
        log.info(`Docker ${version.Version} (API ${version.ApiVersion}) at ${this.host.url}`);
        return { host: this.host.url, version: version.Version, apiVersion: version.ApiVersion };
    }
}

type DialCallback = (error: unknown, ...results: unknown[]) => void;

interface Dialer {
    dial(options: { method?: string; path?: string }, callback: DialCallback): unknown;
}

/**
 * Every Engine API request at debug level: method and path only, never bodies. A refused
 * ssh host key becomes its one-line EngineError on every request, not only the first check,
 * since a key can change while the extension runs.
 */
function logApiCalls(client: Docker, host: DockerHost): void {
    const modem = client.modem as unknown as Dialer;
    const dial = modem.dial.bind(modem);
    modem.dial = (options, callback) => {
        log.debug(
            `Docker API: ${options.method ?? 'GET'} ${(options.path ?? '').replace(/\?$/, '')}`,
        );
        if (typeof callback !== 'function') return dial(options, callback);
        return dial(options, (error, ...results) => {
            const refused = hostKeyError(error, host);
            callback(refused ?? error, ...results);
        });
    };
}

/** Sorts a failure to reach the engine into a case the user can act on. */
export function classifyEngineError(error: unknown, host: DockerHost): EngineError {
    if (error instanceof EngineError) return error;
    const code = (error as NodeJS.ErrnoException)?.code ?? '';
    const text = error instanceof Error ? error.message : String(error);
    const where = host.origin === 'default' ? host.url : `${host.url} (${host.origin})`;

    if (code === 'EACCES' || code === 'EPERM') {
        return new EngineError(
            'permissionDenied',
            `Permission denied on the Docker socket ${where}: add your user to the "docker" ` +
                'group (then log in again) or use a rootless Docker context.',
            'fixPermissions',
            error,
        );
    }
    if (/too new|maximum supported API version/i.test(text)) {
        return new EngineError(
            'apiTooOld',
            `The Docker engine at ${where} is too old: ${firstLine(text)}`,
            'updateDocker',
            error,
        );
    }
    if (code === 'ENOENT' || code === 'ECONNREFUSED' || code === 'ECONNRESET') {
        if (host.origin === 'default' && !dockerInstalled()) {
            return new EngineError(
                'notInstalled',
                'Docker is not installed: install Docker Engine or Docker Desktop.',
                'installDocker',
                error,
            );
        }
        return new EngineError(
            'notRunning',
            `Docker is not running (nothing answers at ${where}): start Docker and try again.`,
            'startDocker',
            error,
        );
    }
    const refused = hostKeyError(error, host);
    if (refused) return refused;
    return new EngineError(
        'other',
        `Cannot reach Docker at ${where}: ${firstLine(text)}`,
        'showLogs',
        error,
    );
}

/** The error for ssh2's refusal of the host key, with the reason its hostVerifier gave. */
function hostKeyError(error: unknown, host: DockerHost): EngineError | undefined {
    if (!(error instanceof Error) || !/^Host denied/.test(error.message)) return undefined;
    const url = new URL(host.url);
    if (url.protocol !== 'ssh:') return undefined;
    const refusal = hostKeyRefusal(url.hostname, url.port ? Number(url.port) : 22);
    return refusal ? new EngineError('hostKeyRefused', refusal, 'showLogs', error) : undefined;
}

/** Whether any trace of a Docker installation is on this machine. */
function dockerInstalled(): boolean {
    const names =
        process.platform === 'win32' ? ['docker.exe', 'dockerd.exe'] : ['docker', 'dockerd'];
    const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
    const known = [
        '/Applications/Docker.app',
        'C:\\Program Files\\Docker\\Docker',
        '/usr/bin/dockerd',
        '/usr/sbin/dockerd',
    ];
    return (
        dirs.some((dir) => names.some((name) => existsSync(join(dir, name)))) ||
        known.some((path) => existsSync(path))
    );
}

function compareApi(a: string, b: string): number {
    const [aMajor, aMinor] = a.split('.').map(Number);
    const [bMajor, bMinor] = b.split('.').map(Number);
    return aMajor - bMajor || aMinor - bMinor;
}

function firstLine(text: string): string {
    return text.split('\n')[0].slice(0, 300);
}
