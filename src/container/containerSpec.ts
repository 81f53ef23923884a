/**
 * The create options of a workspace's container, as a pure function of the settings, the
 * workspace and the host user, so the same inputs always give the same container and a
 * change can be seen by comparing hashes.
 */
import { createHash } from 'node:crypto';
import { basename, posix, win32 } from 'node:path';
import type Docker from 'dockerode';
import { LABEL_NAMESPACE, LABEL_SPEC_HASH, LABEL_WORKSPACE } from '../docker/labels';
import { memoryLimitBytes, type Settings } from '../config/settings';
import { CONTAINER_HOME, TOOLS, volumeName } from '../tools/registry';

/** The IDs the container user gets when the host gives none to copy. */
export const DEFAULT_ID = 1000;

export interface HostIds {
    readonly uid: number;
    readonly gid: number;
}

export interface ContainerSpecInput {
    readonly settings: Settings;
    readonly namespace: string;
    /** Absolute host path of the workspace folder. */
    readonly workspaceFolder: string;
    readonly imageRef: string;
    /** The host user's IDs; undefined on platforms without them (Windows). */
    readonly hostIds: HostIds | undefined;
    /** Extra labels (tests add theirs). */
    readonly labels?: Readonly<Record<string, string>>;
}

/** The host user's IDs as this process sees them, or undefined where there are none. */
export function processHostIds(): HostIds | undefined {
    if (typeof process.getuid !== 'function' || typeof process.getgid !== 'function') {
        return undefined;
    }
    return { uid: process.getuid(), gid: process.getgid() };
}

/** The container user's IDs: settings first, then the host user's unless that is root. */
export function containerUserIds(settings: Settings, host: HostIds | undefined): HostIds {
    // Root on the host (or no IDs at all) gains nothing from being copied: keep the image's.
    const usable = host !== undefined && host.uid !== 0;
    return {
        uid: settings.container.uid ?? (usable ? host.uid : DEFAULT_ID),
        gid: settings.container.gid ?? (usable && host.gid !== 0 ? host.gid : DEFAULT_ID),
    };
}

/** Where the workspace appears inside: the setting, else the same path (POSIX hosts). */
export function workspaceMountPath(settings: Settings, workspaceFolder: string): string {
    if (settings.container.workspaceMountPath) return settings.container.workspaceMountPath;
    if (posix.isAbsolute(workspaceFolder)) return posix.normalize(workspaceFolder);
    // A Windows path has no meaning inside a Linux container.
    return `/workspaces/${safeName(win32.basename(workspaceFolder)) || 'workspace'}`;
}

/** A readable name, unique per namespace and workspace path. */
export function containerName(namespace: string, workspaceFolder: string): string {
    const digest = createHash('sha256').update(workspaceFolder).digest('hex').slice(0, 8);
    const base = safeName(basename(workspaceFolder.replace(/[\\/]+$/, ''))).slice(0, 40);
    return `${namespace}-${base ? `${base}-` : ''}${digest}`;
}

function safeName(text: string): string {
    return text
        .normalize('NFKD')
        .replace(/[^\x20-\x7e]/g, '')
        .toLowerCase()
        .replace(/[^a-z0-9_.-]+/g, '-')
        .replace(/^[-_.]+|[-_.]+$/g, '');
}

/** Docker create options for the workspace's container; its hash label marks the spec. */
export function containerSpec(input: ContainerSpecInput): Docker.ContainerCreateOptions {
    const { settings, namespace, workspaceFolder } = input;
    const ids = containerUserIds(settings, input.hostIds);
    const target = workspaceMountPath(settings, workspaceFolder);
    if (isDockerSocket(workspaceFolder)) {
        throw new Error(`Refusing to mount ${workspaceFolder}: it would expose the Docker socket.`);
    }

    const mounts: Docker.MountSettings[] = [
        { Type: 'bind', Source: workspaceFolder, Target: target, ReadOnly: false },
        ...TOOLS.flatMap((tool) =>
            tool.volumes.map((volume): Docker.MountSettings => ({
                Type: 'volume',
                Source: volumeName(namespace, volume),
                Target: `${CONTAINER_HOME}/${volume.path}`,
                ReadOnly: false,
            })),
        ),
    ];
    const env: Record<string, string> = {
        ...Object.assign({}, ...TOOLS.map((tool) => tool.environment)),
        ...settings.container.environment,
        PUID: String(ids.uid),
        PGID: String(ids.gid),
    };
    const { networkMode, cpuLimit, memoryLimit } = settings.container;
    const hostConfig: Docker.HostConfig = {
        Mounts: mounts,
        SecurityOpt: ['no-new-privileges:true'],
        ...(networkMode === 'default' ? {} : { NetworkMode: networkMode }),
        ...(memoryLimit ? { Memory: memoryLimitBytes(memoryLimit) } : {}),
        ...(cpuLimit > 0 ? { NanoCpus: Math.round(cpuLimit * 1e9) } : {}),
    };
    const options: Docker.ContainerCreateOptions = {
        name: containerName(namespace, workspaceFolder),
        Image: input.imageRef,
        Env: Object.entries(env).map(([key, value]) => `${key}=${value}`),
        WorkingDir: target,
        Labels: {
            ...input.labels,
            [LABEL_NAMESPACE]: namespace,
            [LABEL_WORKSPACE]: workspaceFolder,
        },
        HostConfig: hostConfig,
    };
    options.Labels![LABEL_SPEC_HASH] = specHash(options);
    return options;
}

/** Hash of the options without the hash label itself. */
export function specHash(options: Docker.ContainerCreateOptions): string {
    const labels = { ...options.Labels };
    delete labels[LABEL_SPEC_HASH];
    const canonical = JSON.stringify({ ...options, Labels: labels }, (_key, value: unknown) =>
        value && typeof value === 'object' && !Array.isArray(value)
            ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1)))
            : value,
    );
    return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}

function isDockerSocket(path: string): boolean {
    const normal = posix.normalize(path.replace(/\\/g, '/')).replace(/\/+$/, '') || '/';
    return (
        /(\.sock|\/pipe\/docker_engine)$/.test(normal) ||
        ['/', '/var', '/var/run', '/run'].includes(normal)
    );
}
