/**
 * One interactive process in the container: a `docker exec` with a TTY, attached to stdin,
 * as the container user. The Engine API has no way to signal an exec, so the process
 * records its PID and `kill()` signals it through a second exec.
 */
import type Docker from 'dockerode';
import { randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { CONTAINER_USER } from '../tools/registry';
import { log } from '../log';
import { runCapture } from './execCapture';

export interface SessionSpec {
    readonly argv: readonly string[];
    readonly workingDir: string;
    readonly env: Readonly<Record<string, string>>;
}

export interface Size {
    readonly columns: number;
    readonly rows: number;
}

// Records the PID and gives the TTY its size before the command runs: a fresh exec TTY is
// 0x0 until the engine's resize lands, and a CLI that reads its size at start would draw
// for zero columns. Setting it here saves polling for that resize (~50 ms per open); with
// no size known yet it still waits (at most ~3 s) for the first resize. The size and the
// command arrive as positional arguments, never inside the script text.
const LAUNCHER =
    'printf %s "$$" > "$1"; cols=$2; rows=$3; shift 3; ' +
    'if [ "$cols" -gt 0 ]; then stty cols "$cols" rows "$rows" 2>/dev/null; else i=0; ' +
    'while [ "$(stty size 2>/dev/null)" = "0 0" ] && [ $i -lt 60 ]; ' +
    'do sleep 0.05; i=$((i+1)); done; fi; ' +
    'exec "$@"';

export class ExecSession {
    private exited: Promise<number> | undefined;

    private constructor(
        private readonly container: Docker.Container,
        private readonly exec: Docker.Exec,
        private readonly stream: Duplex,
        private readonly pidFile: string,
    ) {}

    /** Starts the process and sets its TTY size right away when known. */
    static async start(
        container: Docker.Container,
        spec: SessionSpec,
        size: Size | undefined,
    ): Promise<ExecSession> {
        const pidFile = `/tmp/agent-session-${randomBytes(6).toString('hex')}.pid`;
        log.info(`Session: ${spec.argv.join(' ')} in ${container.id.slice(0, 12)}`);
        const exec = await container.exec({
            Cmd: ['sh', '-c', LAUNCHER, 'agent-session', pidFile, ...sizeArgs(size), ...spec.argv],
            User: CONTAINER_USER,
            WorkingDir: spec.workingDir,
            Env: Object.entries(spec.env).map(([key, value]) => `${key}=${value}`),
            Tty: true,
            AttachStdin: true,
            AttachStdout: true,
            AttachStderr: true,
        });
        const stream = (await exec.start({ hijack: true, stdin: true, Tty: true })) as Duplex;
        const session = new ExecSession(container, exec, stream, pidFile);
        if (size) await session.resize(size);
        return session;
    }

    onOutput(listener: (chunk: Buffer) => void): void {
        this.stream.on('data', listener);
    }

    /** Resolves with the exit code once the process has ended. */
    exitCode(): Promise<number> {
        this.exited ??= new Promise<void>((resolve) => {
            this.stream.once('end', resolve);
            this.stream.once('close', resolve);
            this.stream.once('error', () => resolve());
        }).then(() => this.readExitCode());
        return this.exited;
    }

    write(data: string): void {
        if (!this.stream.destroyed) this.stream.write(data);
    }

    async resize(size: Size): Promise<void> {
        if (size.columns <= 0 || size.rows <= 0) return;
        try {
            await this.exec.resize({ w: size.columns, h: size.rows });
        } catch (error) {
            // The process may just have ended; a lost resize is harmless then.
            log.debug(`Session resize failed: ${String(error)}`);
        }
    }

    /** Ends the process (SIGHUP, then SIGKILL) and detaches. */
    async kill(): Promise<void> {
        const script =
            'p=$(cat "$1" 2>/dev/null) || exit 0; kill -HUP "$p" 2>/dev/null; ' +
            'sleep 1; kill -0 "$p" 2>/dev/null && kill -KILL "$p" 2>/dev/null; rm -f "$1"';
        try {
            await runCapture(this.container, ['sh', '-c', script, 'agent-kill', this.pidFile], {
                user: CONTAINER_USER,
            });
        } catch (error) {
            log.debug(`Session kill failed (container gone?): ${String(error)}`);
        }
        this.stream.destroy();
    }

    /**
     * Why the process ended, when it did not end by itself: the container stopped or was
     * removed, or the engine went away. Undefined when the container still runs.
     */
    async endCause(exitCode: number): Promise<string | undefined> {
        // A kill from outside ends the exec (by a signal) a moment before the container
        // reports it; an ordinary exit needs one look only.
        const attempts = exitCode < 0 || exitCode >= 128 ? 5 : 1;
        let lookedAgain = false;
        for (let attempt = 0; attempt < attempts; attempt++) {
            let state: Docker.ContainerInspectInfo['State'];
            try {
                state = (await this.container.inspect()).State;
            } catch (error) {
                if ((error as { statusCode?: number }).statusCode === 404) return removedMessage();
                return (
                    'Lost the connection to the Docker engine (stopped or restarted?); ' +
                    'the session ended.'
                );
            }
            // A forced removal kills first: look once more before calling it stopped.
            const removing = state.Status === 'removing' || state.Status === 'dead';
            if (!state.Running && !removing && !lookedAgain && attempts > 1) {
                lookedAgain = true;
                await new Promise((resolve) => setTimeout(resolve, 300));
                continue;
            }
            if (removing) return removedMessage();
            if (!state.Running) {
                const why = state.OOMKilled ? 'ran out of memory' : `exit code ${state.ExitCode}`;
                return `The container stopped (${why}); open the CLI again to restart it.`;
            }
            if (attempt < attempts - 1) await new Promise((resolve) => setTimeout(resolve, 200));
        }
        return undefined;
    }

    private async readExitCode(): Promise<number> {
        // The engine may report the exec as running for a moment after its stream ended.
        for (let attempt = 0; attempt < 20; attempt++) {
            try {
                const info = await this.exec.inspect();
                if (!info.Running && info.ExitCode !== null) return info.ExitCode;
            } catch {
                return -1;
            }
            await new Promise((resolve) => setTimeout(resolve, 50));
        }
        return -1;
    }
}

/** Columns and rows for the launcher; 0 0 when unknown (or unusable). */
function sizeArgs(size: Size | undefined): [string, string] {
    const columns = Math.floor(size?.columns ?? 0);
    const rows = Math.floor(size?.rows ?? 0);
    return columns > 0 && rows > 0 ? [String(columns), String(rows)] : ['0', '0'];
}

function removedMessage(): string {
    return 'The container was removed outside the editor; open the CLI again to make a new one.';
}
