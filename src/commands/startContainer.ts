import type { CommandContext } from './commandContext';
import { pickFolder } from './pickFolder';
import { showImageWarning } from './imageWarning';
import { withCancellableProgress } from './withCancellableProgress';

/** Starts the folder's container, making the image and the container first if needed. */
export async function startContainer(
    context: CommandContext,
    folderArgument?: unknown,
): Promise<void> {
    const folder = await pickFolder(folderArgument);
    if (!folder) return;
    const core = context.cores.get(folder);

    await withCancellableProgress('Starting agent container', async (report, signal) => {
        await core.ensureImage(report, signal);
        showImageWarning(await core.ensureContainer(report, signal), context.output);
    });
}
