import * as vscode from 'vscode';
import { describeSignInStatus, readVolumeStates } from '../credentials/signInStatus';
import type { ToolVolumeState } from '../credentials/signInStatus';
import { log } from '../log';
import { TOOLS } from '../tools/registry';
import type { CommandContext } from './commandContext';
import { quietFolder } from './credentialCommandSupport';

/**
 * "Show Sign-in Status": per tool, whether a credential is stored, whether it is injected,
 * and whether the tool has its own login in its volume, as a list that leads on to the
 * sign-in and credential commands. Never shows a secret.
 */
export async function showSignInStatus(
    context: CommandContext,
    folderArgument?: unknown,
): Promise<void> {
    const folder = await quietFolder(folderArgument);
    const core = folder && context.cores.get(folder);
    // Starting a container only to look would be a surprise; a stopped one is not read.
    let volumes: Record<string, ToolVolumeState> | undefined;
    if (core && (await core.containerState()) === 'running') {
        try {
            volumes = await readVolumeStates((...args) => core.exec(...args));
        } catch (error) {
            // What is stored in the editor is still worth showing.
            const state = { error: error instanceof Error ? error.message : String(error) };
            log.warn(state.error);
            volumes = Object.fromEntries(TOOLS.map((tool) => [tool.id, state]));
        }
    }

    const items = [];
    for (const tool of TOOLS) {
        const stored = await context.credentials?.get(tool.id);
        const status = describeSignInStatus(tool, stored, volumes?.[tool.id]);
        log.info(
            `Sign-in status of ${tool.label}: ${status.summary}. ${status.details.join('; ')}`,
        );
        items.push({
            label: tool.label,
            description: status.summary,
            detail: status.details.join(' · '),
            tool,
        });
    }
    const picked = await vscode.window.showQuickPick(items, {
        title: 'Sign-in Status',
        placeHolder: 'Pick a tool to sign in or to set or clear its credential',
        matchOnDescription: true,
    });
    if (!picked) return;

    const { id, label } = picked.tool;
    const action = await vscode.window.showQuickPick(
        [
            { label: `Sign In to ${label}…`, command: `signIn.${id}` },
            { label: `Set ${label} Credential…`, command: `setCredential.${id}` },
            { label: `Clear ${label} Credential`, command: `clearCredential.${id}` },
        ],
        { title: label },
    );
    if (action) {
        await vscode.commands.executeCommand(`agentContainers.${action.command}`, folder?.uri);
    }
}
