import type { Core, CoreOptions } from './core';

/** Creates the core for one workspace folder; see src/core.ts for the API. */
export function createCore(options: CoreOptions): Core {
    throw new Error(`not implemented yet (${options.workspaceFolder})`);
}
