/**
 * Drives a ToolTerminal the way the editor does (open, type, resize, close) and collects
 * what it writes, so tests can wait for text to appear.
 */
import type { ToolTerminal } from '../../src/session/toolTerminal';

export class TerminalDriver {
    output = '';
    exitCode: number | undefined;
    closed = false;
    failure: Error | undefined;

    constructor(readonly terminal: ToolTerminal) {
        terminal.onDidWrite((text) => (this.output += text));
        terminal.onDidExit((code) => (this.exitCode = code));
        terminal.onDidFail((error) => (this.failure = error));
        terminal.onDidClose(() => (this.closed = true));
    }

    open(columns: number, rows: number): this {
        this.terminal.open({ columns, rows });
        return this;
    }

    /** Output as plain lines: cursor moves become spaces, other sequences go, \r\n is \n. */
    get text(): string {
        return (
            this.output
                .replace(/\x1b\[(\d*)C/g, (_all, n: string) => ' '.repeat(Number(n || 1)))
                // A jump to a column stands for the blanks it skips; one space keeps words apart.
                .replace(/\x1b\[\d*G/g, ' ')
                .replace(/\x1b\][^\x07\x1b]*(\x07|\x1b\\)/g, '')
                .replace(/\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[()][A-Z0-9]|\x1b[=>78]/g, '')
                .replace(/\r+\n/g, '\n')
                .replace(/\r/g, '')
        );
    }

    /** Waits until `pattern` shows in the output (after `from` characters). */
    async waitFor(pattern: RegExp, timeoutMs = 60_000, from = 0): Promise<RegExpMatchArray> {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
            const match = this.text.slice(from).match(pattern);
            if (match) return match;
            if (this.failure) throw this.failure;
            if (Date.now() > deadline) {
                throw new Error(
                    `timed out waiting for ${pattern}; output:\n${this.text.slice(-2000)}`,
                );
            }
            await new Promise((resolve) => setTimeout(resolve, 50));
        }
    }

    async waitForExit(timeoutMs = 60_000): Promise<number> {
        const deadline = Date.now() + timeoutMs;
        while (this.exitCode === undefined) {
            if (this.failure) throw this.failure;
            if (Date.now() > deadline) {
                throw new Error(
                    `no exit within ${timeoutMs} ms; output:\n${this.text.slice(-2000)}`,
                );
            }
            await new Promise((resolve) => setTimeout(resolve, 50));
        }
        return this.exitCode;
    }

    type(text: string): void {
        this.terminal.handleInput(text);
    }
}
