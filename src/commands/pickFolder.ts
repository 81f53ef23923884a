import * as vscode from 'vscode';

/**
 * The workspace folder a command acts on: the one it was given (a URI or its string, from
 * the status bar or a menu), else the active editor's, else the only one, else the user's
 * choice. Undefined when there is none or the user dismissed the choice.
 */
export async function pickFolder(given?: unknown): Promise<vscode.WorkspaceFolder | undefined> {
    const fromArgument = folderOf(given);
    if (fromArgument) return fromArgument;

    const editor = vscode.window.activeTextEditor;
    const active = editor && vscode.workspace.getWorkspaceFolder(editor.document.uri);
    if (active) return active;

    const folders = vscode.workspace.workspaceFolders ?? [];
    if (folders.length <= 1) return folders[0];
    return vscode.window.showWorkspaceFolderPick({
        placeHolder: 'Workspace folder whose container to use',
    });
}

function folderOf(given: unknown): vscode.WorkspaceFolder | undefined {
    if (given instanceof vscode.Uri) return vscode.workspace.getWorkspaceFolder(given);
    if (typeof given === 'string' && given !== '') {
        return vscode.workspace.getWorkspaceFolder(vscode.Uri.parse(given));
    }
    return undefined;
}
