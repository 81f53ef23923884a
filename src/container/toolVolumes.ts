/**
 * The named volumes that hold each tool's logins and settings. They are shared by every
 * workspace of a namespace and outlive containers; only an explicit request removes them.
 */
import type Docker from 'dockerode';
import { LABEL_NAMESPACE, LABEL_TOOL } from '../docker/labels';
import { log } from '../log';
import { findTool, TOOLS, volumeName } from '../tools/registry';

/** Creates every tool volume that is missing, labelled; existing ones are left as they are. */
export async function createToolVolumes(
    docker: Docker,
    namespace: string,
    extraLabels: Readonly<Record<string, string>>,
): Promise<void> {
    for (const tool of TOOLS) {
        for (const volume of tool.volumes) {
            const name = volumeName(namespace, volume);
            log.debug(`Docker: create volume ${name} (kept if it exists)`);
            await docker.createVolume({
                Name: name,
                Labels: { ...extraLabels, [LABEL_NAMESPACE]: namespace, [LABEL_TOOL]: tool.id },
            });
        }
    }
}

/** Names of the tool's volumes that exist. */
export async function existingToolVolumes(
    docker: Docker,
    namespace: string,
    toolId: string,
): Promise<string[]> {
    const names = findTool(toolId).volumes.map((volume) => volumeName(namespace, volume));
    const found: string[] = [];
    for (const name of names) {
        try {
            await docker.getVolume(name).inspect();
            found.push(name);
        } catch (error) {
            if ((error as { statusCode?: number }).statusCode !== 404) throw error;
        }
    }
    return found;
}

/**
 * Removes the tool's volumes. Fails with a plain message when a container still uses one
 * (the engine refuses); the caller asks the user before calling this.
 */
export async function removeToolVolumes(
    docker: Docker,
    namespace: string,
    toolId: string,
): Promise<string[]> {
    const removed: string[] = [];
    for (const name of await existingToolVolumes(docker, namespace, toolId)) {
        try {
            await docker.getVolume(name).remove();
        } catch (error) {
            if ((error as { statusCode?: number }).statusCode === 409) {
                throw new Error(
                    `Volume ${name} is in use by a container; ` +
                        'remove the container that uses it first.',
                );
            }
            throw error;
        }
        log.info(`Removed volume ${name}`);
        removed.push(name);
    }
    return removed;
}
