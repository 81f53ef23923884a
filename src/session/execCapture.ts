/**
 * Runs a short command in a container without a TTY and collects its output, for checks
 * such as readiness. Interactive sessions use execSession instead.
 */
import type Docker from 'dockerode';
import { demultiplex } from '../docker/demultiplex';
import { log } from '../log';

export interface CaptureResult {
    readonly exitCode: number;
    readonly stdout: string;
    readonly stderr: string;
}

export interface CaptureOptions {
    readonly user?: string;
    readonly workingDir?: string;
    readonly env?: Readonly<Record<string, string>>;
    /** Written to the process's stdin, which is then closed; secrets travel this way. */
    readonly input?: string;
}

export async function runCapture(
    container: Docker.Container,
    argv: readonly string[],
    options: CaptureOptions = {},
): Promise<CaptureResult> {
    log.debug(
        `Docker: exec ${argv[0]} in ${container.id.slice(0, 12)} ` +
            `as ${options.user ?? 'default user'}`,
    );
    const exec = await container.exec({
        Cmd: [...argv],
        AttachStdin: options.input !== undefined,
        AttachStdout: true,
        AttachStderr: true,
        User: options.user,
        WorkingDir: options.workingDir,
        Env: Object.entries(options.env ?? {}).map(([key, value]) => `${key}=${value}`),
    });
    const stream = await exec.start({ hijack: true, stdin: options.input !== undefined });
    // Closing our side of the hijacked connection is what ends the process's stdin.
    if (options.input !== undefined) stream.end(options.input);
    const chunks: Buffer[] = [];
    await new Promise<void>((resolve, reject) => {
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', resolve);
        stream.on('close', resolve);
        stream.on('error', reject);
    });
    const { stdout, stderr } = demultiplex(Buffer.concat(chunks));
    const exitCode = (await exec.inspect()).ExitCode ?? -1;
    return { exitCode, stdout, stderr };
}
