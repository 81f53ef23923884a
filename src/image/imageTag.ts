/**
 * The image tag is a hash of everything that goes into the build, so the same inputs find
 * the image already there and any changed input (a version, a certificate, the Dockerfile)
 * makes a new tag and exactly one build.
 */
import { createHash } from 'node:crypto';
import type { BuildContextFile } from './buildContext';

export interface TaggedInputs {
    readonly files: readonly BuildContextFile[];
    readonly buildArgs: Readonly<Record<string, string>>;
    readonly baseImage: string;
}

/** Hex sha256 over files (path, mode, content), build args and base image, order-free. */
export function inputsHash(inputs: TaggedInputs): string {
    const hash = createHash('sha256');
    const field = (text: string | Buffer) => {
        // Length-prefixed so that no two different inputs hash the same byte stream.
        const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
        hash.update(`${bytes.length}:`);
        hash.update(bytes);
    };
    field(`base ${inputs.baseImage}`);
    for (const key of Object.keys(inputs.buildArgs).sort()) {
        field(`arg ${key}`);
        field(inputs.buildArgs[key]);
    }
    const files = [...inputs.files].sort((a, b) =>
        a.path < b.path ? -1 : a.path > b.path ? 1 : 0,
    );
    for (const file of files) {
        field(`file ${file.path} ${(file.mode & 0o777).toString(8)}`);
        field(file.content);
    }
    return hash.digest('hex');
}

/** The image reference for a namespace and inputs hash, e.g. "agent-containers/tools:3f9a…". */
export function imageTag(namespace: string, hash: string): string {
    return `${namespace}/tools:${hash.slice(0, 20)}`;
}
