/**
 * The extension's settings (keys under `agentContainers.`), validated with zod. Values reach
 * image builds, container configs and exec argv, so everything is checked here once: a bad
 * value fails with a message naming its key instead of surfacing later inside Docker.
 */
import { isAbsolute, posix } from 'node:path';
import semver from 'semver';
import { z } from 'zod';
import { TOOLS } from '../tools/registry';

export const SETTINGS_SECTION = 'agentContainers';

export type NetworkMode = 'default' | 'host' | 'none';

export interface ToolSettings {
    readonly version: string;
    readonly extraArgs: readonly string[];
}

export interface Settings {
    readonly image: {
        readonly source: 'build' | 'pull';
        readonly name: string;
        readonly baseImage: string;
        readonly caCertificates: readonly string[];
        readonly buildNetworkMode: NetworkMode;
    };
    /** One entry per registry tool, defaults filled in. */
    readonly tools: Readonly<Record<string, ToolSettings>>;
    readonly container: {
        readonly environment: Readonly<Record<string, string>>;
        readonly networkMode: NetworkMode;
        readonly uid: number | null;
        readonly gid: number | null;
        readonly workspaceMountPath: string;
        readonly memoryLimit: string;
        readonly cpuLimit: number;
    };
    readonly docker: { readonly host: string };
}

/** Where settings come from: a getter like WorkspaceConfiguration.get, or a plain object. */
export type SettingsSource = ((key: string) => unknown) | Readonly<Record<string, unknown>>;

/** Thrown for an invalid setting; the message starts with the full key. */
export class SettingsError extends Error {
    constructor(
        readonly key: string,
        rule: string,
    ) {
        super(`Setting ${key}: ${rule}`);
        this.name = 'SettingsError';
    }
}

// Characters a shell would act on. Paths, hosts and names may not carry them, even where argv
// arrays are used, so a value never becomes a command if it ends up in a script or compose file.
const SHELL_META = /[;&|`$<>\\!*?(){}[\]'"\n\r\t]/;
const noShellMeta = (s: string) => !SHELL_META.test(s);
const SAFE_TEXT = 'must not contain shell characters such as ; & | ` $ < > \\ quotes or newlines';

// An image reference: [registry[:port]/]path[:tag][@digest], lowercase path components. As
// in Docker, a first component is a registry only with a dot, a port, or as localhost.
const IMAGE_HOST = String.raw`(?:localhost|[a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)+|[a-zA-Z0-9-]+(?=:\d))`;
const IMAGE_REGISTRY = String.raw`(?:${IMAGE_HOST}(?::\d+)?\/)?`;
const IMAGE_COMPONENT = String.raw`[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*`;
const IMAGE_PATH = String.raw`[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/${IMAGE_COMPONENT})*`;
const IMAGE_TAG = String.raw`(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?`;
const IMAGE_REF = new RegExp(`^${IMAGE_REGISTRY}${IMAGE_PATH}${IMAGE_TAG}$`);

const imageRef = z
    .string()
    .max(255)
    .regex(IMAGE_REF, 'must be an image reference like "node:22-bookworm-slim"');

const networkMode = z.enum(['default', 'host', 'none']);

// A version is a semver version or range-free dist-tag (latest, next, stable...). semver.valid
// trims blanks and a leading "v", so only its exact output counts: the build refuses the rest.
const version = z
    .string()
    .refine((v) => semver.valid(v) === v || /^[a-z][a-z0-9-]{0,31}$/.test(v), {
        message: 'must be a version like "2.1.330" or a dist-tag like "latest"',
    });

// Arguments and variables reach the CLI as argv and exec environment, never through a shell.
// Brackets, quotes, * and ? stay allowed because CLIs take them (permission rules such as
// Bash(git diff:*), JSON options); what only a shell acts on, or could chain commands with,
// is refused so a value copied into a script by hand stays inert.
const ARGUMENT_META = /[;&|`$<>\\\x00-\x1f\x7f]/;
const ARGUMENT_TEXT =
    'must not contain control characters or the shell characters ; & | ` $ < > \\';
const argumentString = z
    .string()
    .max(4096)
    .refine((s) => !ARGUMENT_META.test(s), { message: ARGUMENT_TEXT });

const extraArgs = z.array(argumentString).max(64);

const envName = /^[A-Za-z_][A-Za-z0-9_]*$/;

// Overriding these would move a tool's logins out of its volume (lost with the container) or
// hide the tools and the user's home from the sessions.
const RESERVED_VARIABLES = new Set([
    'HOME',
    'PATH',
    'USER',
    ...TOOLS.flatMap((tool) => Object.keys(tool.environment)),
]);
const environment = z
    .record(z.string(), argumentString)
    .refine((env) => Object.keys(env).every((k) => envName.test(k)), {
        message: 'variable names must be letters, digits and underscores',
    })
    .refine((env) => !('PUID' in env || 'PGID' in env), {
        message: 'PUID and PGID come from container.uid and container.gid',
    })
    .superRefine((env, context) => {
        const taken = Object.keys(env).filter((name) => RESERVED_VARIABLES.has(name));
        if (taken.length === 0) return;
        context.addIssue({
            code: 'custom',
            message:
                `${taken.join(', ')} ${taken.length === 1 ? 'is' : 'are'} set by the extension ` +
                "so each tool's state stays in its volume and the tools are found",
        });
    })
    .refine((env) => Object.keys(env).length <= 256, { message: 'at most 256 variables' });

const absolutePath = z
    .string()
    .refine((p) => isAbsolute(p) || /^[A-Za-z]:[\\/]/.test(p), { message: 'must be absolute' })
    .refine((p) => !/[;&|`$<>!*?(){}'"\n\r]/.test(p), { message: SAFE_TEXT });

// 0 would run the tools as root; the image's entrypoint refuses it too.
const hostId = z
    .number()
    .int()
    .min(1)
    .max(2 ** 31 - 1)
    .nullable();

// Mounting the workspace over one of these would hide what the container needs to run.
const SYSTEM_DIRS = /^\/(?:bin|boot|dev|etc|home|lib\d*|opt|proc|root|run|sbin|sys|tmp|usr|var)?$/;

const mountPath = z
    .string()
    .max(4096)
    .refine((p) => p === '' || (p.startsWith('/') && !p.includes('..')), {
        message: 'must be empty or an absolute path inside the container',
    })
    .refine(noShellMeta, { message: SAFE_TEXT })
    .refine((p) => p === '' || (posix.normalize(p) === p && !p.endsWith('/')), {
        message: 'must be a plain path: no "//", "/./" or trailing "/"',
    })
    .refine((p) => !SYSTEM_DIRS.test(p) && !p.startsWith('/home/hagicode'), {
        message: 'must not be "/", a system directory or the container user\'s home',
    });

// Docker refuses limits under 6 MiB; far above any machine's memory is a typo.
const MIN_MEMORY = 6 * 1024 ** 2;
const MAX_MEMORY = 1024 ** 5;
const memoryLimit = z
    .string()
    .regex(/^(?:|\d+(?:\.\d+)?[bkmg]?)$/i, {
        message: 'must be empty or a size like "4g" or "512m"',
    })
    .refine((v) => v === '' || inRange(memoryLimitBytes(v), MIN_MEMORY, MAX_MEMORY), {
        message: "must be at least 6m (Docker's minimum) and at most 1048576g",
    });

// Docker's smallest CPU share is 0.01; the engine checks the upper bound against its CPUs.
const cpuLimit = z
    .number()
    .min(0)
    .max(1024)
    .refine((v) => v === 0 || v >= 0.01, { message: 'must be 0 (no limit) or at least 0.01' });

const dockerHost = z
    .string()
    .max(4096)
    .refine((h) => h === '' || /^(unix|npipe|tcp|http|https|ssh):\/\/\S+$/.test(h), {
        message: 'must be empty or a URL such as unix:///var/run/docker.sock or tcp://host:2376',
    })
    .refine(noShellMeta, { message: SAFE_TEXT })
    .refine((h) => h === '' || URL.canParse(h), { message: 'must be a valid URL' })
    .refine((h) => !h.startsWith('unix:') || h.startsWith('unix:///'), {
        message: 'a unix socket must be an absolute path: unix:///path/to/docker.sock',
    });

/** Each setting: key below the section, schema, default. */
const FIELDS: readonly [string, z.ZodType, unknown][] = [
    ['image.source', z.enum(['build', 'pull']), 'build'],
    ['image.name', z.union([z.literal(''), imageRef]), ''],
    ['image.baseImage', imageRef, 'node:22-bookworm-slim'],
    ['image.caCertificates', z.array(absolutePath).max(64), []],
    ['image.buildNetworkMode', networkMode, 'default'],
    ['container.environment', environment, {}],
    ['container.networkMode', networkMode, 'default'],
    ['container.uid', hostId, null],
    ['container.gid', hostId, null],
    ['container.workspaceMountPath', mountPath, ''],
    ['container.memoryLimit', memoryLimit, ''],
    ['container.cpuLimit', cpuLimit, 0],
    ['docker.host', dockerHost, ''],
    ...TOOLS.flatMap((tool): [string, z.ZodType, unknown][] => [
        [`tools.${tool.id}.version`, version, tool.defaultVersion],
        [`tools.${tool.id}.extraArgs`, extraArgs, []],
    ]),
];

/** The schema of every key (below the section), e.g. to generate inputs in tests. */
export const SETTING_SCHEMAS: ReadonlyMap<string, z.ZodType> = new Map(
    FIELDS.map(([key, schema]) => [key, schema]),
);

/** Default value of every key (below the section), e.g. for package.json contributions. */
export const SETTING_DEFAULTS: Readonly<Record<string, unknown>> = Object.fromEntries(
    FIELDS.map(([key, , fallback]) => [key, fallback]),
);

/**
 * Reads and validates all settings. Missing or null values take their defaults (uid/gid
 * stay null); an invalid one throws a SettingsError naming `agentContainers.<key>`.
 */
export function parseSettings(source: SettingsSource): Settings {
    const read = typeof source === 'function' ? source : (key: string) => lookup(source, key);
    const values: Record<string, unknown> = {};
    for (const [key, schema, fallback] of FIELDS) {
        const raw = read(key);
        const value = raw === undefined || (raw === null && fallback !== null) ? fallback : raw;
        const result = schema.safeParse(value);
        if (!result.success) {
            throw new SettingsError(`${SETTINGS_SECTION}.${key}`, describe(result.error));
        }
        values[key] = result.data;
    }
    if (values['image.source'] === 'pull' && values['image.name'] === '') {
        throw new SettingsError(`${SETTINGS_SECTION}.image.name`, 'must name an image to pull');
    }
    return assemble(values);
}

function assemble(v: Record<string, unknown>): Settings {
    const get = <T>(key: string) => v[key] as T;
    return {
        image: {
            source: get('image.source'),
            name: get('image.name'),
            baseImage: get('image.baseImage'),
            caCertificates: get('image.caCertificates'),
            buildNetworkMode: get('image.buildNetworkMode'),
        },
        tools: Object.fromEntries(
            TOOLS.map((t) => [
                t.id,
                {
                    version: get(`tools.${t.id}.version`),
                    extraArgs: get(`tools.${t.id}.extraArgs`),
                },
            ]),
        ),
        container: {
            environment: get('container.environment'),
            networkMode: get('container.networkMode'),
            uid: get('container.uid'),
            gid: get('container.gid'),
            workspaceMountPath: get('container.workspaceMountPath'),
            memoryLimit: get('container.memoryLimit'),
            cpuLimit: get('container.cpuLimit'),
        },
        docker: { host: get('docker.host') },
    };
}

/** Finds a key given flat ("image.source"), prefixed, or as nested objects. */
function lookup(source: Readonly<Record<string, unknown>>, key: string): unknown {
    if (key in source) return source[key];
    const prefixed = `${SETTINGS_SECTION}.${key}`;
    if (prefixed in source) return source[prefixed];
    let node: unknown = SETTINGS_SECTION in source ? source[SETTINGS_SECTION] : source;
    for (const part of key.split('.')) {
        if (node === null || typeof node !== 'object') return undefined;
        node = (node as Record<string, unknown>)[part];
    }
    return node;
}

function describe(error: z.ZodError): string {
    const issue = error.issues[0];
    const where = issue.path.length > 0 ? `[${issue.path.join('.')}] ` : '';
    return `${where}${issue.message}`;
}

/** Bytes for a memory limit like "4g"; 0 for none. */
export function memoryLimitBytes(limit: string): number {
    const match = /^(\d+(?:\.\d+)?)([bkmg]?)$/i.exec(limit);
    if (!match) return 0;
    const power = { '': 0, b: 0, k: 1, m: 2, g: 3 }[match[2].toLowerCase()] ?? 0;
    return Math.floor(Number(match[1]) * 1024 ** power);
}

function inRange(value: number, min: number, max: number): boolean {
    return value >= min && value <= max;
}
