/**
 * Run as a child process, as another user or in another mount namespace: makes a core for
 * the engine at argv[2] ("" = the default lookup), tries to open a container in the
 * workspace argv[4] under namespace argv[3], and prints what the user would be shown as
 * one JSON line.
 */
import { describeFailure } from '../../src/commands/describeFailure';
import { parseSettings } from '../../src/config/settings';
import { createCore } from '../../src/core';
import { EngineError } from '../../src/docker/engineError';
import { FAULT_SESSION_IMAGE } from './faultEngine';

async function main(): Promise<void> {
    const [host, namespace, workspaceFolder] = process.argv.slice(2);
    const settings = parseSettings({
        'docker.host': host,
        'image.source': 'pull',
        'image.name': FAULT_SESSION_IMAGE,
        'container.networkMode': 'none',
    });
    const core = createCore({ settings, namespace, workspaceFolder });
    try {
        await core.ensureContainer();
        console.log(JSON.stringify({ ok: true }));
    } catch (error) {
        console.log(
            JSON.stringify({
                ok: false,
                kind: error instanceof EngineError ? error.kind : (error as Error).name,
                message: (error as Error).message,
                toast: describeFailure('Open Claude', error),
            }),
        );
    } finally {
        core.dispose();
    }
}

void main();
