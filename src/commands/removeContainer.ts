import * as vscode from 'vscode';
import type { CommandContext } from './commandContext';
import { pickFolder } from './pickFolder';

/** Removes the folder's container after asking; the tool volumes are never touched. */
export async function removeContainer(
    context: CommandContext,
    folderArgument?: unknown,
): Promise<void> {
    const folder = await pickFolder(folderArgument);
    if (!folder) return;
    const core = context.cores.get(folder);

    const confirm = 'Remove Container';
    const answer = await vscode.window.showWarningMessage(
        `Remove the agent container of "${folder.name}"?`,
        {
            modal: true,
            detail:
                'Its open terminals end. Logins and settings in the tool volumes are kept; ' +
                'the next open makes a new container.',
        },
        confirm,
    );
    if (answer !== confirm) return;

    await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: 'Removing agent container' },
        () => core.remove(),
    );
}
