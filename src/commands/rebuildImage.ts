import type { CommandContext } from './commandContext';
import { buildImage } from './buildImage';

/** Builds the image again without Docker's layer cache, e.g. to pick up base image fixes. */
export function rebuildImage(context: CommandContext, folder?: unknown): Promise<void> {
    return buildImage(context, true, folder);
}
