/**
 * The image to fall back on when the wanted one cannot be built or pulled (registry down,
 * bad base image, full disk): the one the workspace's container already runs, else the
 * newest image this namespace built. Working on yesterday's image beats not working.
 */
import type Docker from 'dockerode';
import { LABEL_INPUTS_HASH, LABEL_NAMESPACE } from '../docker/labels';

export async function previousImage(
    docker: Docker,
    namespace: string,
    containerImage: string | undefined,
): Promise<string | undefined> {
    if (containerImage) {
        try {
            await docker.getImage(containerImage).inspect();
            return containerImage;
        } catch (error) {
            if ((error as { statusCode?: number }).statusCode !== 404) throw error;
        }
    }
    const filters = { label: [`${LABEL_NAMESPACE}=${namespace}`, LABEL_INPUTS_HASH] };
    const built = (await docker.listImages({ filters }))
        .filter((image) => image.RepoTags?.some((tag) => tag !== '<none>:<none>'))
        .sort((a, b) => b.Created - a.Created);
    return built[0]?.RepoTags?.find((tag) => tag !== '<none>:<none>');
}
