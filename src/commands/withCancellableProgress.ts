import * as vscode from 'vscode';
import type { ProgressReporter } from '../core';

/**
 * Runs a long step under a cancellable notification. The core reports one line per step
 * ("Building agent image… step 3/12"); cancelling aborts the signal the core listens to.
 */
export function withCancellableProgress<T>(
    title: string,
    task: (report: ProgressReporter, signal: AbortSignal) => Promise<T>,
): Thenable<T> {
    return vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title, cancellable: true },
        async (progress, token) => {
            const controller = new AbortController();
            const subscription = token.onCancellationRequested(() => controller.abort());
            try {
                return await task((line) => progress.report({ message: line }), controller.signal);
            } finally {
                subscription.dispose();
            }
        },
    );
}
