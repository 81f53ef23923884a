/**
 * Engines to break on purpose. `FaultEngine` is a second, private dockerd (own socket, data
 * root on a tmpfs of its own, own containerd) that tests stop, kill, restart, fill up and
 * lock down; the main engine at /var/run/docker.sock is never touched, since other test
 * files use it at the same time. `FakeEngine` is a small HTTP server on a unix socket that
 * records every request and answers as an old or broken engine would.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
    closeSync,
    mkdtempSync,
    openSync,
    readdirSync,
    readFileSync,
    rmSync,
    statfsSync,
} from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { pack } from 'tar-stream';
import Docker from 'dockerode';
import { docker as mainEngine, TEST_BASE_IMAGE } from './docker';

/** Image of the fault engine's sessions: the base image, a hagicode user, a tiny init. */
export const FAULT_SESSION_IMAGE = 'agent-fault/session:1';

// PID 1 runs as root like the real entrypoint and hands the main process to PUID:PGID, so
// the core's readiness check (children of PID 1 under the expected UID) applies as is.
const INIT_SCRIPT = `#!/bin/bash
trap 'kill "$child" 2>/dev/null; exit 0' TERM INT
setpriv --reuid="\${PUID:-1000}" --regid="\${PGID:-1000}" --clear-groups sleep infinity &
child=$!
wait "$child"
`;

const SESSION_DOCKERFILE = `FROM ${TEST_BASE_IMAGE}
RUN userdel --remove node 2>/dev/null || true; groupdel node 2>/dev/null || true; \\
    groupadd --gid 1000 hagicode && \\
    useradd --uid 1000 --gid 1000 --create-home --shell /bin/bash hagicode
COPY init.sh /usr/local/bin/fault-init
RUN chmod 755 /usr/local/bin/fault-init
ENTRYPOINT ["/usr/local/bin/fault-init"]
`;

export class FaultEngine {
    readonly socket: string;
    readonly host: string;
    readonly docker: Docker;
    private daemon: ChildProcess | undefined;
    private exited: Promise<void> | undefined;
    private filler: string | undefined;

    private constructor(
        readonly dir: string,
        private readonly tmpfsBytes: number,
    ) {
        this.socket = join(dir, 'docker.sock');
        this.host = `unix://${this.socket}`;
        this.docker = new Docker({ socketPath: this.socket });
    }

    /** Makes the directories, mounts the data root's tmpfs and starts the daemon. */
    static async create(options: { tmpfsBytes?: number } = {}): Promise<FaultEngine> {
        await removeStaleEngines();
        const dir = mkdtempSync('/tmp/agent-fault-');
        const engine = new FaultEngine(dir, options.tmpfsBytes ?? 1536 * 1024 * 1024);
        run('mkdir', ['-p', engine.dataRoot, engine.execRoot]);
        run('mount', ['-t', 'tmpfs', '-o', `size=${engine.tmpfsBytes}`, 'tmpfs', engine.dataRoot]);
        await engine.start();
        return engine;
    }

    get dataRoot(): string {
        return join(this.dir, 'data');
    }

    private get execRoot(): string {
        return join(this.dir, 'exec');
    }

    get running(): boolean {
        return this.daemon !== undefined;
    }

    /** Starts dockerd and waits until it answers; a second try if its containerd lags. */
    async start(): Promise<void> {
        try {
            await this.startOnce();
        } catch (error) {
            if (this.daemon) throw error;
            await this.stopContainerd();
            await this.startOnce();
        }
    }

    private async startOnce(): Promise<void> {
        if (this.daemon) return;
        const log = openSync(join(this.dir, 'dockerd.log'), 'a');
        const daemon = spawn(
            'dockerd',
            [
                `--host=${this.host}`,
                `--data-root=${this.dataRoot}`,
                `--exec-root=${this.execRoot}`,
                `--pidfile=${join(this.dir, 'docker.pid')}`,
                '--bridge=none',
                '--iptables=false',
                '--ip-masq=false',
                '--shutdown-timeout=3',
                // A group nobody is in: the socket is root's alone unless a test opens it up.
                '--group=root',
            ],
            { stdio: ['ignore', log, log], detached: true },
        );
        closeSync(log);
        this.daemon = daemon;
        this.exited = new Promise((resolve) => daemon.once('exit', () => resolve()));
        // Should the test process end without its after hooks, the daemon goes with it.
        const orphan = () => daemon.kill('SIGKILL');
        process.once('exit', orphan);
        daemon.once('exit', () => process.off('exit', orphan));
        daemon.once('exit', () => {
            if (this.daemon === daemon) this.daemon = undefined;
        });
        const deadline = Date.now() + 30_000;
        for (;;) {
            try {
                await this.docker.ping();
                return;
            } catch (error) {
                if (!this.daemon) throw new Error(`fault engine exited: ${this.logTail()}`);
                if (Date.now() > deadline) throw new Error(`fault engine silent: ${error}`);
                await sleep(100);
            }
        }
    }

    /** Stops the daemon with `signal` and waits until it is gone. */
    async stop(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
        const daemon = this.daemon;
        if (!daemon) return;
        daemon.kill(signal);
        await this.exited;
        this.daemon = undefined;
        if (signal === 'SIGKILL') await this.stopContainerd();
    }

    /** Waits for the daemon's containerd to go (it dies with it), killing it if it stays. */
    private async stopContainerd(): Promise<void> {
        const pidFile = join(this.execRoot, 'containerd', 'containerd.pid');
        let pid: number;
        try {
            pid = Number(readFileSync(pidFile, 'utf8').trim());
        } catch {
            return;
        }
        for (let attempt = 0; attempt < 40 && alive(pid); attempt++) await sleep(50);
        if (alive(pid)) process.kill(pid, 'SIGKILL');
        for (let attempt = 0; attempt < 40 && alive(pid); attempt++) await sleep(50);
    }

    /** Copies an image from the main engine (`docker save | docker load`). */
    async loadImage(ref: string): Promise<void> {
        const saved = await mainEngine.getImage(ref).get();
        const stream = await this.docker.loadImage(saved as unknown as NodeJS.ReadableStream);
        await drain(stream);
        await this.docker.getImage(ref).inspect();
    }

    /** Builds FAULT_SESSION_IMAGE from the base image (loaded first); no network needed. */
    async buildSessionImage(): Promise<string> {
        await this.loadImage(TEST_BASE_IMAGE);
        const context = pack();
        context.entry({ name: 'Dockerfile' }, SESSION_DOCKERFILE);
        context.entry({ name: 'init.sh', mode: 0o755 }, INIT_SCRIPT);
        context.finalize();
        const stream = await this.docker.buildImage(context as unknown as NodeJS.ReadableStream, {
            t: FAULT_SESSION_IMAGE,
            networkmode: 'none',
            rm: true,
            forcerm: true,
        });
        const output = await drain(stream);
        if (/"error"/.test(output)) throw new Error(`session image build failed: ${output}`);
        return FAULT_SESSION_IMAGE;
    }

    /** Fills the data root's filesystem until `leaveBytes` are free: a full disk. */
    fillDisk(leaveBytes = 64 * 1024): void {
        const stats = statfsSync(this.dataRoot);
        const free = stats.bavail * stats.bsize;
        this.filler = join(this.dataRoot, 'fault-filler');
        run('fallocate', ['-l', String(Math.max(free - leaveBytes, 0)), this.filler]);
    }

    freeDisk(): void {
        if (this.filler) rmSync(this.filler, { force: true });
        this.filler = undefined;
    }

    freeBytes(): number {
        const stats = statfsSync(this.dataRoot);
        return stats.bavail * stats.bsize;
    }

    logTail(lines = 15): string {
        try {
            return readFileSync(join(this.dir, 'dockerd.log'), 'utf8')
                .split('\n')
                .slice(-lines)
                .join('\n');
        } catch {
            return '';
        }
    }

    /** Stops the daemon and everything it left (shims, mounts), then removes the directory. */
    async destroy(): Promise<void> {
        await this.stopDaemon();
        removeLeftovers(this.dir, this.execRoot);
    }

    private async stopDaemon(): Promise<void> {
        if (this.daemon) {
            // A clean stop removes the containers' mounts; SIGKILL only if it hangs.
            const forced = setTimeout(() => this.daemon?.kill('SIGKILL'), 20_000);
            await this.stop('SIGTERM');
            clearTimeout(forced);
        }
    }
}

/** Kills the shims a killed daemon left, unmounts what is left under `dir`, removes it. */
function removeLeftovers(dir: string, execRoot: string): void {
    // Shims of containers that outlived a SIGKILLed daemon name its containerd socket.
    for (const pid of pidsWithArgument(execRoot)) {
        try {
            process.kill(pid, 'SIGKILL');
        } catch {
            // Already gone.
        }
    }
    spawnSync('sleep', ['0.2']);
    const mounts = readFileSync('/proc/self/mounts', 'utf8')
        .split('\n')
        .map((line) => line.split(' ')[1])
        .filter((point) => point?.startsWith(`${dir}/`))
        .sort((a, b) => b.length - a.length);
    for (const point of mounts) spawnSync('umount', ['-l', point]);
    rmSync(dir, { recursive: true, force: true });
}

/**
 * Engines of earlier runs whose test process died before cleaning up: the daemon is gone,
 * or it lives on with no node process as its parent. Engines of running tests stay.
 */
async function removeStaleEngines(): Promise<void> {
    for (const name of readdirSync('/tmp').filter((n) => n.startsWith('agent-fault-'))) {
        const dir = join('/tmp', name);
        let pid = 0;
        try {
            pid = Number(readFileSync(join(dir, 'docker.pid'), 'utf8').trim());
        } catch {
            // No pid file: made by hand or still starting; leave it.
            continue;
        }
        if (alive(pid)) {
            const parent = /^PPid:\s*(\d+)/m.exec(readProc(`${pid}/status`))?.[1] ?? '1';
            if (readProc(`${parent}/cmdline`).includes('node')) continue;
            if (!readProc(`${pid}/cmdline`).includes(dir)) continue;
            process.kill(pid, 'SIGTERM');
            for (let i = 0; i < 100 && alive(pid); i++) await sleep(100);
            if (alive(pid)) process.kill(pid, 'SIGKILL');
        }
        removeLeftovers(dir, join(dir, 'exec'));
    }
}

function readProc(path: string): string {
    try {
        return readFileSync(`/proc/${path}`, 'utf8');
    } catch {
        return '';
    }
}

export interface RecordedRequest {
    readonly method: string;
    readonly url: string;
}

export type FakeHandler = (request: IncomingMessage, response: ServerResponse) => void;

/** An HTTP server on a unix socket of its own; records requests, answers with `handler`. */
export class FakeEngine {
    readonly requests: RecordedRequest[] = [];
    readonly host: string;
    private readonly server: Server;

    private constructor(
        readonly socket: string,
        handler: FakeHandler,
    ) {
        this.host = `unix://${socket}`;
        this.server = createServer((request, response) => {
            this.requests.push({ method: request.method ?? '', url: request.url ?? '' });
            request.resume();
            handler(request, response);
        });
    }

    static async listen(handler: FakeHandler = refuseAll): Promise<FakeEngine> {
        const dir = mkdtempSync('/tmp/agent-fake-engine-');
        const engine = new FakeEngine(join(dir, 'docker.sock'), handler);
        await new Promise<void>((resolve) => engine.server.listen(engine.socket, resolve));
        return engine;
    }

    async close(): Promise<void> {
        await new Promise<void>((resolve) => this.server.close(() => resolve()));
        rmSync(join(this.socket, '..'), { recursive: true, force: true });
    }
}

/** Answers every request with 500, so nothing can proceed past a first call. */
function refuseAll(_request: IncomingMessage, response: ServerResponse): void {
    response.writeHead(500, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify({ message: 'fake engine: no request expected' }));
}

/** An engine of Docker 17.07 (API 1.30): answers /_ping and /version, refuses newer APIs. */
export function oldEngine(request: IncomingMessage, response: ServerResponse): void {
    const path = (request.url ?? '').replace(/^\/v[\d.]+/, '').split('?')[0];
    const json = (status: number, body: unknown) => {
        response.writeHead(status, { 'Content-Type': 'application/json', 'Api-Version': '1.30' });
        response.end(JSON.stringify(body));
    };
    if (path === '/_ping') return void response.end('OK');
    const asked = /^\/v([\d.]+)\//.exec(request.url ?? '')?.[1];
    if (asked && Number(asked) > 1.3) {
        return json(400, {
            message: `client version ${asked} is too new. Maximum supported API version is 1.30`,
        });
    }
    if (path === '/version') {
        return json(200, {
            Version: '17.07.0-ce',
            ApiVersion: '1.30',
            MinAPIVersion: '1.12',
            Os: 'linux',
            Arch: 'amd64',
        });
    }
    json(404, { message: `page not found: ${path}` });
}

function run(command: string, args: string[]): void {
    const result = spawnSync(command, args, { encoding: 'utf8' });
    if (result.status !== 0) {
        throw new Error(`${command} ${args.join(' ')}: ${result.stderr || result.error}`);
    }
}

function pidsWithArgument(text: string): number[] {
    const result = spawnSync('pgrep', ['-f', '--', text], { encoding: 'utf8' });
    return result.stdout
        .split('\n')
        .map(Number)
        .filter((pid) => pid > 0 && pid !== process.pid);
}

/** Reads a Docker JSON stream to its end; returns all of it. */
function drain(stream: NodeJS.ReadableStream): Promise<string> {
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(Buffer.from(chunk)));
        stream.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        stream.on('error', reject);
    });
}

function alive(pid: number): boolean {
    if (!(pid > 0)) return false;
    try {
        process.kill(pid, 0);
        return true;
    } catch {
        return false;
    }
}

function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
}
