/**
 * A process in the container whose stdin and stdout are plain byte streams (no TTY), for
 * relaying a connection. Stderr goes to the log at debug level.
 */
import type Docker from 'dockerode';
import { PassThrough, type Duplex, type Readable, type Writable } from 'node:stream';
import { log } from '../log';

export interface ExecStream {
    /** The process's stdin; ending it closes stdin. */
    readonly input: Writable;
    readonly output: Readable;
    /** Settles when the process's streams have ended. */
    readonly ended: Promise<void>;
}

export async function openExecStream(
    container: Docker.Container,
    argv: readonly string[],
    user: string,
): Promise<ExecStream> {
    log.debug(`Docker: stream exec ${argv[0]} in ${container.id.slice(0, 12)} as ${user}`);
    const exec = await container.exec({
        Cmd: [...argv],
        User: user,
        AttachStdin: true,
        AttachStdout: true,
        AttachStderr: true,
    });
    const stream = (await exec.start({ hijack: true, stdin: true })) as Duplex;
    const output = new PassThrough();
    const errors = new PassThrough();
    container.modem.demuxStream(stream, output, errors);
    errors.on('data', (chunk: Buffer) => log.debug(`${argv[0]}: ${chunk.toString().trim()}`));
    const ended = new Promise<void>((resolve) => {
        const finish = () => {
            output.end();
            resolve();
        };
        stream.once('end', finish);
        stream.once('close', finish);
        stream.once('error', finish);
    });
    return { input: stream, output, ended };
}
