import * as vscode from 'vscode';
import type { CredentialStore } from '../credentials/credentialStore';
import type { CommandContext } from './commandContext';
import { pickFolder } from './pickFolder';

/** The secret storage behind the credential commands. */
export function credentialStore(context: CommandContext): CredentialStore {
    if (!context.credentials) throw new Error('The editor gave no secret storage.');
    return context.credentials;
}

/**
 * The folder a credential command also acts on, without asking: credentials belong to the
 * user, not a folder, so in a multi-root window without an active folder there is none.
 */
export async function quietFolder(given?: unknown): Promise<vscode.WorkspaceFolder | undefined> {
    const count = vscode.workspace.workspaceFolders?.length ?? 0;
    const editor = vscode.window.activeTextEditor;
    const active = editor && vscode.workspace.getWorkspaceFolder(editor.document.uri);
    if (given === undefined && count > 1 && !active) return undefined;
    return pickFolder(given);
}

/** The helper's report without its "agent-config: " prefix. */
export function helperReport(said: string): string {
    return said.replace(/^agent-config:\s*/, '');
}
