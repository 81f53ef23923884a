import * as vscode from 'vscode';
import { log } from '../log';
import { describeFailure, describeForLog, type FailureButton } from './describeFailure';

/**
 * Wraps a command so every failure is handled the same way: the log gets the error with its
 * causes, the user gets one line and a button or two, and a cancellation passes silently.
 */
export function runCommand<A extends unknown[]>(
    title: string,
    output: vscode.LogOutputChannel,
    command: (...args: A) => Promise<unknown>,
): (...args: A) => Promise<void> {
    return async (...args: A) => {
        try {
            await command(...args);
        } catch (error) {
            const failure = describeFailure(title, error);
            if (!failure) {
                log.info(`${title}: cancelled`);
                return;
            }
            log.error(`${title} failed: ${describeForLog(error)}`);
            if (error instanceof Error && error.stack) log.debug(error.stack);

            const labels = failure.buttons.map((button) => button.label);
            const chosen = await vscode.window.showErrorMessage(failure.message, ...labels);
            const button = failure.buttons.find((b) => b.label === chosen);
            if (button) await press(button, output);
        }
    };
}

async function press(button: FailureButton, output: vscode.LogOutputChannel): Promise<void> {
    switch (button.kind) {
        case 'showLogs':
            output.show();
            return;
        case 'openSettings':
            await vscode.commands.executeCommand('workbench.action.openSettings', button.query);
            return;
        case 'openUrl':
            await vscode.env.openExternal(vscode.Uri.parse(button.url));
            return;
    }
}
