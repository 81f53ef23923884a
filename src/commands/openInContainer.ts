import { createToolTerminal } from '../terminal/createToolTerminal';
import { log } from '../log';
import type { CommandContext } from './commandContext';
import { pickFolder } from './pickFolder';
import { sessionCredentials } from './sessionCredentials';
import { showImageWarning } from './imageWarning';
import { withCancellableProgress } from './withCancellableProgress';

/**
 * Opens a terminal on `target` (a tool id or 'shell') in the container of the chosen
 * folder. The image build and the container start run first, under a cancellable
 * notification, so the terminal opens onto a ready container.
 */
export async function openInContainer(
    context: CommandContext,
    target: string,
    label: string,
    folderArgument?: unknown,
): Promise<void> {
    const folder = await pickFolder(folderArgument);
    if (!folder) return;
    const core = context.cores.get(folder);

    const title = `Opening ${label} in container`;
    const env = await withCancellableProgress(title, async (report, signal) => {
        await core.ensureImage(report, signal);
        showImageWarning(await core.ensureContainer(report, signal), context.output);
        return sessionCredentials(context, core, target, report);
    });

    log.info(`opening ${label} in the container of ${folder.name}`);
    createToolTerminal(core, target, label, folder, { env });
}
