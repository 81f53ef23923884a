import * as vscode from 'vscode';
import type { Core, ProgressReporter } from '../core';
import { injectCredential, sessionEnvironment } from '../credentials/credentialInjection';
import { log } from '../log';
import { TOOLS } from '../tools/registry';
import type { CommandContext } from './commandContext';

/**
 * Hands the tool's stored credential over before its session starts, and gives back the
 * variables the session gets. A credential that cannot be written into the tool's files
 * (a settings file that does not parse, say) is a warning: the session still opens.
 */
export async function sessionCredentials(
    context: CommandContext,
    core: Core,
    target: string,
    report: ProgressReporter,
): Promise<Record<string, string>> {
    const tool = TOOLS.find((t) => t.id === target);
    if (!tool || !context.credentials) return {};
    const credential = await context.credentials.get(tool.id);
    if (!credential) return {};

    report(`Passing the stored ${tool.label} credential`);
    try {
        const said = await injectCredential((...args) => core.exec(...args), tool, credential);
        log.info(`${tool.label} credential: ${said}`);
    } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        log.warn(message);
        void vscode.window.showWarningMessage(message, 'Show Logs').then((answer) => {
            if (answer) context.output.show();
        });
    }
    return sessionEnvironment(tool, credential);
}
