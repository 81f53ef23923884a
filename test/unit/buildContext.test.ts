import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import * as tar from 'tar-stream';
import {
    buildArgs,
    buildContextFiles,
    buildContextTar,
    findMediaDirectory,
    toolVersionLabels,
    type ImageBuildInputs,
} from '../../src/image/buildContext';
import { TOOLS } from '../../src/tools/registry';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const inputs: ImageBuildInputs = {
    baseImage: 'node:22-bookworm-slim',
    versions: {},
    caCertificates: [],
};

/** ARG defaults as written in media/Dockerfile. */
function dockerfileDefaults(): Record<string, string> {
    const text = readFileSync(`${findMediaDirectory()}/Dockerfile`, 'utf8');
    return Object.fromEntries(
        [...text.matchAll(/^ARG (\w+)="?([^"\n]*)"?$/gm)].map((m) => [m[1], m[2]]),
    );
}

async function tarEntries(
    stream: NodeJS.ReadableStream,
): Promise<Map<string, { mode?: number; body: string }>> {
    const entries = new Map<string, { mode?: number; body: string }>();
    const extract = tar.extract();
    const done = (async () => {
        for await (const entry of extract) {
            entries.set(entry.header.name, {
                mode: entry.header.mode,
                body: (await buffer(entry)).toString(),
            });
        }
    })();
    stream.pipe(extract);
    await done;
    return entries;
}

describe('buildArgs', () => {
    it('equals the Dockerfile defaults for the default inputs, so a hand build matches', () => {
        assert.deepEqual(buildArgs(inputs), dockerfileDefaults());
    });

    it('pins every tool of the registry and lists every volume path', () => {
        const args = buildArgs(inputs);
        for (const tool of TOOLS) {
            assert.ok(
                args.TOOL_PACKAGES.split(' ').includes(`${tool.npmPackage}@${tool.defaultVersion}`),
            );
            assert.ok(
                args.TOOL_VERSION_ENV.split(' ').includes(
                    `${tool.versionOverrideEnv}=${tool.npmPackage}`,
                ),
            );
            for (const volume of tool.volumes)
                assert.ok(args.TOOL_DIRS.split(' ').includes(volume.path));
        }
    });

    it('takes a version from the inputs and records it in the labels', () => {
        const chosen = { ...inputs, versions: { claude: '2.1.332' } };
        assert.match(buildArgs(chosen).TOOL_PACKAGES, /@anthropic-ai\/claude-code@2\.1\.332( |$)/);
        assert.equal(toolVersionLabels(chosen)['agent-containers.tool.claude.version'], '2.1.332');
        assert.equal(toolVersionLabels(chosen)['agent-containers.tool.codex.version'], '0.171.0');
    });

    it('accepts dist-tags and prerelease versions', () => {
        assert.doesNotThrow(() => buildArgs({ ...inputs, versions: { codex: 'latest' } }));
        assert.doesNotThrow(() => buildArgs({ ...inputs, versions: { codex: '0.1.0-alpha.3' } }));
    });

    it('refuses anything else, naming the setting', () => {
        for (const bad of ['latest; touch /tmp/pwned', '1.2.3 evil@1', '$(id)', '', '../x']) {
            assert.throws(
                () => buildArgs({ ...inputs, versions: { claude: bad } }),
                /agentContainers\.tools\.claude\.version/,
                bad,
            );
        }
    });

    it('refuses unknown tools and odd base images', () => {
        assert.throws(
            () => buildArgs({ ...inputs, versions: { vim: '1.0.0' } }),
            /Unknown tool "vim"/,
        );
        assert.throws(() => buildArgs({ ...inputs, baseImage: 'node 22' }), /baseImage/);
    });
});

describe('buildContextFiles and buildContextTar', () => {
    it('holds the bundled files with their modes, and an empty certificate directory', async () => {
        const files = await buildContextFiles(inputs);
        const byPath = new Map(files.map((f) => [f.path, f]));
        assert.equal(byPath.get('entrypoint.sh')?.mode, 0o755);
        assert.equal(byPath.get('Dockerfile')?.mode, 0o644);
        assert.ok(byPath.has('agent-config/agent-config.mjs'));
        assert.deepEqual(
            files.filter((f) => f.path.startsWith('ca-certificates/')).map((f) => f.path),
            ['ca-certificates/.gitkeep'],
        );
    });

    it('adds certificates as *.crt with safe, distinct names', async () => {
        const files = await buildContextFiles({
            ...inputs,
            caCertificates: [
                { name: '/etc/corp/Root CA.pem', pem: PEM },
                { name: 'C:\\certs\\root.crt', pem: PEM.trimEnd() },
                { name: 'root.crt', pem: PEM },
            ],
        });
        const certificates = files.filter((f) => f.path.endsWith('.crt'));
        assert.deepEqual(
            certificates.map((f) => f.path),
            [
                'ca-certificates/00-Root_CA.crt',
                'ca-certificates/01-C__certs_root.crt',
                'ca-certificates/02-root.crt',
            ],
        );
        assert.ok(certificates.every((f) => f.content.toString().endsWith('-----\n')));
    });

    it('refuses a certificate that is not PEM, naming it', async () => {
        await assert.rejects(
            buildContextFiles({
                ...inputs,
                caCertificates: [{ name: 'key.der', pem: '\u0030\u0082' }],
            }),
            /key\.der is not a PEM certificate/,
        );
    });

    it('streams the same files as a tar, byte-identical each time', async () => {
        const withCa = { ...inputs, caCertificates: [{ name: 'a.crt', pem: PEM }] };
        const first = await buffer(await buildContextTar(withCa));
        const second = await buffer(await buildContextTar(withCa));
        assert.ok(first.equals(second));

        const entries = await tarEntries(Readable.from([first]));
        const files = await buildContextFiles(withCa);
        assert.deepEqual(
            [...entries.keys()],
            files.map((f) => f.path),
        );
        assert.equal(entries.get('entrypoint.sh')?.mode, 0o755);
        assert.equal(entries.get('ca-certificates/00-a.crt')?.body, PEM);
    });
});
