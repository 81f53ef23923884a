/**
 * Builds the agent image from the real build context for the image tests, and runs
 * throw-away containers of it. The image is tagged by a hash of its inputs and labelled as
 * a test object; it stays cached between runs, while containers and volumes are removed.
 */
import type Docker from 'dockerode';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import {
    buildArgs,
    buildContextFiles,
    buildContextTar,
    toolVersionLabels,
    type ImageBuildInputs,
} from '../../src/image/buildContext';
import { TOOLS, volumeName } from '../../src/tools/registry';
import { docker, hostCaCertificateFiles, TEST_BASE_IMAGE, TEST_LABEL } from '../support/docker';

/** Namespace of the cached test images; containers and volumes use per-file namespaces. */
export const IMAGE_NAMESPACE = 'agent-containers-test-image';

export function testImageInputs(versions: Record<string, string> = {}): ImageBuildInputs {
    return {
        baseImage: TEST_BASE_IMAGE,
        versions,
        caCertificates: hostCaCertificateFiles().map((path) => ({
            name: path,
            pem: readFileSync(path, 'utf8'),
        })),
    };
}

export interface BuiltImage {
    readonly tag: string;
    readonly seconds: number;
    readonly output: string;
}

/** Builds (mostly from cache) and tags the image for these inputs. */
export async function buildTestImage(
    inputs: ImageBuildInputs = testImageInputs(),
    options: { noCache?: boolean } = {},
): Promise<BuiltImage> {
    const hash = createHash('sha256');
    for (const file of await buildContextFiles(inputs)) hash.update(file.path).update(file.content);
    hash.update(JSON.stringify(buildArgs(inputs)));
    const tag = `${IMAGE_NAMESPACE}/agent:${hash.digest('hex').slice(0, 12)}`;

    const started = Date.now();
    const stream = await docker.buildImage(await buildContextTar(inputs), {
        t: tag,
        buildargs: buildArgs(inputs),
        labels: { [TEST_LABEL]: IMAGE_NAMESPACE, ...toolVersionLabels(inputs) },
        networkmode: 'host',
        rm: true,
        forcerm: true,
        nocache: options.noCache ?? false,
    });
    const lines: string[] = [];
    await new Promise<void>((resolve, reject) => {
        docker.modem.followProgress(
            stream,
            (error) => (error ? reject(error) : resolve()),
            (event: { stream?: string; error?: string }) => {
                if (event.stream) lines.push(event.stream);
                if (event.error) lines.push(`ERROR: ${event.error}`);
            },
        );
    });
    const output = lines.join('');
    if (output.includes('ERROR: ')) throw new Error(`image build failed:\n${output.slice(-4000)}`);
    await removeOlderTestImages(tag);
    return { tag, seconds: (Date.now() - started) / 1000, output };
}

/** Test images of earlier inputs; their layers shared with the new one stay cached. */
async function removeOlderTestImages(current: string): Promise<void> {
    const filters = { label: [`${TEST_LABEL}=${IMAGE_NAMESPACE}`] };
    for (const info of await docker.listImages({ filters })) {
        if (info.RepoTags?.includes(current)) continue;
        // Another test file may still run a container of it; it goes next time.
        await docker
            .getImage(info.Id)
            .remove({ force: false })
            .catch(() => undefined);
    }
}

/** Named volumes of every tool under a test namespace, mount target → volume name. */
export function toolVolumes(namespace: string): { Source: string; Target: string }[] {
    return TOOLS.flatMap((tool) =>
        tool.volumes.map((volume) => ({
            Source: volumeName(namespace, volume),
            Target: `/home/hagicode/${volume.path}`,
        })),
    );
}

export async function createToolVolumes(namespace: string): Promise<void> {
    for (const { Source } of toolVolumes(namespace)) {
        await docker.createVolume({ Name: Source, Labels: { [TEST_LABEL]: namespace } });
    }
}

export interface RunOptions {
    readonly env?: Record<string, string>;
    readonly binds?: string[];
    readonly cmd?: string[];
    readonly networkMode?: 'none' | 'host';
}

/** Creates and starts a container with every tool volume mounted; no network by default. */
export async function startContainer(
    image: string,
    namespace: string,
    options: RunOptions = {},
): Promise<Docker.Container> {
    const container = await docker.createContainer({
        Image: image,
        name: `${namespace}-${Math.random().toString(16).slice(2, 8)}`,
        Labels: { [TEST_LABEL]: namespace },
        Env: Object.entries(options.env ?? {}).map(([key, value]) => `${key}=${value}`),
        Cmd: options.cmd,
        HostConfig: {
            NetworkMode: options.networkMode ?? 'none',
            Mounts: toolVolumes(namespace).map((m) => ({ Type: 'volume' as const, ...m })),
            Binds: options.binds,
        },
    });
    await container.start();
    return container;
}

export interface ExecResult {
    readonly exitCode: number;
    readonly stdout: string;
    readonly stderr: string;
}

/** Runs argv in the container, as hagicode unless told otherwise, with optional stdin. */
export async function exec(
    container: Docker.Container,
    cmd: string[],
    options: { user?: string; stdin?: string; env?: string[] } = {},
): Promise<ExecResult> {
    const execution = await container.exec({
        Cmd: cmd,
        User: options.user ?? 'hagicode',
        Env: options.env,
        AttachStdin: options.stdin !== undefined,
        AttachStdout: true,
        AttachStderr: true,
    });
    const stream = await execution.start({ hijack: true, stdin: options.stdin !== undefined });
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    stdout.on('data', (chunk: Buffer) => out.push(chunk));
    stderr.on('data', (chunk: Buffer) => err.push(chunk));
    docker.modem.demuxStream(stream, stdout, stderr);
    if (options.stdin !== undefined) stream.end(options.stdin);
    await new Promise<void>((resolve, reject) => {
        stream.on('end', resolve);
        stream.on('close', resolve);
        stream.on('error', reject);
    });
    const { ExitCode } = await execution.inspect();
    return {
        exitCode: ExitCode ?? -1,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
    };
}

/** Waits until the entrypoint has handed over to the command (or the container stopped). */
export async function waitForCommand(
    container: Docker.Container,
    timeoutMs = 60_000,
): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
        const info = await container.inspect();
        if (!info.State.Running) return;
        const top = await container.top({ ps_args: '-o pid,comm' });
        if (top.Processes?.some((row: string[]) => row.some((cell) => cell.includes('sleep'))))
            return;
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('container did not reach its command in time');
}

/** Stdout and stderr of the container so far. */
export async function containerLogs(container: Docker.Container): Promise<string> {
    const buffer = await container.logs({ stdout: true, stderr: true, follow: false });
    // Without a TTY the log stream is multiplexed: 8-byte headers before each frame.
    const parts: string[] = [];
    for (let offset = 0; offset + 8 <= buffer.length;) {
        const size = buffer.readUInt32BE(offset + 4);
        parts.push(buffer.subarray(offset + 8, offset + 8 + size).toString('utf8'));
        offset += 8 + size;
    }
    return parts.join('');
}

/** Waits for the container to stop and returns its exit code. */
export async function waitForExit(container: Docker.Container): Promise<number> {
    const result = (await container.wait()) as { StatusCode: number };
    return result.StatusCode;
}

/** Writes a file in the container as hagicode; the content travels on stdin. */
export async function writeContainerFile(
    container: Docker.Container,
    path: string,
    content: string,
): Promise<void> {
    const result = await exec(container, ['sh', '-c', 'cat > "$1"', 'sh', path], {
        stdin: content,
    });
    if (result.exitCode !== 0) throw new Error(`writing ${path} failed: ${result.stderr}`);
}

/** The file's bytes, or undefined when it does not exist. */
export async function readContainerFile(
    container: Docker.Container,
    path: string,
): Promise<Buffer | undefined> {
    const result = await exec(container, [
        'sh',
        '-c',
        'test -f "$1" && base64 -w0 "$1"',
        'sh',
        path,
    ]);
    return result.exitCode === 0 ? Buffer.from(result.stdout, 'base64') : undefined;
}

/** `uid:gid mode` of a path, read as root so that nothing hides it. */
export async function ownerAndMode(container: Docker.Container, path: string): Promise<string> {
    const result = await exec(container, ['stat', '-c', '%u:%g %a', path], { user: 'root' });
    if (result.exitCode !== 0) throw new Error(`stat ${path} failed: ${result.stderr}`);
    return result.stdout.trim();
}
