import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { imageTag, inputsHash, type TaggedInputs } from '../../src/image/imageTag';

const base: TaggedInputs = {
    files: [
        { path: 'Dockerfile', content: Buffer.from('FROM x'), mode: 0o644 },
        { path: 'entrypoint.sh', content: Buffer.from('#!/bin/sh'), mode: 0o755 },
    ],
    buildArgs: { BASE_IMAGE: 'node:22', TOOL_PACKAGES: 'a@1 b@2' },
    baseImage: 'node:22',
};

describe('image tag', () => {
    it('is the same for the same inputs, in any order', () => {
        const reordered: TaggedInputs = {
            files: [...base.files].reverse(),
            buildArgs: { TOOL_PACKAGES: 'a@1 b@2', BASE_IMAGE: 'node:22' },
            baseImage: 'node:22',
        };
        assert.equal(inputsHash(base), inputsHash(reordered));
    });

    it('changes with any input: a version, a file, a mode, the base image', () => {
        const hashes = new Set([
            inputsHash(base),
            inputsHash({ ...base, buildArgs: { ...base.buildArgs, TOOL_PACKAGES: 'a@1 b@3' } }),
            inputsHash({ ...base, baseImage: 'node:24' }),
            inputsHash({
                ...base,
                files: [{ ...base.files[0], content: Buffer.from('FROM y') }, base.files[1]],
            }),
            inputsHash({ ...base, files: [base.files[0], { ...base.files[1], mode: 0o644 }] }),
            inputsHash({
                ...base,
                files: [
                    ...base.files,
                    { path: 'ca-certificates/a.crt', content: Buffer.from('x'), mode: 0o644 },
                ],
            }),
            // Moving bytes between two fields must not give the same hash.
            inputsHash({ ...base, buildArgs: { BASE_IMAGE: 'node:22T', OOL_PACKAGES: 'a@1 b@2' } }),
        ]);
        assert.equal(hashes.size, 7);
    });

    it('names the image under the namespace with a short hash', () => {
        const hash = inputsHash(base);
        assert.equal(
            imageTag('agent-containers', hash),
            `agent-containers/tools:${hash.slice(0, 20)}`,
        );
    });
});
