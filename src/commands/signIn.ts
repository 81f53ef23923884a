import * as vscode from 'vscode';
import { forwardLoginPort, type PortForward } from '../credentials/loginPortForward';
import { log } from '../log';
import { createToolTerminal } from '../terminal/createToolTerminal';
import { findTool, type SignInMethod, type ToolDefinition } from '../tools/registry';
import type { CommandContext } from './commandContext';
import { pickFolder } from './pickFolder';
import { withCancellableProgress } from './withCancellableProgress';

/**
 * "Sign In to <Tool>…": runs the tool's own login in a container terminal. Each method
 * works without a browser in the container (a URL to open anywhere, a code to paste
 * back); the login lands in the tool's volume and survives rebuilds.
 */
export async function signIn(
    context: CommandContext,
    toolId: string,
    folderArgument?: unknown,
): Promise<void> {
    const tool = findTool(toolId);
    const method = await pickMethod(tool);
    if (!method) return;
    const folder = await pickFolder(folderArgument);
    if (!folder) return;
    const core = context.cores.get(folder);

    await withCancellableProgress(`Signing in to ${tool.label}`, async (report, signal) => {
        await core.ensureImage(report, signal);
        await core.ensureContainer(report, signal);
    });
    let forward: PortForward | undefined;
    if (method.forwardPort !== undefined) {
        forward = await forwardLoginPort((argv) => core.execStream(argv), method.forwardPort);
    }
    log.info(`${tool.label}: sign-in with ${method.argv.join(' ')}`);
    const label = `${tool.label} Sign-in`;
    const terminal = createToolTerminal(core, tool.id, label, folder, { argv: method.argv });
    if (forward) stopWithTerminal(terminal, forward);

    const stored = await context.credentials?.get(tool.id);
    if (stored && tool.credentials.sessionEnvironment) {
        void vscode.window.showInformationMessage(
            `A stored ${tool.label} credential is also passed to ${tool.label}'s sessions; ` +
                `use "Clear ${tool.label} Credential" to rely on this login alone.`,
        );
    }
}

/** The relay lives as long as the login's terminal, and at most a quarter of an hour. */
function stopWithTerminal(terminal: vscode.Terminal, forward: PortForward): void {
    const stop = () => {
        clearTimeout(timer);
        subscription.dispose();
        forward.dispose();
    };
    const timer = setTimeout(stop, 15 * 60_000);
    const subscription = vscode.window.onDidCloseTerminal((closed) => {
        if (closed === terminal) stop();
    });
}

async function pickMethod(tool: ToolDefinition): Promise<SignInMethod | undefined> {
    const methods = tool.credentials.signIn;
    if (methods.length === 1) return methods[0];
    const picked = await vscode.window.showQuickPick(
        methods.map((method, index) => ({
            label: method.label,
            description: index === 0 ? 'default' : undefined,
            detail: method.detail,
            method,
        })),
        { title: `Sign In to ${tool.label}` },
    );
    return picked?.method;
}
