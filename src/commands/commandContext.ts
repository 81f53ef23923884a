import type * as vscode from 'vscode';
import type { CredentialStore } from '../credentials/credentialStore';
import type { WorkspaceCores } from '../editor/workspaceCores';

/** What every command can use; made once at activation. */
export interface CommandContext {
    readonly cores: WorkspaceCores;
    readonly output: vscode.LogOutputChannel;
    /** The tools' credentials in the editor's secret storage; absent in some tests. */
    readonly credentials?: CredentialStore;
}
