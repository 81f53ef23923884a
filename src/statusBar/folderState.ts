import type * as vscode from 'vscode';
import { SettingsError } from '../config/settings';
import type { Core } from '../core';
import { EngineError } from '../docker/engineError';
import type { WorkspaceCores } from '../editor/workspaceCores';
import { log } from '../log';
import type { StatusState } from './presentation';

export interface FolderState {
    readonly state: StatusState;
    readonly problem?: string;
    readonly imageSource: 'build' | 'pull';
}

/**
 * Asks Docker for the state of a folder's container. Failures that the status bar shows as a
 * state (Docker unreachable, invalid settings) become that state instead of an error.
 */
export async function folderState(
    cores: WorkspaceCores,
    folder: vscode.WorkspaceFolder,
): Promise<FolderState> {
    let imageSource: 'build' | 'pull' = 'build';
    try {
        const core = cores.get(folder);
        imageSource = core.settings.image.source;
        const state = await core.containerState();
        const problem = state === 'unavailable' ? await unavailableReason(core) : undefined;
        return { state, problem, imageSource };
    } catch (error) {
        if (error instanceof SettingsError) {
            return { state: 'invalidSettings', problem: error.message, imageSource };
        }
        log.warn(`could not read the container state of ${folder.name}: ${String(error)}`);
        return { state: 'unavailable', problem: String(error), imageSource };
    }
}

/** Why the engine cannot be used, in one line; the state alone does not say. */
export async function unavailableReason(core: Core): Promise<string | undefined> {
    try {
        await core.checkEngine();
        return undefined;
    } catch (error) {
        return error instanceof EngineError ? error.message : String(error);
    }
}
