/**
 * The workspace the benchmark opens CLIs in: a core under a test namespace of its own, on
 * the local base image, with every Docker object labelled so cleanup removes exactly what
 * this run made (images stay as build cache, untagged-but-layered).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Settings } from '../src/config/settings';
import { createCore, type Core } from '../src/core';
import {
    docker,
    removeTestObjects,
    TEST_LABEL,
    testNamespace,
    testSettings,
} from '../test/support/docker';

export interface BenchWorkspace {
    readonly namespace: string;
    readonly folder: string;
    readonly labels: Readonly<Record<string, string>>;
    readonly core: Core;
    settings(extra?: Record<string, unknown>): Settings;
    /** Removes the image with its own layers at cleanup, so the next run builds it anew. */
    dropLayersOf(ref: string): void;
    cleanup(): Promise<void>;
}

const made = new Set<BenchWorkspace>();

/** Cleans up every workspace made in this process (after an interruption or a stall). */
export async function cleanupAll(): Promise<void> {
    for (const ws of made) await ws.cleanup();
}

/**
 * A new workspace, or (in a child process) another core on the same one: same namespace,
 * folder, labels and settings, so it finds the same container instead of making one.
 */
export function benchWorkspace(
    existing?: { namespace: string; folder: string },
    what = 'bench',
): BenchWorkspace {
    const namespace = existing?.namespace ?? testNamespace(what);
    const root = existing ? undefined : mkdtempSync(join(tmpdir(), 'agent-bench-'));
    const folder = existing?.folder ?? join(root!, 'workspace');
    if (root) mkdirSync(folder);
    const labels = { [TEST_LABEL]: namespace };
    const settings = testSettings;
    const core = createCore({ settings: settings(), namespace, workspaceFolder: folder, labels });

    const dropLayers = new Set<string>();
    let cleaned = false;
    const cleanup = async () => {
        if (cleaned || !root) return;
        cleaned = true;
        core.dispose();
        await removeTestObjects(namespace);
        // The tags go; their layers stay (noprune) as cache for the next run's builds,
        // except where a run must pay for a real install each time.
        const filters = { label: [`${TEST_LABEL}=${namespace}`] };
        for (const image of await docker.listImages({ filters })) {
            for (const tag of image.RepoTags ?? []) {
                await docker
                    .getImage(tag)
                    .remove({ noprune: !dropLayers.has(tag) })
                    .catch(() => undefined);
            }
        }
        rmSync(root, { recursive: true, force: true });
    };
    const dropLayersOf = (ref: string) => void dropLayers.add(ref);
    const ws = { namespace, folder, labels, core, settings, dropLayersOf, cleanup };
    if (root) made.add(ws);
    return ws;
}
