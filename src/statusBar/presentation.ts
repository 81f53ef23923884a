/**
 * What the status bar item shows for each container state. Kept free of the editor API so
 * every state's text, colour and tooltip can be checked in plain unit tests.
 */
import type { ContainerState } from '../core';

/** The container state, or 'unknown' before Docker was asked, or 'invalidSettings'. */
export type StatusState = ContainerState | 'unknown' | 'invalidSettings';

export interface StatusView {
    readonly state: StatusState;
    /** Name of the workspace folder whose container is shown. */
    readonly folderName: string;
    /** The folder's URI as a string; tooltip links pass it so they act on this folder. */
    readonly folderUri: string;
    /** Why Docker is unavailable or the settings are invalid; one line. */
    readonly problem?: string;
}

export interface StatusPresentation {
    readonly text: string;
    /** 'warning' or 'error' for the item's background; none when all is well. */
    readonly background?: 'warning' | 'error';
    /** Markdown; may hold links to the commands in `commandLinks`. */
    readonly tooltip: string;
    /** Commands the tooltip links to; the editor must allow exactly these. */
    readonly commandLinks: readonly string[];
    /** Plain words for screen readers, which would read the tooltip's markdown aloud. */
    readonly accessibilityLabel: string;
}

interface StateLook {
    readonly icon: string;
    readonly label: string;
    readonly sentence: string;
    readonly background?: 'warning' | 'error';
    readonly links: readonly (readonly [string, string])[];
}

const SPIN = 'loading~spin';

const LOOKS: Record<StatusState, StateLook> = {
    unknown: {
        icon: SPIN,
        label: 'Agents',
        sentence: 'Checking the container…',
        links: [],
    },
    none: {
        icon: 'vm-outline',
        label: 'Agents: no container',
        sentence: 'No container yet. Opening a tool creates it.',
        links: [['agentContainers.showContainerActions', 'Open a tool']],
    },
    building: {
        icon: SPIN,
        label: 'Agents: building…',
        sentence: 'Building the image.',
        links: [['agentContainers.showLogs', 'Show build log']],
    },
    starting: {
        icon: SPIN,
        label: 'Agents: starting…',
        sentence: 'Starting the container.',
        links: [['agentContainers.showLogs', 'Show log']],
    },
    running: {
        icon: 'vm-running',
        label: 'Agents: running',
        sentence: 'The container is running.',
        links: [
            ['agentContainers.openShell', 'Open shell'],
            ['agentContainers.stopContainer', 'Stop'],
        ],
    },
    stopped: {
        icon: 'vm',
        label: 'Agents: stopped',
        sentence: 'The container is stopped. Opening a tool starts it again.',
        links: [['agentContainers.startContainer', 'Start']],
    },
    unavailable: {
        icon: 'warning',
        label: 'Agents: Docker unavailable',
        sentence: 'Docker cannot be reached.',
        background: 'warning',
        links: [['agentContainers.showLogs', 'Show log']],
    },
    invalidSettings: {
        icon: 'error',
        label: 'Agents: invalid settings',
        sentence: 'A setting is invalid.',
        background: 'error',
        links: [['workbench.action.openSettings', 'Open settings']],
    },
};

/** The look of the item for one state of one folder's container. */
export function presentStatus(view: StatusView): StatusPresentation {
    const look = LOOKS[view.state];
    const problem = view.problem ? `\n\n${escapeMarkdown(view.problem)}` : '';
    const links = look.links.map(
        ([command, title]) => `[${title}](${commandUri(command, linkArguments(command, view))})`,
    );
    const tooltip = [
        `**Agent Containers** · ${escapeMarkdown(view.folderName)}`,
        `${look.sentence}${problem}`,
        ...(links.length > 0 ? [links.join(' · ')] : []),
    ].join('\n\n');

    return {
        text: `$(${look.icon}) ${look.label}`,
        background: look.background,
        tooltip,
        commandLinks: look.links.map(([command]) => command),
        accessibilityLabel: [
            `Agent Containers, ${view.folderName}: ${look.sentence}`,
            ...(view.problem ? [view.problem] : []),
        ].join(' '),
    };
}

function linkArguments(command: string, view: StatusView): unknown[] {
    if (command === 'workbench.action.openSettings') return ['agentContainers'];
    return command === 'agentContainers.showLogs' ? [] : [view.folderUri];
}

function commandUri(command: string, args: unknown[]): string {
    if (args.length === 0) return `command:${command}`;
    return `command:${command}?${encodeURIComponent(JSON.stringify(args))}`;
}

function escapeMarkdown(text: string): string {
    return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
