import * as vscode from 'vscode';
import type { CommandContext } from './commandContext';
import { pickFolder } from './pickFolder';
import { withCancellableProgress } from './withCancellableProgress';

/** Builds the image from the bundled Dockerfile, from scratch when `noCache`. */
export async function buildImage(
    context: CommandContext,
    noCache: boolean,
    folderArgument?: unknown,
): Promise<void> {
    const folder = await pickFolder(folderArgument);
    if (!folder) return;
    const core = context.cores.get(folder);

    const title = noCache ? 'Rebuilding agent image without cache' : 'Building agent image';
    const image = await withCancellableProgress(title, (report, signal) =>
        core.buildImage(report, signal, { noCache }),
    );
    void vscode.window.showInformationMessage(`Built image ${image}.`);
}
