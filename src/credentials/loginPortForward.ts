/**
 * Makes a login callback port inside the container reachable from the host's browser.
 * Codex's browser login listens on 127.0.0.1 inside the container, which a published port
 * does not reach (and a container with no network has none): each connection to the same
 * port on the host's loopback is relayed by a small Node process exec'd in the container.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { ExecStream } from '../session/execStream';
import { log } from '../log';

/** Opens a process in the container with streamed stdin/stdout, like core.execStream. */
export type StreamOpener = (argv: readonly string[]) => Promise<ExecStream>;

// Connects to the port on the container's loopback and copies bytes both ways. A fixed
// script; the port arrives as an argument.
const RELAY =
    "const s = require('net').connect(Number(process.argv[1]), '127.0.0.1');" +
    'process.stdin.pipe(s); s.pipe(process.stdout);' +
    "s.on('error', (e) => { process.stderr.write(e.message); process.exit(1); });";

export interface PortForward {
    readonly port: number;
    dispose(): void;
}

/** Listens on 127.0.0.1:`port` of the host until disposed. */
export async function forwardLoginPort(open: StreamOpener, port: number): Promise<PortForward> {
    const sockets = new Set<Socket>();
    const server = createServer((socket) => {
        sockets.add(socket);
        socket.once('close', () => sockets.delete(socket));
        void relay(open, port, socket);
    });
    await listen(server, port);
    log.info(`Forwarding 127.0.0.1:${port} to the container for the login callback`);
    return {
        port,
        dispose: () => {
            server.close();
            for (const socket of sockets) socket.destroy();
            log.info(`Stopped forwarding port ${port}`);
        },
    };
}

async function relay(open: StreamOpener, port: number, socket: Socket): Promise<void> {
    try {
        const child = await open(['node', '-e', RELAY, String(port)]);
        socket.pipe(child.input);
        child.output.pipe(socket);
        await child.ended;
    } catch (error) {
        log.warn(`Login port ${port}: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
        socket.end();
    }
}

function listen(server: Server, port: number): Promise<void> {
    return new Promise((resolve, reject) => {
        server.once('error', (error: NodeJS.ErrnoException) => {
            reject(
                error.code === 'EADDRINUSE'
                    ? new Error(
                          `Port ${port} is in use on this machine, so the browser login ` +
                              'cannot reach the container. ' +
                              'Free it, or sign in with the device code.',
                      )
                    : error,
            );
        });
        server.listen(port, '127.0.0.1', () => resolve());
    });
}
