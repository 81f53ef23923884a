import * as vscode from 'vscode';
import { composeFile } from '../compose/composeFile';
import { containerUserIds, processHostIds, workspaceMountPath } from '../container/containerSpec';
import type { CommandContext } from './commandContext';
import { pickFolder } from './pickFolder';
import { withCancellableProgress } from './withCancellableProgress';

const FILE_NAME = 'docker-compose.agent.yml';

/**
 * Writes a Compose file that reproduces the folder's container (same image, IDs, mounts and
 * volumes), for running it without the editor. Asks before replacing an existing one.
 */
export async function exportComposeFile(
    context: CommandContext,
    folderArgument?: unknown,
): Promise<void> {
    const folder = await pickFolder(folderArgument);
    if (!folder) return;
    const core = context.cores.get(folder);

    // The file must name an image that exists, and its tag comes from the build inputs.
    const image = await withCancellableProgress('Preparing agent image', (report, signal) =>
        core.ensureImage(report, signal),
    );
    const ids = containerUserIds(core.settings, processHostIds());
    const text = composeFile({
        image,
        namespace: core.namespace,
        workspaceFolder: folder.uri.fsPath,
        workspaceMountPath: workspaceMountPath(core.settings, folder.uri.fsPath),
        uid: ids.uid,
        gid: ids.gid,
        environment: core.settings.container.environment,
    });

    const target = vscode.Uri.joinPath(folder.uri, FILE_NAME);
    if ((await exists(target)) && !(await confirmReplace(folder))) return;
    await vscode.workspace.fs.writeFile(target, Buffer.from(text, 'utf8'));
    await vscode.window.showTextDocument(target);
}

async function exists(uri: vscode.Uri): Promise<boolean> {
    try {
        await vscode.workspace.fs.stat(uri);
        return true;
    } catch {
        return false;
    }
}

async function confirmReplace(folder: vscode.WorkspaceFolder): Promise<boolean> {
    const replace = 'Replace';
    const answer = await vscode.window.showWarningMessage(
        `${FILE_NAME} already exists in "${folder.name}". Replace it?`,
        { modal: true },
        replace,
    );
    return answer === replace;
}
