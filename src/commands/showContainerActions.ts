import * as vscode from 'vscode';
import { containerActions } from '../statusBar/containerActions';
import { folderState } from '../statusBar/folderState';
import type { CommandContext } from './commandContext';
import { pickFolder } from './pickFolder';

/** The status bar's menu: the actions that fit the container's state right now. */
export async function showContainerActions(
    context: CommandContext,
    folderArgument?: unknown,
): Promise<void> {
    const folder = await pickFolder(folderArgument);
    if (!folder) return;

    const { state, imageSource } = await folderState(context.cores, folder);
    const actions = containerActions(state, imageSource);
    const chosen = await vscode.window.showQuickPick(actions, {
        title: `Agent Containers · ${folder.name}`,
        placeHolder: 'Choose an action for this workspace container',
    });
    if (!chosen) return;

    const args = chosen.forFolder ? [folder.uri] : (chosen.args ?? []);
    await vscode.commands.executeCommand(chosen.command, ...args);
}
