import type * as vscode from 'vscode';
import type { WorkspaceCores } from '../editor/workspaceCores';

/** What every command can use; made once at activation. */
export interface CommandContext {
    readonly cores: WorkspaceCores;
    readonly output: vscode.LogOutputChannel;
}
