/**
 * A small stand-in for the `vscode` module, so the editor layer loads in plain node. It
 * records what the code asks of the editor (messages, commands, items) and answers with
 * what a test sets up. Importing this file installs it; import it before editor modules.
 */
import Module from 'node:module';

type Listener<T> = (value: T) => unknown;

export class EventEmitter<T> {
    private listeners = new Set<Listener<T>>();
    readonly event = (listener: Listener<T>) => {
        this.listeners.add(listener);
        return { dispose: () => this.listeners.delete(listener) };
    };
    fire(value: T): void {
        for (const listener of [...this.listeners]) listener(value);
    }
    dispose(): void {
        this.listeners.clear();
    }
}

export class Uri {
    private constructor(
        readonly scheme: string,
        readonly path: string,
    ) {}
    static file(path: string): Uri {
        return new Uri('file', path);
    }
    static parse(text: string): Uri {
        const match = /^([a-z][\w+.-]*):(?:\/\/)?(.*)$/i.exec(text);
        return match ? new Uri(match[1], decodeURIComponent(match[2])) : new Uri('file', text);
    }
    static joinPath(base: Uri, ...parts: string[]): Uri {
        return new Uri(base.scheme, [base.path, ...parts].join('/'));
    }
    get fsPath(): string {
        return this.path;
    }
    toString(): string {
        return this.scheme === 'file'
            ? `file://${encodeURI(this.path)}`
            : `${this.scheme}://${this.path}`;
    }
}

export class ThemeColor {
    constructor(readonly id: string) {}
}
export class ThemeIcon {
    constructor(readonly id: string) {}
}
export class MarkdownString {
    isTrusted: unknown;
    constructor(readonly value: string) {}
}

export interface LogLine {
    readonly level: string;
    readonly message: string;
}

export interface FakeChannel {
    readonly name: string;
    readonly lines: LogLine[];
    shown: number;
}

export interface FakeStatusBarItem {
    text: string;
    tooltip: unknown;
    backgroundColor: ThemeColor | undefined;
    command: unknown;
    name: string;
    visible: boolean;
}

export interface QuickPickItem {
    readonly label: string;
    readonly description?: string;
    readonly detail?: string;
}

interface InputBoxOptions {
    readonly prompt?: string;
    readonly password?: boolean;
    readonly validateInput?: (value: string) => string | undefined | null;
}

export interface WorkspaceFolder {
    readonly uri: Uri;
    readonly name: string;
    readonly index: number;
}

/** What the code did, and the answers it gets; reset between tests. */
export const fake = {
    errors: [] as { message: string; items: string[] }[],
    warnings: [] as { message: string; items: unknown[] }[],
    infos: [] as string[],
    /** Answers of the next message boxes, in order; undefined = dismissed. */
    answers: [] as (string | undefined)[],
    executed: [] as { command: string; args: unknown[] }[],
    opened: [] as string[],
    channels: [] as FakeChannel[],
    statusItems: [] as FakeStatusBarItem[],
    /** Each terminal made; `dispose()` closes it as the user would. */
    terminals: [] as { name: string; pty: unknown; dispose?: () => void }[],
    /** Each progress shown; `cancel()` acts as the user pressing Cancel. */
    progress: [] as { title: string; messages: string[]; cancel: () => void }[],
    commands: new Map<string, (...args: unknown[]) => unknown>(),
    folders: [] as WorkspaceFolder[],
    /** Files written through workspace.fs, by path. */
    files: new Map<string, string>(),
    shownDocuments: [] as string[],
    /** Each quick pick shown: its items (labels, descriptions, details) and title. */
    quickPicks: [] as { title?: string; items: QuickPickItem[] }[],
    /** Labels to pick in the next quick picks, in order; undefined = dismissed. */
    pickAnswers: [] as (string | undefined)[],
    /** Each input box shown, with the problem its validation found in the answer. */
    inputBoxes: [] as { prompt?: string; password?: boolean; problem?: string }[],
    /** Answers of the next input boxes, in order; undefined = dismissed. */
    inputAnswers: [] as (string | undefined)[],
    trusted: true,
    /** Values by section-less key: { value, globalValue, workspaceValue }. */
    configuration: new Map<
        string,
        { value?: unknown; globalValue?: unknown; workspaceValue?: unknown }
    >(),
    reset(): void {
        const lists: unknown[][] = [this.errors, this.warnings, this.infos, this.answers];
        lists.push(this.executed, this.opened, this.channels, this.statusItems, this.terminals);
        lists.push(this.folders, this.progress, this.shownDocuments);
        lists.push(this.quickPicks, this.pickAnswers, this.inputBoxes, this.inputAnswers);
        this.files.clear();
        for (const list of lists) list.length = 0;
        this.commands.clear();
        this.configuration.clear();
        this.trusted = true;
    },
};

const noEvent = () => ({ dispose: () => undefined });
const terminalClosed = new EventEmitter<unknown>();

function createChannel(name: string) {
    const channel: FakeChannel = { name, lines: [], shown: 0 };
    const write = (level: string) => (message: string | Error) =>
        channel.lines.push({
            level,
            message: message instanceof Error ? message.message : message,
        });
    fake.channels.push(channel);
    return Object.assign(channel, {
        trace: write('trace'),
        debug: write('debug'),
        info: write('info'),
        warn: write('warn'),
        error: write('error'),
        append: write('append'),
        appendLine: write('append'),
        replace: (text: string) =>
            channel.lines.splice(0, Infinity, { level: 'replace', message: text }),
        clear: () => (channel.lines.length = 0),
        show: () => channel.shown++,
        hide: () => undefined,
        dispose: () => undefined,
        onDidChangeLogLevel: noEvent,
        logLevel: 2,
    });
}

const vscode = {
    version: '1.90.0',
    EventEmitter,
    Uri,
    ThemeColor,
    ThemeIcon,
    MarkdownString,
    StatusBarAlignment: { Left: 1, Right: 2 },
    ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
    window: {
        activeTextEditor: undefined,
        createOutputChannel: (name: string) => createChannel(name),
        createStatusBarItem: () => {
            const item: FakeStatusBarItem = {
                text: '',
                tooltip: undefined,
                backgroundColor: undefined,
                command: undefined,
                name: '',
                visible: false,
            };
            fake.statusItems.push(item);
            return Object.assign(item, {
                show: () => (item.visible = true),
                hide: () => (item.visible = false),
                dispose: () => (item.visible = false),
            });
        },
        showErrorMessage: async (message: string, ...items: string[]) => {
            fake.errors.push({ message, items });
            return fake.answers.shift();
        },
        showWarningMessage: async (message: string, ...items: unknown[]) => {
            fake.warnings.push({ message, items });
            return fake.answers.shift();
        },
        showInformationMessage: async (message: string) => {
            fake.infos.push(message);
            return undefined;
        },
        withProgress: async (
            options: { title?: string },
            task: (progress: unknown, token: unknown) => Promise<unknown>,
        ) => {
            const cancel = new EventEmitter<void>();
            const run = {
                title: options.title ?? '',
                messages: [] as string[],
                cancel: () => cancel.fire(),
            };
            fake.progress.push(run);
            const report = ({ message }: { message?: string }) =>
                message && run.messages.push(message);
            return task(
                { report },
                { isCancellationRequested: false, onCancellationRequested: cancel.event },
            );
        },
        createTerminal: (options: { name: string; pty: unknown }) => {
            const terminal = {
                show: () => undefined,
                dispose: () => terminalClosed.fire(terminal),
            };
            fake.terminals.push({ ...options, dispose: terminal.dispose });
            return terminal;
        },
        onDidCloseTerminal: (listener: (terminal: unknown) => unknown) =>
            terminalClosed.event(listener),
        showQuickPick: async (items: QuickPickItem[], options?: { title?: string }) => {
            fake.quickPicks.push({ title: options?.title, items });
            const answer = fake.pickAnswers.shift();
            return items.find((item) => item.label === answer);
        },
        showInputBox: async (options: InputBoxOptions = {}) => {
            const answer = fake.inputAnswers.shift();
            const problem = answer === undefined ? undefined : options.validateInput?.(answer);
            fake.inputBoxes.push({
                prompt: options.prompt,
                password: options.password,
                problem: problem ?? undefined,
            });
            // The editor keeps the box open on a problem; here that ends as a dismissal.
            return problem ? undefined : answer;
        },
        showTextDocument: async (uri: Uri) => {
            fake.shownDocuments.push(uri.path);
        },
        showWorkspaceFolderPick: async () => undefined,
        onDidChangeActiveTextEditor: noEvent,
        onDidChangeWindowState: noEvent,
    },
    commands: {
        registerCommand: (id: string, handler: (...args: unknown[]) => unknown) => {
            fake.commands.set(id, handler);
            return { dispose: () => fake.commands.delete(id) };
        },
        executeCommand: async (command: string, ...args: unknown[]) => {
            fake.executed.push({ command, args });
            return fake.commands.get(command)?.(...args);
        },
    },
    workspace: {
        get workspaceFolders() {
            return fake.folders.length > 0 ? fake.folders : undefined;
        },
        get isTrusted() {
            return fake.trusted;
        },
        getWorkspaceFolder: (uri: Uri) =>
            fake.folders.find(
                (f) => uri.path === f.uri.path || uri.path.startsWith(`${f.uri.path}/`),
            ),
        getConfiguration: () => ({
            get: (key: string) => fake.configuration.get(key)?.value,
            inspect: (key: string) => {
                const entry = fake.configuration.get(key);
                return (
                    entry && {
                        key,
                        globalValue: entry.globalValue,
                        workspaceValue: entry.workspaceValue,
                    }
                );
            },
        }),
        fs: {
            stat: async (uri: Uri) => {
                if (!fake.files.has(uri.path)) throw new Error(`ENOENT ${uri.path}`);
                return { type: 1 };
            },
            writeFile: async (uri: Uri, content: Uint8Array) => {
                fake.files.set(uri.path, Buffer.from(content).toString('utf8'));
            },
        },
        onDidChangeConfiguration: noEvent,
        onDidGrantWorkspaceTrust: noEvent,
        onDidChangeWorkspaceFolders: noEvent,
    },
    env: {
        openExternal: async (uri: Uri) => {
            fake.opened.push(uri.toString());
            return true;
        },
    },
};

// Resolve `require('vscode')` to the object above, from sources and from the bundle alike.
const loader = Module as unknown as {
    _resolveFilename: (request: string, ...rest: unknown[]) => string;
    _cache: Record<string, unknown>;
};
const resolve = loader._resolveFilename;
loader._resolveFilename = function (request: string, ...rest: unknown[]) {
    return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest);
};
loader._cache['vscode'] = { id: 'vscode', filename: 'vscode', loaded: true, exports: vscode };

/** Adds a workspace folder at `path`. */
export function addFolder(path: string, name = path.split('/').pop() ?? path): WorkspaceFolder {
    const folder = { uri: Uri.file(path), name, index: fake.folders.length };
    fake.folders.push(folder);
    return folder;
}
