import * as vscode from 'vscode';
import type { WorkspaceCores } from '../editor/workspaceCores';
import type { ContainerState, Core } from '../core';
import { folderState, unavailableReason } from './folderState';
import { presentStatus, type StatusState } from './presentation';
import { RefreshQueue } from './refreshQueue';

/**
 * One status bar item for the container of the folder the user works in (the active
 * editor's, else the first). It shows the states the core reports, which come from Docker's
 * event stream and the core's own work; it asks Docker itself only when it starts following
 * a folder and when the user comes back to a window where Docker was unavailable.
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
    /** Counts state events, so an older query's answer never overwrites a newer event. */
    private events = 0;

    constructor(private readonly cores: WorkspaceCores) {
        this.item.name = 'Agent Containers';
        this.show({ state: 'unknown' });
    }

    /** Starts following Docker; kept out of the constructor so activation stays offline. */
    follow(): void {
        this.subscriptions.push(
            vscode.window.onDidChangeActiveTextEditor(() => this.followActiveFolder()),
            this.cores.onDidChange(() => this.followActiveFolder(true)),
            // The core reconnects to the event stream at its own pace; look again as soon as
            // the user comes back to the window.
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
        this.events++;
        this.stateSubscription?.dispose();
        this.stateSubscription = undefined;

        if (!folder) {
            this.item.hide();
            return;
        }
        try {
            const core = this.cores.get(folder);
            this.stateSubscription = core.onStateChange((state) => this.onState(core, state));
        } catch {
            // Invalid settings: update() shows them as the item's state.
        }
        void this.queue.request();
    }

    private onState(core: Core, state: ContainerState): void {
        const seen = ++this.events;
        this.show({ state });
        if (state !== 'unavailable') return;
        void unavailableReason(core).then((problem) => {
            if (seen === this.events) this.show({ state, problem });
        });
    }

    private async update(): Promise<void> {
        const folder = this.folder;
        if (!folder) return;
        const seen = this.events;
        const { state, problem } = await folderState(this.cores, folder);
        // The user may have moved to another folder, or an event came, while Docker answered.
        if (folder === this.folder && seen === this.events) this.show({ state, problem });
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
        this.item.accessibilityInformation = { label: look.accessibilityLabel };
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
