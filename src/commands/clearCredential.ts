import * as vscode from 'vscode';
import { removeInjectedCredential } from '../credentials/credentialInjection';
import { findTool } from '../tools/registry';
import type { CommandContext } from './commandContext';
import { credentialStore, helperReport, quietFolder } from './credentialCommandSupport';
import { withCancellableProgress } from './withCancellableProgress';

/**
 * "Clear <Tool> Credential": deletes it from the editor's secret storage and removes what
 * was injected into the tool's volume. The tool's own login and keys the user wrote into
 * its files themselves stay.
 */
export async function clearCredential(
    context: CommandContext,
    toolId: string,
    folderArgument?: unknown,
): Promise<void> {
    const tool = findTool(toolId);
    const previous = await credentialStore(context).delete(tool.id);
    const stored = previous ? 'Deleted the stored' : 'No stored';

    const folder = await quietFolder(folderArgument);
    const core = folder && context.cores.get(folder);
    if (!core || (await core.toolVolumes(tool.id)).length === 0) {
        void vscode.window.showInformationMessage(`${stored} ${tool.label} credential.`);
        return;
    }

    // The volume is reachable only through a running container.
    const title = `Clearing the ${tool.label} credential`;
    const said = await withCancellableProgress(title, async (report, signal) => {
        if ((await core.containerState()) !== 'running') await core.ensureContainer(report, signal);
        report(`Removing what was injected into ${tool.label}'s volume`);
        return removeInjectedCredential((...args) => core.exec(...args), tool, previous);
    });
    void vscode.window.showInformationMessage(
        `${stored} ${tool.label} credential; ${helperReport(said)}. ` +
            `${tool.label}'s own login is kept.`,
    );
}
