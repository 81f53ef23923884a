import * as vscode from 'vscode';
import type { CommandContext } from './commandContext';
import { pickFolder } from './pickFolder';

/** Stops the folder's container; its terminals end, the container stays for next time. */
export async function stopContainer(
    context: CommandContext,
    folderArgument?: unknown,
): Promise<void> {
    const folder = await pickFolder(folderArgument);
    if (!folder) return;
    const core = context.cores.get(folder);

    await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: 'Stopping agent container' },
        () => core.stop(),
    );
}
