/**
 * Turns a failed command's error into what the user sees: one line saying what failed and
 * what to do, and one or two buttons. Free of the editor API so each kind can be tested.
 */
import { SettingsError } from '../config/settings';
import { EngineError, type EngineAction } from '../docker/engineError';

export type FailureButton =
    | { readonly label: string; readonly kind: 'showLogs' }
    | { readonly label: string; readonly kind: 'openSettings'; readonly query: string }
    | { readonly label: string; readonly kind: 'openUrl'; readonly url: string };

export interface FailureMessage {
    readonly message: string;
    readonly buttons: readonly FailureButton[];
}

const SHOW_LOGS: FailureButton = { label: 'Show Logs', kind: 'showLogs' };
const MAX_LENGTH = 300;

const ENGINE_BUTTONS: Record<EngineAction, FailureButton> = {
    installDocker: {
        label: 'Install Docker',
        kind: 'openUrl',
        url: 'https://docs.docker.com/get-started/get-docker/',
    },
    startDocker: {
        label: 'Start Docker',
        kind: 'openUrl',
        url: 'https://docs.docker.com/engine/daemon/start/',
    },
    fixPermissions: {
        label: 'Fix Permissions',
        kind: 'openUrl',
        url: 'https://docs.docker.com/engine/install/linux-postinstall/',
    },
    updateDocker: {
        label: 'Update Docker',
        kind: 'openUrl',
        url: 'https://docs.docker.com/engine/install/',
    },
    showLogs: {
        label: 'Open Settings',
        kind: 'openSettings',
        query: 'agentContainers.docker.host',
    },
};

/** True for a user's cancellation, which commands end silently on. */
export function isCancellation(error: unknown): boolean {
    if (!(error instanceof Error)) return false;
    // AbortController gives AbortError; the editor's CancellationError is named 'Canceled'.
    return error.name === 'AbortError' || error.name === 'Canceled';
}

/** The toast for a failure of `title` (like "Open Claude"), or undefined when cancelled. */
export function describeFailure(title: string, error: unknown): FailureMessage | undefined {
    if (isCancellation(error)) return undefined;

    if (error instanceof EngineError) {
        return {
            message: oneLine(error.message),
            buttons: [ENGINE_BUTTONS[error.action], SHOW_LOGS],
        };
    }
    if (error instanceof SettingsError) {
        return {
            message: oneLine(`${title} failed: ${error.message}`),
            buttons: [
                { label: 'Open Settings', kind: 'openSettings', query: error.key },
                SHOW_LOGS,
            ],
        };
    }
    return { message: oneLine(`${title} failed: ${messageOf(error)}`), buttons: [SHOW_LOGS] };
}

/** The error's message followed by its causes, for the log. */
export function describeForLog(error: unknown): string {
    const parts: string[] = [];
    let current: unknown = error;
    for (let depth = 0; current !== undefined && current !== null && depth < 5; depth++) {
        parts.push(messageOf(current));
        current = current instanceof Error ? current.cause : undefined;
    }
    return parts.join('\n  caused by: ');
}

function messageOf(error: unknown): string {
    if (error instanceof Error) return error.message || error.name;
    return String(error);
}

// A toast is one line: the first line of the message, without trailing colons, shortened.
function oneLine(text: string): string {
    const first = text.split(/\r?\n/).find((line) => line.trim() !== '') ?? text;
    const line = first.trim().replace(/:$/, '');
    return line.length > MAX_LENGTH ? `${line.slice(0, MAX_LENGTH - 1)}…` : line;
}
