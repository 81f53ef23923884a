/**
 * Wires the parts together. Activation makes no Docker connection: the cores connect on
 * first need, and the status bar starts following Docker only after activation returns.
 */
import * as vscode from 'vscode';
import { registerCommands } from './commands/registerCommands';
import { CredentialStore } from './credentials/credentialStore';
import { WorkspaceCores } from './editor/workspaceCores';
import { log, setLogger } from './log';
import { ContainerStatusBar } from './statusBar/containerStatusBar';

export function activate(context: vscode.ExtensionContext): void {
    const output = vscode.window.createOutputChannel('Agent Containers', { log: true });
    setLogger(output);
    const version = (context.extension.packageJSON as { version?: string }).version;
    log.info(`Agent Containers ${version} in VS Code ${vscode.version}`);

    const cores = new WorkspaceCores();
    const statusBar = new ContainerStatusBar(cores);
    const credentials = new CredentialStore(context.secrets);
    const commands = registerCommands({ cores, output, credentials });
    context.subscriptions.push(output, cores, statusBar, ...commands);

    const timer = setTimeout(() => statusBar.follow(), 0);
    context.subscriptions.push({ dispose: () => clearTimeout(timer) });
}

export function deactivate(): void {
    // Everything is disposed through the context's subscriptions.
}
