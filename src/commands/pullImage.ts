import * as vscode from 'vscode';
import type { CommandContext } from './commandContext';
import { pickFolder } from './pickFolder';
import { withCancellableProgress } from './withCancellableProgress';

/** Pulls the image named in the settings (image.source = pull). */
export async function pullImage(context: CommandContext, folderArgument?: unknown): Promise<void> {
    const folder = await pickFolder(folderArgument);
    if (!folder) return;
    const core = context.cores.get(folder);

    const image = await withCancellableProgress('Pulling agent image', (report, signal) =>
        core.pullImage(report, signal),
    );
    void vscode.window.showInformationMessage(`Pulled image ${image}.`);
}
