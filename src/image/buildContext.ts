/**
 * What goes into an image build: the bundled Dockerfile and entrypoint from media/, the
 * build arguments derived from the tool registry and the settings, and any extra CA
 * certificates. Shared by the build itself and by the hash that names the image.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import * as tar from 'tar-stream';
import { TOOLS, type ToolDefinition } from '../tools/registry';

export interface ImageBuildInputs {
    /** Base image reference, e.g. "node:22-bookworm-slim". */
    readonly baseImage: string;
    /** Version per tool id; missing ids use the registry's default. */
    readonly versions: Readonly<Record<string, string>>;
    /** Extra CA certificates (PEM) to trust in the image, by file name. */
    readonly caCertificates: readonly { readonly name: string; readonly pem: string }[];
}

export interface BuildContextFile {
    readonly path: string;
    readonly content: Buffer;
    readonly mode: number;
}

/** Files of media/ that make up the build context, with their modes in the image. */
export const MEDIA_FILES: readonly { readonly path: string; readonly mode: number }[] = [
    { path: 'Dockerfile', mode: 0o644 },
    { path: 'entrypoint.sh', mode: 0o755 },
    { path: 'agent-config/package.json', mode: 0o644 },
    { path: 'agent-config/package-lock.json', mode: 0o644 },
    { path: 'agent-config/agent-config.mjs', mode: 0o755 },
    { path: 'agent-config/credentials.mjs', mode: 0o644 },
    { path: 'ca-certificates/.gitkeep', mode: 0o644 },
];

// The same shapes the entrypoint accepts for its runtime overrides: a version or a
// dist-tag. Build arguments reach a shell inside the build, so nothing else gets through.
const VERSION_PATTERN =
    /^(\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?|[A-Za-z][\w.-]{0,63})$/;
const IMAGE_PATTERN = /^[\w][\w.:/@-]{0,254}$/;

/** A fixed time for every entry, so the same inputs always give the same tar. */
const EPOCH = new Date(0);

/** The version of each tool that an image built from these inputs holds. */
export function toolVersions(inputs: ImageBuildInputs): Record<string, string> {
    for (const id of Object.keys(inputs.versions)) {
        if (!TOOLS.some((tool) => tool.id === id)) {
            throw new Error(
                `Unknown tool "${id}" in versions. Known tools: ${TOOLS.map((t) => t.id)}`,
            );
        }
    }
    return Object.fromEntries(TOOLS.map((tool) => [tool.id, versionOf(tool, inputs)]));
}

function versionOf(tool: ToolDefinition, inputs: ImageBuildInputs): string {
    const version = inputs.versions[tool.id] ?? tool.defaultVersion;
    if (!VERSION_PATTERN.test(version)) {
        throw new Error(
            `agentContainers.tools.${tool.id}.version must be a version like 1.2.3 or a ` +
                `dist-tag like latest, not "${version}".`,
        );
    }
    return version;
}

/** The Dockerfile's build arguments; see media/Dockerfile for what each one does. */
export function buildArgs(inputs: ImageBuildInputs): Record<string, string> {
    if (!IMAGE_PATTERN.test(inputs.baseImage)) {
        throw new Error(
            `agentContainers.image.baseImage is not an image reference: "${inputs.baseImage}".`,
        );
    }
    const versions = toolVersions(inputs);
    return {
        BASE_IMAGE: inputs.baseImage,
        TOOL_PACKAGES: TOOLS.map((tool) => `${tool.npmPackage}@${versions[tool.id]}`).join(' '),
        TOOL_DIRS: TOOLS.flatMap((tool) => tool.volumes.map((volume) => volume.path)).join(' '),
        TOOL_VERSION_ENV: TOOLS.map((tool) => `${tool.versionOverrideEnv}=${tool.npmPackage}`).join(
            ' ',
        ),
    };
}

/** Labels recording the tools' versions, `agent-containers.tool.<id>.version`. */
export function toolVersionLabels(inputs: ImageBuildInputs): Record<string, string> {
    const versions = toolVersions(inputs);
    return Object.fromEntries(
        TOOLS.map((tool) => [`agent-containers.tool.${tool.id}.version`, versions[tool.id]]),
    );
}

/**
 * Finds media/ next to the code: dist/ in the packaged extension, src/image/ when the
 * sources run directly under tsx.
 */
export function findMediaDirectory(start: string = __dirname): string {
    for (let dir = start; ; dir = dirname(dir)) {
        if (existsSync(join(dir, 'media', 'Dockerfile'))) return join(dir, 'media');
        if (dirname(dir) === dir) throw new Error(`No media/Dockerfile above ${start}`);
    }
}

/** update-ca-certificates reads only *.crt, and file names end up in a tar and a shell. */
function certificateFileName(name: string, index: number): string {
    const stem = basename(name)
        .replace(/\.(crt|pem|cer)$/i, '')
        .replace(/[^\w.-]/g, '_');
    return `${String(index).padStart(2, '0')}-${stem || 'certificate'}.crt`;
}

function certificateFiles(inputs: ImageBuildInputs): BuildContextFile[] {
    return inputs.caCertificates.map((certificate, index) => {
        if (!certificate.pem.includes('-----BEGIN CERTIFICATE-----')) {
            throw new Error(
                `agentContainers.image.caCertificates: ${certificate.name} ` +
                    'is not a PEM certificate.',
            );
        }
        return {
            path: `ca-certificates/${certificateFileName(certificate.name, index)}`,
            content: Buffer.from(
                certificate.pem.endsWith('\n') ? certificate.pem : `${certificate.pem}\n`,
            ),
            mode: 0o644,
        };
    });
}

/** Everything the build needs, in a fixed order; certificates after the bundled files. */
export async function buildContextFiles(
    inputs: ImageBuildInputs,
    mediaDirectory: string = findMediaDirectory(),
): Promise<BuildContextFile[]> {
    buildArgs(inputs);
    const bundled = await Promise.all(
        MEDIA_FILES.map(async ({ path, mode }) => ({
            path,
            content: await readFile(join(mediaDirectory, path)),
            mode,
        })),
    );
    return [...bundled, ...certificateFiles(inputs)];
}

/** A tar stream of buildContextFiles, as the Engine API's build endpoint takes it. */
export async function buildContextTar(
    inputs: ImageBuildInputs,
    mediaDirectory?: string,
): Promise<NodeJS.ReadableStream> {
    const files = await buildContextFiles(inputs, mediaDirectory);
    const pack = tar.pack();
    for (const file of files) {
        pack.entry(
            { name: file.path, mode: file.mode, mtime: EPOCH, uid: 0, gid: 0 },
            file.content,
        );
    }
    pack.finalize();
    // tar-stream's streams are streamx ones; the Engine API client expects a Node stream.
    return Readable.from(pack, { objectMode: false });
}
