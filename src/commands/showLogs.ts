import type { CommandContext } from './commandContext';

/** Reveals the extension's own log. */
export async function showLogs(context: CommandContext): Promise<void> {
    context.output.show();
}
