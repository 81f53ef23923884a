import * as vscode from 'vscode';
import { injectCredential } from '../credentials/credentialInjection';
import { credentialValues, fieldProblem } from '../credentials/credentialValues';
import { findTool, type CredentialKind, type ToolDefinition } from '../tools/registry';
import type { CommandContext } from './commandContext';
import { credentialStore, quietFolder } from './credentialCommandSupport';

/**
 * "Set <Tool> Credential…": the user picks a kind, types its values (secrets hidden), and
 * they go to the editor's secret storage. A running container gets them right away;
 * otherwise the tool gets them when it next opens.
 */
export async function setCredential(
    context: CommandContext,
    toolId: string,
    folderArgument?: unknown,
): Promise<void> {
    const tool = findTool(toolId);
    const store = credentialStore(context);
    const kind = await pickKind(tool);
    if (!kind) return;

    const entered: Record<string, string> = {};
    for (const field of kind.fields) {
        const value = await vscode.window.showInputBox({
            title: `Set ${tool.label} Credential: ${kind.label}`,
            prompt: field.prompt,
            placeHolder: field.placeholder,
            password: field.secret,
            ignoreFocusOut: true,
            validateInput: (text) => fieldProblem(field, text),
        });
        if (value === undefined) return;
        entered[field.name] = value;
    }
    const credential = await store.set(tool.id, kind.id, credentialValues(kind, entered));

    const folder = await quietFolder(folderArgument);
    const core = folder && context.cores.get(folder);
    if (core && (await core.containerState()) === 'running') {
        try {
            await injectCredential((...args) => core.exec(...args), tool, credential);
        } catch (error) {
            const reason = error instanceof Error ? error.message : String(error);
            throw new Error(
                `Stored the credential, but it is not in ${tool.label}'s files: ${reason}`,
            );
        }
        void vscode.window.showInformationMessage(
            `Stored the ${tool.label} credential (${kind.label}) and passed it to the container; ` +
                `${tool.label} sessions opened from now on use it.`,
        );
        return;
    }
    void vscode.window.showInformationMessage(
        `Stored the ${tool.label} credential (${kind.label}); ${tool.label} gets it when it ` +
            'next opens in a container.',
    );
}

async function pickKind(tool: ToolDefinition): Promise<CredentialKind | undefined> {
    const kinds = tool.credentials.kinds;
    if (kinds.length === 1) return kinds[0];
    const picked = await vscode.window.showQuickPick(
        kinds.map((choice) => ({ label: choice.label, detail: choice.detail, choice })),
        { title: `Set ${tool.label} Credential`, placeHolder: 'Kind of credential' },
    );
    return picked?.choice;
}
