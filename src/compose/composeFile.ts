/**
 * A docker-compose.yml that gives the same container as the extension, for people who run
 * the agent image without the editor: the image, the host user's IDs, the workspace bind
 * mount and one named volume per tool volume, named exactly like the extension's volumes so
 * both share the same logins.
 */
import { stringify } from 'yaml';
import { CONTAINER_HOME, TOOLS, volumeName } from '../tools/registry';

export interface ComposeInputs {
    /** Image reference the service runs. */
    readonly image: string;
    /** Namespace of the Docker objects; volume names derive from it. */
    readonly namespace: string;
    /** Absolute host path of the workspace folder. */
    readonly workspaceFolder: string;
    /** Where the workspace appears in the container; default: the host path if absolute. */
    readonly workspaceMountPath?: string;
    readonly uid: number;
    readonly gid: number;
    /** Extra non-secret variables for the container. */
    readonly environment?: Readonly<Record<string, string>>;
    /** Compose service name; default "agent". */
    readonly serviceName?: string;
}

const DEFAULT_MOUNT_PATH = '/workspace';

/** Compose substitutes `${VAR}` and `$VAR` in every value; `$$` is a literal dollar. */
function literal(value: string): string {
    return value.replaceAll('$', '$$$$');
}

function checkId(name: string, value: number): string {
    if (!Number.isInteger(value) || value < 1 || value > 4294967294) {
        throw new Error(`${name} must be a non-root numeric ID, not ${value}.`);
    }
    return String(value);
}

/** The workspace keeps its host path inside when it is a POSIX path, so paths in output match. */
export function composeWorkspaceMountPath(inputs: ComposeInputs): string {
    if (inputs.workspaceMountPath) return inputs.workspaceMountPath;
    return inputs.workspaceFolder.startsWith('/') ? inputs.workspaceFolder : DEFAULT_MOUNT_PATH;
}

/** The text of a docker-compose.yml for one workspace's agent container. */
export function composeFile(inputs: ComposeInputs): string {
    const mountPath = composeWorkspaceMountPath(inputs);
    const volumes = TOOLS.flatMap((tool) => tool.volumes);
    // The tools' own variables are written out too, so the file does not depend on the
    // image declaring them: a CLI added to the registry needs nothing in the Dockerfile.
    const environment: Record<string, string> = {
        ...Object.assign({}, ...TOOLS.map((tool) => tool.environment)),
        ...inputs.environment,
        PUID: checkId('uid', inputs.uid),
        PGID: checkId('gid', inputs.gid),
    };

    const service = {
        image: literal(inputs.image),
        environment: Object.fromEntries(
            Object.entries(environment).map(([key, value]) => [key, literal(value)]),
        ),
        working_dir: literal(mountPath),
        volumes: [
            { type: 'bind', source: literal(inputs.workspaceFolder), target: literal(mountPath) },
            ...volumes.map((volume) => ({
                type: 'volume',
                source: volume.name,
                target: `${CONTAINER_HOME}/${volume.path}`,
            })),
        ],
        labels: {
            'agent-containers.namespace': literal(inputs.namespace),
            'agent-containers.workspace': literal(inputs.workspaceFolder),
        },
    };

    const serviceName = inputs.serviceName ?? 'agent';
    const document = {
        services: { [serviceName]: service },
        // Explicit names: without them Compose prefixes the project name, and the volumes
        // would not be the ones the extension uses.
        volumes: Object.fromEntries(
            volumes.map((volume) => [volume.name, { name: volumeName(inputs.namespace, volume) }]),
        ),
    };
    const header =
        '# Agent container for this workspace, as the Agent Containers extension runs it.\n' +
        '# Start it with `docker compose up -d`, then for example:\n' +
        `#   docker compose exec --user hagicode ${serviceName} claude\n`;
    return header + stringify(document, { lineWidth: 0 });
}
