/**
 * One core per workspace folder, made on first need so activation never contacts Docker.
 * Settings are read again on every use; a change reaches the core before its next step.
 */
import * as vscode from 'vscode';
import { readSettings } from '../config/readSettings';
import { SETTINGS_SECTION, type Settings } from '../config/settings';
import type { Core } from '../core';
import { log } from '../log';
import { DEFAULT_NAMESPACE } from '../tools/registry';

export class WorkspaceCores implements vscode.Disposable {
    private readonly cores = new Map<string, { core: Core; settingsJson: string }>();
    private readonly changed = new vscode.EventEmitter<void>();
    private readonly subscriptions: vscode.Disposable[];

    /** Fires when settings, trust or folders change, so views can look again. */
    readonly onDidChange = this.changed.event;

    readonly namespace = process.env.AGENT_CONTAINERS_NAMESPACE || DEFAULT_NAMESPACE;

    constructor() {
        this.subscriptions = [
            this.changed,
            vscode.workspace.onDidChangeConfiguration((event) => {
                if (event.affectsConfiguration(SETTINGS_SECTION)) this.changed.fire();
            }),
            vscode.workspace.onDidGrantWorkspaceTrust(() => this.changed.fire()),
            vscode.workspace.onDidChangeWorkspaceFolders((event) => {
                for (const folder of event.removed) this.forget(folder);
                this.changed.fire();
            }),
        ];
    }

    /** The folder's settings, validated; throws SettingsError naming the bad key. */
    settings(folder: vscode.WorkspaceFolder): Settings {
        const configuration = vscode.workspace.getConfiguration(SETTINGS_SECTION, folder.uri);
        return readSettings(configuration, vscode.workspace.isTrusted);
    }

    /** The folder's core with its current settings. */
    get(folder: vscode.WorkspaceFolder): Core {
        const settings = this.settings(folder);
        const settingsJson = JSON.stringify(settings);
        const key = folder.uri.toString();
        const known = this.cores.get(key);
        if (known) {
            if (known.settingsJson !== settingsJson) {
                log.info(`settings of ${folder.name} changed: ${redacted(settings)}`);
                known.core.updateSettings(settings);
                known.settingsJson = settingsJson;
            }
            return known.core;
        }

        log.info(`settings of ${folder.name}: ${redacted(settings)}`);
        const core = loadCore().createCore({
            settings,
            namespace: this.namespace,
            workspaceFolder: folder.uri.fsPath,
        });
        this.cores.set(key, { core, settingsJson });
        return core;
    }

    private forget(folder: vscode.WorkspaceFolder): void {
        const key = folder.uri.toString();
        this.cores.get(key)?.core.dispose();
        this.cores.delete(key);
    }

    dispose(): void {
        for (const { core } of this.cores.values()) core.dispose();
        this.cores.clear();
        for (const subscription of this.subscriptions) subscription.dispose();
    }
}

// Environment values may hold tokens despite the setting's advice; the names are enough.
function redacted(settings: Settings): string {
    const environment = Object.fromEntries(
        Object.keys(settings.container.environment).map((name) => [name, '<redacted>']),
    );
    return JSON.stringify({ ...settings, container: { ...settings.container, environment } });
}

// The Docker client and its dependencies are most of the bundle's load time; requiring the
// core on first use (esbuild keeps such a require lazy) keeps them out of activation.
function loadCore(): typeof import('../core') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('../core');
}
