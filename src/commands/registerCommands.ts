import * as vscode from 'vscode';
import { TOOLS } from '../tools/registry';
import { buildImage } from './buildImage';
import { clearCredential } from './clearCredential';
import type { CommandContext } from './commandContext';
import { exportComposeFile } from './exportComposeFile';
import { openShell } from './openShell';
import { openTool } from './openTool';
import { pullImage } from './pullImage';
import { rebuildImage } from './rebuildImage';
import { removeContainer } from './removeContainer';
import { removeToolVolumes } from './removeToolVolumes';
import { restartContainer } from './restartContainer';
import { runCommand } from './runCommand';
import { setCredential } from './setCredential';
import { showContainerActions } from './showContainerActions';
import { showContainerLogs } from './showContainerLogs';
import { showLogs } from './showLogs';
import { showSignInStatus } from './showSignInStatus';
import { signIn } from './signIn';
import { startContainer } from './startContainer';
import { stopContainer } from './stopContainer';

type Handler = (context: CommandContext, folder?: unknown) => Promise<void>;

/** Every command: id below `agentContainers.`, what a failure message calls it, handler. */
const COMMANDS: readonly (readonly [string, string, Handler])[] = [
    ...TOOLS.map((tool): [string, string, Handler] => [
        `open.${tool.id}`,
        `Open ${tool.label}`,
        (context, folder) => openTool(context, tool.id, folder),
    ]),
    ...TOOLS.map((tool): [string, string, Handler] => [
        `removeVolumes.${tool.id}`,
        `Remove ${tool.label} volumes`,
        (context, folder) => removeToolVolumes(context, tool.id, folder),
    ]),
    ...TOOLS.map((tool): [string, string, Handler] => [
        `setCredential.${tool.id}`,
        `Set ${tool.label} credential`,
        (context, folder) => setCredential(context, tool.id, folder),
    ]),
    ...TOOLS.map((tool): [string, string, Handler] => [
        `clearCredential.${tool.id}`,
        `Clear ${tool.label} credential`,
        (context, folder) => clearCredential(context, tool.id, folder),
    ]),
    ...TOOLS.map((tool): [string, string, Handler] => [
        `signIn.${tool.id}`,
        `Sign in to ${tool.label}`,
        (context, folder) => signIn(context, tool.id, folder),
    ]),
    ['showSignInStatus', 'Show sign-in status', showSignInStatus],
    ['openShell', 'Open shell', openShell],
    ['buildImage', 'Build image', (context, folder) => buildImage(context, false, folder)],
    ['rebuildImage', 'Rebuild image', rebuildImage],
    ['pullImage', 'Pull image', pullImage],
    ['startContainer', 'Start container', startContainer],
    ['stopContainer', 'Stop container', stopContainer],
    ['restartContainer', 'Restart container', restartContainer],
    ['removeContainer', 'Remove container', removeContainer],
    ['showContainerLogs', 'Show container logs', showContainerLogs],
    ['exportComposeFile', 'Export compose file', exportComposeFile],
    ['showLogs', 'Show logs', showLogs],
    ['showContainerActions', 'Container actions', showContainerActions],
];

/** The ids of all commands this registers, for checks against package.json. */
export const COMMAND_IDS = COMMANDS.map(([id]) => `agentContainers.${id}`);

/** Registers every command, each behind the one error wrapper. */
export function registerCommands(context: CommandContext): vscode.Disposable[] {
    return COMMANDS.map(([id, title, handler]) =>
        vscode.commands.registerCommand(
            `agentContainers.${id}`,
            runCommand(title, context.output, (folder?: unknown) => handler(context, folder)),
        ),
    );
}
