import * as vscode from 'vscode';
import type { WorkspaceCores } from '../editor/workspaceCores';
import { folderState } from './folderState';
import { presentStatus, type StatusState } from './presentation';
import { RefreshQueue } from './refreshQueue';

/**
 * One status bar item for the container of the folder the user works in (the active
 * editor's, else the first). It follows the core's state events, which come from Docker's
 * event stream and the core's own work, and asks Docker again only when told something
 * changed.
 */
export class ContainerStatusBar implements vscode.Disposable {
    private readonly item = vscode.window.createStatusBarItem(
        'agentContainers.container',
        vscode.StatusBarAlignment.Left,
        50,
    );
    private readonly queue = new RefreshQueue(() => this.update());
    private readonly subscriptions: vscode.Disposable[] = [];
    private folder: vscode.WorkspaceFolder | undefined;
    private stateSubscription: { dispose(): void } | undefined;
    private state: StatusState = 'unknown';

    constructor(private readonly cores: WorkspaceCores) {
        this.item.name = 'Agent Containers';
        this.show({ state: 'unknown' });
    }

    /** Starts following Docker; kept out of the constructor so activation stays offline. */
    follow(): void {
        this.subscriptions.push(
            vscode.window.onDidChangeActiveTextEditor(() => this.followActiveFolder()),
            this.cores.onDidChange(() => this.followActiveFolder(true)),
            // Docker sends no event when it comes back, so look again when the user returns.
            vscode.window.onDidChangeWindowState((window) => {
                if (window.focused && this.state === 'unavailable') void this.queue.request();
            }),
        );
        this.followActiveFolder(true);
    }

    private followActiveFolder(force = false): void {
        const folder = activeFolder();
        if (!force && folder?.uri.toString() === this.folder?.uri.toString()) return;
        this.folder = folder;
        this.stateSubscription?.dispose();
        this.stateSubscription = undefined;

        if (!folder) {
            this.item.hide();
            return;
        }
        try {
            const core = this.cores.get(folder);
            this.stateSubscription = core.onStateChange(() => void this.queue.request());
        } catch {
            // Invalid settings: update() shows them as the item's state.
        }
        void this.queue.request();
    }

    private async update(): Promise<void> {
        const folder = this.folder;
        if (!folder) return;
        const { state, problem } = await folderState(this.cores, folder);
        // The user may have moved to another folder while Docker answered.
        if (folder === this.folder) this.show({ state, problem });
    }

    private show({ state, problem }: { state: StatusState; problem?: string }): void {
        this.state = state;
        const folder = this.folder ?? activeFolder();
        if (!folder) {
            this.item.hide();
            return;
        }
        const look = presentStatus({
            state,
            problem,
            folderName: folder.name,
            folderUri: folder.uri.toString(),
        });
        const tooltip = new vscode.MarkdownString(look.tooltip);
        tooltip.isTrusted = { enabledCommands: [...look.commandLinks] };

        this.item.text = look.text;
        this.item.tooltip = tooltip;
        this.item.backgroundColor = look.background
            ? new vscode.ThemeColor(`statusBarItem.${look.background}Background`)
            : undefined;
        this.item.command = {
            title: 'Container Actions',
            command: 'agentContainers.showContainerActions',
            arguments: [folder.uri],
        };
        this.item.show();
    }

    dispose(): void {
        this.stateSubscription?.dispose();
        for (const subscription of this.subscriptions) subscription.dispose();
        this.item.dispose();
    }
}

function activeFolder(): vscode.WorkspaceFolder | undefined {
    const editor = vscode.window.activeTextEditor;
    const fromEditor = editor && vscode.workspace.getWorkspaceFolder(editor.document.uri);
    return fromEditor ?? vscode.workspace.workspaceFolders?.[0];
}
