/**
 * Why the Docker engine could not be used, sorted into the cases a user can act on. The
 * editor turns `action` into a button; `message` is one line and never a stack trace.
 */
export type EngineFailure =
    'notInstalled' | 'notRunning' | 'permissionDenied' | 'apiTooOld' | 'hostKeyRefused' | 'other';

/** What the user can do about it; the editor layer maps each id to a button. */
export type EngineAction =
    'installDocker' | 'startDocker' | 'fixPermissions' | 'updateDocker' | 'showLogs';

/** The oldest Engine API this extension uses (Docker 20.10). */
export const MIN_API_VERSION = '1.41';

export class EngineError extends Error {
    constructor(
        readonly kind: EngineFailure,
        message: string,
        readonly action: EngineAction,
        readonly cause?: unknown,
    ) {
        super(message);
        this.name = 'EngineError';
    }
}
