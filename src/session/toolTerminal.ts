/**
 * A terminal bridged to a `docker exec` with a TTY, shaped like vscode.Pseudoterminal.
 */
import { Emitter } from './emitter';

export interface TerminalDimensions {
    readonly columns: number;
    readonly rows: number;
}

export interface ToolTerminalOptions {
    /** Extra variables for this session only (e.g. secrets); never put in the container. */
    readonly env?: Readonly<Record<string, string>>;
}

export class ToolTerminal {
    private readonly writeEmitter = new Emitter<string>();
    private readonly closeEmitter = new Emitter<number | void>();
    readonly onDidWrite = this.writeEmitter.event;
    readonly onDidClose = this.closeEmitter.event;
}
