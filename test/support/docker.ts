/**
 * What the integration and end-to-end suites share to talk to the real engine. Every
 * object a test makes carries TEST_LABEL and is named under a namespace of its own, so a
 * test removes only what it made and never a user's own images, containers or volumes.
 */
import Docker from 'dockerode';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { parseSettings, type Settings } from '../../src/config/settings';

export const TEST_LABEL = 'agent-containers.test';

/** The local stand-in for the public Node image, made by test/setup/base-image.sh. */
export const TEST_BASE_IMAGE =
    process.env.AGENT_TEST_BASE_IMAGE ?? 'agent-containers-test/node:22-bookworm';

export const docker = new Docker();

/** A namespace unique to one test file's run, for names and labels. */
export function testNamespace(what: string): string {
    return `agent-containers-test-${what}-${randomBytes(3).toString('hex')}`;
}

/** Removes containers, then volumes, that carry TEST_LABEL=namespace. Images are kept. */
export async function removeTestObjects(namespace: string): Promise<void> {
    const filters = { label: [`${TEST_LABEL}=${namespace}`] };
    for (const info of await docker.listContainers({ all: true, filters })) {
        await docker.getContainer(info.Id).remove({ force: true, v: false });
    }
    const { Volumes } = await docker.listVolumes({ filters });
    for (const volume of Volumes ?? []) {
        await docker.getVolume(volume.Name).remove();
    }
}

/** The machine's own CA certificates, which the intercepting proxy's is among. */
export function hostCaCertificateFiles(): string[] {
    const dir = '/usr/local/share/ca-certificates';
    try {
        return readdirSync(dir)
            .filter((name) => name.endsWith('.crt'))
            .map((name) => `${dir}/${name}`);
    } catch {
        return [];
    }
}

/**
 * Settings for a core under test: the local base image, the machine's CA files, builds on
 * the host network (they need the npm registry) and containers on no network at all.
 */
export function testSettings(extra: Record<string, unknown> = {}): Settings {
    return parseSettings({
        'image.baseImage': TEST_BASE_IMAGE,
        'image.caCertificates': hostCaCertificateFiles(),
        'image.buildNetworkMode': 'host',
        'container.networkMode': 'none',
        ...extra,
    });
}
