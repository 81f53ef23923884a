/**
 * What the extension made in Docker during an end-to-end run, found by the namespace the
 * editor was started with. The extension labels its own objects; the suite only reads and,
 * at the end, removes them.
 */
import { docker } from '../../support/docker';

const NAMESPACE_LABEL = 'agent-containers.namespace';
const WORKSPACE_LABEL = 'agent-containers.workspace';

export interface WorkspaceContainer {
    readonly id: string;
    readonly state: string;
}

/** Containers (running or not) that the extension made for the workspace. */
export async function workspaceContainers(
    namespace: string,
    workspace: string,
): Promise<WorkspaceContainer[]> {
    const filters = {
        label: [`${NAMESPACE_LABEL}=${namespace}`, `${WORKSPACE_LABEL}=${workspace}`],
    };
    const list = await docker.listContainers({ all: true, filters });
    return list.map((c) => ({ id: c.Id, state: c.State }));
}

/** Command lines of the processes running in a container (empty when it is not running). */
export async function containerCommands(id: string): Promise<string[]> {
    const container = docker.getContainer(id);
    if (!(await container.inspect()).State.Running) return [];
    const top = (await container.top({ ps_args: '-eo pid,args' })) as {
        Titles: string[];
        Processes: string[][];
    };
    const column = top.Titles.findIndex((t) => t === 'COMMAND' || t === 'CMD');
    return top.Processes.map((p) => p[column] ?? p.join(' '));
}

export interface ContainerExec {
    readonly id: string;
    /** The exec's command line: entrypoint, then arguments. */
    readonly argv: string[];
    readonly running: boolean;
}

/** The execs the engine still knows for a container: running ones and recently ended. */
export async function containerExecs(id: string): Promise<ContainerExec[]> {
    const info = await docker.getContainer(id).inspect();
    const execs = await Promise.all(
        (info.ExecIDs ?? []).map((execId) => docker.getExec(execId).inspect()),
    );
    return execs.map((e) => ({
        id: e.ID,
        argv: [e.ProcessConfig.entrypoint, ...e.ProcessConfig.arguments],
        running: e.Running,
    }));
}

/** Images the extension built under the namespace. */
export async function namespaceImages(namespace: string): Promise<string[]> {
    const images = await docker.listImages({
        filters: { label: [`${NAMESPACE_LABEL}=${namespace}`] },
    });
    return images.map((i) => i.Id);
}

/**
 * Removes the namespace's containers, volumes and images. Layers the images share with
 * others (the base image, steps cached by other builds) stay; Docker keeps those.
 */
export async function removeProductObjects(namespace: string): Promise<void> {
    const filters = { label: [`${NAMESPACE_LABEL}=${namespace}`] };
    for (const info of await docker.listContainers({ all: true, filters })) {
        await docker.getContainer(info.Id).remove({ force: true, v: false });
    }
    const { Volumes } = await docker.listVolumes();
    for (const volume of Volumes ?? []) {
        const ours = volume.Labels?.[NAMESPACE_LABEL] === namespace;
        if (ours || volume.Name.startsWith(`${namespace}-`)) {
            await docker.getVolume(volume.Name).remove();
        }
    }
    for (const image of await docker.listImages({ filters })) {
        for (const tag of image.RepoTags ?? []) {
            if (tag !== '<none>:<none>') await docker.getImage(tag).remove();
        }
    }
}
