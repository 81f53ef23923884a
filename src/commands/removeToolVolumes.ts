import * as vscode from 'vscode';
import { findTool } from '../tools/registry';
import type { CommandContext } from './commandContext';
import { pickFolder } from './pickFolder';

/**
 * Deletes a tool's volumes (its logins, settings and history, shared by all workspaces)
 * after a modal confirmation that names them. Nothing is deleted without it.
 */
export async function removeToolVolumes(
    context: CommandContext,
    toolId: string,
    folderArgument?: unknown,
): Promise<void> {
    const tool = findTool(toolId);
    const folder = await pickFolder(folderArgument);
    if (!folder) return;
    const core = context.cores.get(folder);

    const volumes = await core.toolVolumes(toolId);
    if (volumes.length === 0) {
        void vscode.window.showInformationMessage(`${tool.label} has no volumes to remove.`);
        return;
    }

    const confirm = volumes.length === 1 ? 'Remove Volume' : 'Remove Volumes';
    const answer = await vscode.window.showWarningMessage(
        `Remove ${tool.label}'s volumes ${volumes.join(', ')}?`,
        {
            modal: true,
            detail:
                `This deletes ${tool.label}'s logins, settings and history for every ` +
                'workspace. It cannot be undone.',
        },
        confirm,
    );
    if (answer !== confirm) return;

    const removed = await core.removeToolVolumes(toolId);
    void vscode.window.showInformationMessage(`Removed ${removed.join(', ')}.`);
}
