import { findTool } from '../tools/registry';
import type { CommandContext } from './commandContext';
import { openInContainer } from './openInContainer';

/** "Open <Label> in Container" for one registry tool. */
export function openTool(context: CommandContext, toolId: string, folder?: unknown): Promise<void> {
    return openInContainer(context, toolId, findTool(toolId).label, folder);
}
