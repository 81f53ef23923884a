/**
 * A read-only Docker Registry v2 on 127.0.0.1 serving one image taken from the engine's
 * `docker save`, so pulling can be tested without any outside registry. Docker treats
 * registries on loopback as plain http, so no TLS is needed. Loopback only, on purpose.
 */
import type Docker from 'dockerode';
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { extract } from 'tar-stream';

const MANIFEST_TYPE = 'application/vnd.docker.distribution.manifest.v2+json';
const CONFIG_TYPE = 'application/vnd.docker.container.image.v1+json';
const LAYER_TYPE = 'application/vnd.docker.image.rootfs.diff.tar.gzip';

export interface LoopbackRegistry {
    /** `127.0.0.1:<port>` */
    readonly host: string;
    /** Requests seen so far, as "METHOD /path". */
    readonly requests: string[];
    /** While true, blob responses send a few bytes and then stall (for cancel tests). */
    stallBlobs: boolean;
    /** Stalled blob responses whose connection the client has not closed yet. */
    readonly stalled: number;
    close(): Promise<void>;
}

interface Blob {
    readonly type: string;
    readonly data: Buffer;
}

function digestOf(data: Buffer): string {
    return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** The files of a `docker save` tarball, by path. */
async function savedFiles(stream: NodeJS.ReadableStream): Promise<Map<string, Buffer>> {
    const files = new Map<string, Buffer>();
    const reader = extract();
    reader.on('entry', (header, body, next) => {
        const chunks: Buffer[] = [];
        body.on('data', (chunk: unknown) => void chunks.push(chunk as Buffer));
        body.on('end', () => {
            if (header.type === 'file') files.set(header.name, Buffer.concat(chunks));
            next();
        });
    });
    await new Promise<void>((resolve, reject) => {
        reader.on('finish', resolve);
        reader.on('error', reject);
        stream.on('error', reject);
        stream.pipe(reader);
    });
    return files;
}

/** Blobs and the schema2 manifest for the one image in a `docker save` tarball. */
async function imageContent(docker: Docker, image: string) {
    const files = await savedFiles(await docker.getImage(image).get());
    const [entry] = JSON.parse(files.get('manifest.json')!.toString()) as {
        Config: string;
        Layers: string[];
    }[];
    const blobs = new Map<string, Blob>();
    const config = files.get(entry.Config)!;
    blobs.set(digestOf(config), { type: CONFIG_TYPE, data: config });
    const layers = entry.Layers.map((path) => {
        // Compressed once here; the manifest names the gzip's digest, the config the tar's.
        const data = gzipSync(files.get(path)!);
        const digest = digestOf(data);
        blobs.set(digest, { type: LAYER_TYPE, data });
        return { mediaType: LAYER_TYPE, size: data.length, digest };
    });
    const manifest = Buffer.from(
        JSON.stringify({
            schemaVersion: 2,
            mediaType: MANIFEST_TYPE,
            config: { mediaType: CONFIG_TYPE, size: config.length, digest: digestOf(config) },
            layers,
        }),
    );
    return { blobs, manifest };
}

/**
 * Serves `image` (which must exist on `docker`) as `<repository>:<tag>` on a free port of
 * 127.0.0.1. Other repositories, tags and digests answer 404 the way a registry does.
 */
export async function startLoopbackRegistry(
    docker: Docker,
    image: string,
    repository: string,
    tag: string,
): Promise<LoopbackRegistry> {
    const { blobs, manifest } = await imageContent(docker, image);
    const manifestDigest = digestOf(manifest);
    const requests: string[] = [];
    const state = { stallBlobs: false };
    const open = new Set<ServerResponse>();

    const send = (res: ServerResponse, method: string, type: string, data: Buffer) => {
        res.writeHead(200, {
            'Content-Type': type,
            'Content-Length': data.length,
            'Docker-Content-Digest': digestOf(data),
            'Docker-Distribution-Api-Version': 'registry/2.0',
        });
        res.end(method === 'HEAD' ? undefined : data);
    };
    const notFound = (res: ServerResponse, code: string, message: string) => {
        const body = Buffer.from(JSON.stringify({ errors: [{ code, message, detail: {} }] }));
        res.writeHead(404, { 'Content-Type': 'application/json', 'Content-Length': body.length });
        res.end(body);
    };

    const handle = (req: IncomingMessage, res: ServerResponse) => {
        const method = req.method ?? 'GET';
        const path = new URL(req.url ?? '/', 'http://registry').pathname;
        requests.push(`${method} ${path}`);
        if (method !== 'GET' && method !== 'HEAD') {
            res.writeHead(405).end();
            return;
        }
        if (path === '/v2/' || path === '/v2') {
            send(res, method, 'application/json', Buffer.from('{}'));
            return;
        }
        const manifestPath = `/v2/${repository}/manifests/`;
        const blobPath = `/v2/${repository}/blobs/`;
        if (path.startsWith(manifestPath)) {
            const reference = path.slice(manifestPath.length);
            if (reference === tag || reference === manifestDigest) {
                send(res, method, MANIFEST_TYPE, manifest);
            } else {
                notFound(res, 'MANIFEST_UNKNOWN', 'manifest unknown');
            }
            return;
        }
        if (path.startsWith(blobPath)) {
            const blob = blobs.get(path.slice(blobPath.length));
            if (!blob) {
                notFound(res, 'BLOB_UNKNOWN', 'blob unknown to registry');
            } else if (state.stallBlobs && method === 'GET' && blob.type === LAYER_TYPE) {
                // Headers and a first chunk, then nothing until the client gives up.
                res.writeHead(200, {
                    'Content-Type': blob.type,
                    'Content-Length': blob.data.length,
                });
                res.write(blob.data.subarray(0, Math.min(64, blob.data.length - 1)));
                open.add(res);
                res.on('close', () => open.delete(res));
            } else {
                send(res, method, blob.type, blob.data);
            }
            return;
        }
        notFound(res, 'NAME_UNKNOWN', 'repository name not known to registry');
    };

    const server = createServer(handle);
    await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', resolve);
    });
    const { port } = server.address() as AddressInfo;
    return {
        host: `127.0.0.1:${port}`,
        requests,
        get stalled() {
            return open.size;
        },
        get stallBlobs() {
            return state.stallBlobs;
        },
        set stallBlobs(value: boolean) {
            state.stallBlobs = value;
        },
        close: () =>
            new Promise<void>((resolve) => {
                open.forEach((res) => res.destroy());
                server.closeAllConnections();
                server.close(() => resolve());
            }),
    };
}
