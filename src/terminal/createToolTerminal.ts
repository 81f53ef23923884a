import * as vscode from 'vscode';
import type { Core } from '../core';
import type { ToolTerminalOptions } from '../session/toolTerminal';

/**
 * Shows an editor terminal attached to the core's session for `target` (a tool id or
 * 'shell'). Each call makes its own exec, so several terminals can be open at once.
 */
export function createToolTerminal(
    core: Core,
    target: string,
    label: string,
    folder: vscode.WorkspaceFolder,
    options: ToolTerminalOptions = {},
): vscode.Terminal {
    const multiRoot = (vscode.workspace.workspaceFolders?.length ?? 0) > 1;
    const name = multiRoot ? `${label} (${folder.name})` : label;
    const pty: vscode.Pseudoterminal = core.openTerminal(target, options);
    const terminal = vscode.window.createTerminal({
        name,
        pty,
        iconPath: new vscode.ThemeIcon(target === 'shell' ? 'terminal-bash' : 'vm-running'),
    });
    terminal.show();
    return terminal;
}
