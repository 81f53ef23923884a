/**
 * A terminal bridged to an exec session, shaped like vscode.Pseudoterminal so the editor
 * can take it as `pty` while the core needs no vscode: input passes through untouched,
 * output is decoded as UTF-8 across chunk boundaries, the size follows the editor.
 */
import { log } from '../log';
import { Emitter } from './emitter';
import type { ExecSession, Size } from './execSession';

export type TerminalDimensions = Size;

export interface ToolTerminalOptions {
    /** Extra variables for this session only (e.g. secrets); never put in the container. */
    readonly env?: Readonly<Record<string, string>>;
    /** Runs this instead of the target's own command line (e.g. a tool's sign-in). */
    readonly argv?: readonly string[];
}

/** Makes the session; gets a progress writer and a signal (Ctrl+C before start cancels). */
export type SessionStarter = (
    size: Size | undefined,
    progress: (line: string) => void,
    signal: AbortSignal,
) => Promise<ExecSession>;

const CTRL_C = '\x03';
const dim = (text: string) => `\x1b[2m${text}\x1b[0m\r\n`;

export class ToolTerminal {
    private readonly writeEmitter = new Emitter<string>();
    private readonly closeEmitter = new Emitter<void>();
    private readonly exitEmitter = new Emitter<number>();
    private readonly failEmitter = new Emitter<Error>();
    private readonly decoder = new TextDecoder('utf-8');
    private readonly opening = new AbortController();
    private session: ExecSession | undefined;
    private size: Size | undefined;
    private pendingInput: string[] = [];
    private phase: 'new' | 'opening' | 'running' | 'ended' | 'closed' = 'new';

    readonly onDidWrite = this.writeEmitter.event;
    readonly onDidClose = this.closeEmitter.event;
    /** The CLI ended with this code; the terminal stays until a key is pressed. */
    readonly onDidExit = this.exitEmitter.event;
    /** Starting failed (engine, build, container); the message is also in the terminal. */
    readonly onDidFail = this.failEmitter.event;

    constructor(
        private readonly label: string,
        private readonly starter: SessionStarter,
    ) {}

    open(initialDimensions: TerminalDimensions | undefined): void {
        if (this.phase !== 'new') return;
        this.phase = 'opening';
        this.size = initialDimensions;
        void this.start();
    }

    handleInput(data: string): void {
        if (this.phase === 'running') return this.session?.write(data);
        if (this.phase === 'opening') {
            if (data.includes(CTRL_C)) return this.opening.abort();
            this.pendingInput.push(data);
            return;
        }
        // The exit code is already on screen; closing with it would make the editor raise a
        // second, error-styled notification for an end the user has seen and acknowledged.
        if (this.phase === 'ended') this.dispose();
    }

    setDimensions(dimensions: TerminalDimensions): void {
        this.size = dimensions;
        void this.session?.resize(dimensions);
    }

    /** The editor closed the terminal: end the process. */
    close(): void {
        if (this.phase === 'closed') return;
        const wasRunning = this.phase === 'running';
        this.phase = 'closed';
        this.opening.abort();
        if (wasRunning) void this.session?.kill();
        this.dispose(false);
    }

    private async start(): Promise<void> {
        const progress = (line: string) => this.write(dim(line));
        try {
            const session = await this.starter(this.size, progress, this.opening.signal);
            if (this.phase === 'closed') return void session.kill();
            this.session = session;
            this.phase = 'running';
            session.onOutput((chunk) => this.write(this.decoder.decode(chunk, { stream: true })));
            // The size may have changed while the container was starting.
            if (this.size) void session.resize(this.size);
            for (const input of this.pendingInput.splice(0)) session.write(input);
            const code = await session.exitCode();
            // Asked only after an end the user did not cause, e.g. a stopped engine.
            const cause = this.phase === 'running' ? await session.endCause(code) : undefined;
            this.finish(code, cause);
        } catch (error) {
            if (this.phase === 'closed') return;
            const cancelled = this.opening.signal.aborted;
            const message = cancelled ? 'Cancelled.' : errorText(error);
            if (!cancelled) {
                log.error(`${this.label}: ${message}`);
                this.failEmitter.fire(error instanceof Error ? error : new Error(message));
            }
            this.write(`\r\n\x1b[31m${message}\x1b[0m\r\n`);
            this.end();
        }
    }

    private finish(code: number, cause?: string): void {
        if (this.phase === 'closed') return;
        this.write(this.decoder.decode());
        this.write(`\r\n\x1b[2m[${this.label} exited with code ${code}]\x1b[0m\r\n`);
        if (cause) {
            log.warn(`${this.label}: ${cause}`);
            this.write(`\x1b[33m${cause}\x1b[0m\r\n`);
        }
        this.exitEmitter.fire(code);
        this.end();
    }

    private end(): void {
        this.phase = 'ended';
        this.write(dim('Press any key to close this terminal.'));
    }

    private dispose(fire = true): void {
        this.phase = 'closed';
        if (fire) this.closeEmitter.fire();
        this.writeEmitter.dispose();
        this.closeEmitter.dispose();
        this.exitEmitter.dispose();
        this.failEmitter.dispose();
    }

    private write(text: string): void {
        if (text) this.writeEmitter.fire(text);
    }
}

function errorText(error: unknown): string {
    return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}
