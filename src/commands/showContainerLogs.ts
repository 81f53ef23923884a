import * as vscode from 'vscode';
import type { CommandContext } from './commandContext';
import { pickFolder } from './pickFolder';

const TAIL_LINES = 2000;
let channel: vscode.OutputChannel | undefined;

/** Shows the last lines the container printed (its entrypoint's setup) in an output view. */
export async function showContainerLogs(
    context: CommandContext,
    folderArgument?: unknown,
): Promise<void> {
    const folder = await pickFolder(folderArgument);
    if (!folder) return;
    const core = context.cores.get(folder);

    const text = await core.logs({ tail: TAIL_LINES });
    channel ??= vscode.window.createOutputChannel('Agent Containers: Container Logs');
    // Output views do not draw terminal colours; the escape codes would only be noise.
    channel.replace(`# ${folder.name}\n${stripAnsi(text)}`);
    channel.show(true);
}

function stripAnsi(text: string): string {
    return text.replace(/\x1b\[[0-9;?]*[ -/]*[@-~]/g, '');
}
