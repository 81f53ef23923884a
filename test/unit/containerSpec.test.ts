import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSettings } from '../../src/config/settings';
import {
    containerName,
    containerSpec,
    containerUserIds,
    workspaceMountPath,
} from '../../src/container/containerSpec';
import { LABEL_NAMESPACE, LABEL_SPEC_HASH, LABEL_WORKSPACE } from '../../src/docker/labels';
import { CONTAINER_HOME, TOOLS, volumeName } from '../../src/tools/registry';

const input = (extra: Record<string, unknown> = {}, hostIds = { uid: 1234, gid: 5678 }) => ({
    settings: parseSettings(extra),
    namespace: 'ns',
    workspaceFolder: '/home/me/my project é',
    imageRef: 'ns/tools:abc',
    hostIds,
    labels: { 'agent-containers.test': 'ns' },
});

describe('containerSpec', () => {
    it('takes the host IDs, except root or none, and lets settings override them', () => {
        const s = parseSettings({});
        assert.deepEqual(containerUserIds(s, { uid: 1234, gid: 5678 }), { uid: 1234, gid: 5678 });
        assert.deepEqual(containerUserIds(s, { uid: 0, gid: 0 }), { uid: 1000, gid: 1000 });
        assert.deepEqual(containerUserIds(s, undefined), { uid: 1000, gid: 1000 });
        const override = parseSettings({ 'container.uid': 1001, 'container.gid': 100 });
        assert.deepEqual(containerUserIds(override, { uid: 0, gid: 0 }), { uid: 1001, gid: 100 });
    });

    it('mounts the workspace at the same path, or the configured one, or /workspaces on Windows', () => {
        assert.equal(workspaceMountPath(parseSettings({}), '/a/b c'), '/a/b c');
        const custom = parseSettings({ 'container.workspaceMountPath': '/work' });
        assert.equal(workspaceMountPath(custom, '/a/b'), '/work');
        assert.equal(
            workspaceMountPath(parseSettings({}), 'C:\\Users\\Me\\My Repo'),
            '/workspaces/my-repo',
        );
    });

    it('names the container readably and uniquely per path', () => {
        const a = containerName('ns', '/home/me/my project é');
        assert.match(a, /^ns-my-project-e-[0-9a-f]{8}$/);
        assert.notEqual(a, containerName('ns', '/other/my project é'));
        assert.match(containerName('ns', '/'), /^ns-[0-9a-f]{8}$/);
    });

    it('builds the create options: mounts, env, security, limits, labels', () => {
        const spec = containerSpec(
            input({
                'container.networkMode': 'none',
                'container.memoryLimit': '2g',
                'container.cpuLimit': 1.5,
                'container.environment': { FOO: 'bar' },
            }),
        );
        const host = spec.HostConfig!;
        assert.equal(host.NetworkMode, 'none');
        assert.deepEqual(host.SecurityOpt, ['no-new-privileges:true']);
        assert.equal(host.Memory, 2 * 1024 ** 3);
        assert.equal(host.NanoCpus, 1.5e9);
        assert.equal(host.Privileged, undefined);
        assert.equal(host.Binds, undefined);
        const mounts = host.Mounts!;
        assert.deepEqual(mounts[0], {
            Type: 'bind',
            Source: '/home/me/my project é',
            Target: '/home/me/my project é',
            ReadOnly: false,
        });
        for (const tool of TOOLS) {
            for (const volume of tool.volumes) {
                assert.ok(
                    mounts.some(
                        (m) =>
                            m.Type === 'volume' &&
                            m.Source === volumeName('ns', volume) &&
                            m.Target === `${CONTAINER_HOME}/${volume.path}`,
                    ),
                );
            }
        }
        assert.ok(!JSON.stringify(spec).includes('docker.sock'));
        assert.ok(spec.Env!.includes('PUID=1234'));
        assert.ok(spec.Env!.includes('PGID=5678'));
        assert.ok(spec.Env!.includes('FOO=bar'));
        assert.ok(spec.Env!.includes(`CLAUDE_CONFIG_DIR=${CONTAINER_HOME}/.claude`));
        assert.equal(spec.WorkingDir, '/home/me/my project é');
        assert.equal(spec.Labels![LABEL_NAMESPACE], 'ns');
        assert.equal(spec.Labels![LABEL_WORKSPACE], '/home/me/my project é');
        assert.equal(spec.Labels!['agent-containers.test'], 'ns');
        assert.equal(containerSpec(input()).HostConfig!.NetworkMode, undefined);
    });

    it('keeps the spec hash for equal inputs and changes it for any change', () => {
        const hash = (extra?: Record<string, unknown>, ids?: { uid: number; gid: number }) =>
            containerSpec(input(extra, ids)).Labels![LABEL_SPEC_HASH];
        assert.equal(hash(), hash());
        assert.notEqual(hash(), hash({}, { uid: 1001, gid: 5678 }));
        assert.notEqual(hash(), hash({ 'container.networkMode': 'host' }));
        assert.notEqual(hash(), hash({ 'container.environment': { A: '1' } }));
        // Tool arguments are per session, not per container.
        assert.equal(hash(), hash({ 'tools.claude.extraArgs': ['--verbose'] }));
    });

    it('never mounts the Docker socket or its directory as the workspace', () => {
        for (const path of ['/var/run/docker.sock', '/var/run', '/run', '/']) {
            assert.throws(
                () => containerSpec({ ...input(), workspaceFolder: path }),
                /Docker socket/,
            );
        }
    });
});
