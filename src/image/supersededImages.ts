/**
 * Each changed input (a version, the base image, the CA list) makes a new ~1.7 GB image and
 * leaves the previous one behind. After a build succeeds, the namespace's older built images
 * that no container uses are removed; one still used (by any workspace's container, running
 * or stopped) stays. Never called after a failed build: then the old image is the fallback.
 */
import type Docker from 'dockerode';
import { LABEL_INPUTS_HASH, LABEL_NAMESPACE } from '../docker/labels';
import { log } from '../log';
import { imageTag } from './imageTag';

/** Removes this namespace's built image tags other than `keep` that no container uses. */
export async function removeSupersededImages(
    docker: Docker,
    namespace: string,
    keep: string,
): Promise<string[]> {
    const filters = { label: [`${LABEL_NAMESPACE}=${namespace}`, LABEL_INPUTS_HASH] };
    const images = await docker.listImages({ filters });
    const used = new Set(
        (await docker.listContainers({ all: true })).map((container) => container.ImageID),
    );
    const removed: string[] = [];
    for (const image of images) {
        if (used.has(image.Id)) continue;
        // Only the tag the extension gives its own builds: an image of ours that was pushed
        // and pulled under another name (image.source=pull) carries the same labels.
        const own = imageTag(namespace, image.Labels?.[LABEL_INPUTS_HASH] ?? '');
        const tag = image.RepoTags?.find((candidate) => candidate === own);
        if (!tag || tag === keep) continue;
        try {
            // No force: a container made since the listing keeps its image (409 conflict).
            await docker.getImage(tag).remove();
            log.info(`Removed image ${tag}, superseded by ${keep}`);
            removed.push(tag);
        } catch (error) {
            const status = (error as { statusCode?: number }).statusCode;
            if (status !== 409 && status !== 404) throw error;
            log.debug(`Kept image ${tag}: ${(error as Error).message}`);
        }
    }
    return removed;
}
