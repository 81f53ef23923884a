import * as vscode from 'vscode';
import type { ContainerInfo } from '../core';

/**
 * Says so when the container runs the previous image because the wanted one could not be
 * built or pulled; the cause is in the log, one click away.
 */
export function showImageWarning(
    info: ContainerInfo | undefined,
    output: vscode.LogOutputChannel,
): void {
    if (!info?.imageWarning) return;
    void vscode.window.showWarningMessage(info.imageWarning, 'Show Logs').then((choice) => {
        if (choice) output.show();
    });
}
