/**
 * What goes into an image build: the bundled Dockerfile and entrypoint from media/, the
 * build arguments derived from the tool registry and the settings, and any extra CA
 * certificates. Shared by the build itself and by the hash that names the image.
 *
 * CONTRACT (filled in by the image work): keep these signatures.
 */
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

export declare function buildArgs(inputs: ImageBuildInputs): Record<string, string>;
export declare function buildContextFiles(inputs: ImageBuildInputs): Promise<BuildContextFile[]>;
/** A tar stream of buildContextFiles, as the Engine API's build endpoint takes it. */
export declare function buildContextTar(inputs: ImageBuildInputs): Promise<NodeJS.ReadableStream>;
