import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { composeFile } from '../../src/compose/composeFile';
import { TOOLS, volumeName } from '../../src/tools/registry';

interface ComposeDocument {
    services: Record<
        string,
        {
            image: string;
            environment: Record<string, string>;
            working_dir: string;
            volumes: { type: string; source: string; target: string }[];
            labels: Record<string, string>;
        }
    >;
    volumes: Record<string, { name: string }>;
}

const base = {
    image: 'agent-containers/agent:abc123',
    namespace: 'agent-containers',
    workspaceFolder: '/home/me/my project é',
    uid: 501,
    gid: 20,
};

function parsed(text: string): ComposeDocument {
    return parse(text) as ComposeDocument;
}

describe('composeFile', () => {
    it('runs the image with the host IDs as strings', () => {
        const service = parsed(composeFile(base)).services.agent;
        assert.equal(service.image, base.image);
        assert.equal(service.environment.PUID, '501');
        assert.equal(service.environment.PGID, '20');
    });

    it('bind-mounts the workspace at its own path and works there', () => {
        const service = parsed(composeFile(base)).services.agent;
        assert.deepEqual(service.volumes[0], {
            type: 'bind',
            source: base.workspaceFolder,
            target: base.workspaceFolder,
        });
        assert.equal(service.working_dir, base.workspaceFolder);
        assert.equal(service.labels['agent-containers.workspace'], base.workspaceFolder);
    });

    it('mounts a Windows workspace at /workspace unless told where', () => {
        const windows = { ...base, workspaceFolder: 'C:\\Users\\me\\proj' };
        assert.equal(parsed(composeFile(windows)).services.agent.working_dir, '/workspace');
        const chosen = { ...windows, workspaceMountPath: '/src' };
        assert.equal(parsed(composeFile(chosen)).services.agent.volumes[0].target, '/src');
    });

    it('mounts one named volume per tool volume, named like the extension names them', () => {
        const document = parsed(composeFile({ ...base, namespace: 'ns-x' }));
        const mounts = document.services.agent.volumes.filter((v) => v.type === 'volume');
        const expected = TOOLS.flatMap((tool) => tool.volumes);
        assert.equal(mounts.length, expected.length);
        for (const volume of expected) {
            const mount = mounts.find((m) => m.target === `/home/hagicode/${volume.path}`);
            assert.ok(mount, `no mount for ${volume.path}`);
            assert.equal(document.volumes[mount.source].name, volumeName('ns-x', volume));
        }
        assert.ok(mounts.some((m) => m.target === '/home/hagicode/.local/share/opencode'));
    });

    it("sets every tool's own variables, so state lands in the tool volumes", () => {
        const { environment } = parsed(composeFile(base)).services.agent;
        for (const tool of TOOLS) {
            for (const [name, value] of Object.entries(tool.environment)) {
                assert.equal(environment[name], value, `${tool.id}: ${name}`);
            }
        }
    });

    it('keeps dollars literal, since Compose would substitute them', () => {
        const text = composeFile({
            ...base,
            workspaceFolder: '/w/$HOME/${x}',
            environment: { A: 'p$q' },
        });
        const service = parsed(text).services.agent;
        assert.equal(service.volumes[0].source, '/w/$$HOME/$${x}');
        assert.equal(service.environment.A, 'p$$q');
    });

    it('survives quotes, colons and newlines in values as YAML', () => {
        const odd = '/w/a: "b" #c\n- d';
        const service = parsed(composeFile({ ...base, workspaceFolder: odd })).services.agent;
        assert.equal(service.volumes[0].source, odd);
    });

    it('refuses root and non-integer IDs', () => {
        assert.throws(() => composeFile({ ...base, uid: 0 }), /uid/);
        assert.throws(() => composeFile({ ...base, gid: 1.5 }), /gid/);
    });

    it('lets the host user override PUID only through uid, not the environment', () => {
        const text = composeFile({ ...base, environment: { PUID: '0' } });
        assert.equal(parsed(text).services.agent.environment.PUID, '501');
    });
});
