import * as vscode from 'vscode';
import type { CommandContext } from './commandContext';
import { pickFolder } from './pickFolder';

/** Restarts the folder's container; open terminals end and have to be opened again. */
export async function restartContainer(
    context: CommandContext,
    folderArgument?: unknown,
): Promise<void> {
    const folder = await pickFolder(folderArgument);
    if (!folder) return;
    const core = context.cores.get(folder);

    await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: 'Restarting agent container' },
        () => core.restart(),
    );
}
