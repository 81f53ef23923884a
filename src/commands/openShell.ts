import type { CommandContext } from './commandContext';
import { openInContainer } from './openInContainer';

/** A bash prompt in the container, as the same user the tools run as. */
export function openShell(context: CommandContext, folder?: unknown): Promise<void> {
    return openInContainer(context, 'shell', 'Container Shell', folder);
}
