/**
 * The actions the status bar offers for each state: only those that can work in it, so a
 * stopped container offers Start and a running one Stop. Free of the editor API for tests.
 */
import { TOOLS } from '../tools/registry';
import type { StatusState } from './presentation';

export interface ContainerAction {
    /** Quick pick label, with a codicon. */
    readonly label: string;
    readonly description?: string;
    readonly command: string;
    /** Whether the command takes the folder as its argument. */
    readonly forFolder: boolean;
    /** Arguments when the command does not take the folder. */
    readonly args?: readonly unknown[];
}

const folderAction = (label: string, command: string, description?: string) => ({
    label,
    command: `agentContainers.${command}`,
    forFolder: true,
    description,
});

const openTools = (verb?: string): ContainerAction[] => [
    ...TOOLS.map((tool) => folderAction(`$(terminal) Open ${tool.label}`, `open.${tool.id}`, verb)),
    folderAction('$(terminal-bash) Open Shell', 'openShell', verb),
];

const showLogs: ContainerAction = {
    label: '$(output) Show Logs',
    command: 'agentContainers.showLogs',
    forFolder: false,
};

const openSettings: ContainerAction = {
    label: '$(gear) Open Settings',
    command: 'workbench.action.openSettings',
    forFolder: false,
    args: ['agentContainers'],
};

const exportCompose = folderAction('$(file-code) Export Compose File', 'exportComposeFile');
const removeContainer = folderAction(
    '$(trash) Remove Container',
    'removeContainer',
    'tool volumes are kept',
);
const containerLogs = folderAction('$(list-flat) Show Container Logs', 'showContainerLogs');

/** The actions that fit a state, most likely first. */
export function containerActions(
    state: StatusState,
    imageSource: 'build' | 'pull',
): ContainerAction[] {
    const prepareImage =
        imageSource === 'pull'
            ? folderAction('$(cloud-download) Pull Image', 'pullImage')
            : folderAction('$(package) Build Image', 'buildImage');

    switch (state) {
        case 'none':
            return [...openTools('creates the container'), prepareImage, exportCompose, showLogs];
        case 'running':
            return [
                ...openTools(),
                folderAction('$(debug-restart) Restart Container', 'restartContainer'),
                folderAction('$(debug-stop) Stop Container', 'stopContainer'),
                containerLogs,
                removeContainer,
                exportCompose,
                showLogs,
            ];
        case 'stopped':
            return [
                ...openTools('starts the container'),
                folderAction('$(debug-start) Start Container', 'startContainer'),
                containerLogs,
                removeContainer,
                exportCompose,
                showLogs,
            ];
        case 'building':
        case 'starting':
        case 'unknown':
            return [showLogs];
        case 'unavailable':
            return [showLogs, openSettings];
        case 'invalidSettings':
            return [openSettings, showLogs];
    }
}
