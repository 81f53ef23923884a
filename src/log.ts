/**
 * The one log of the extension. Core modules write here without knowing about the editor;
 * activation points it at the LogOutputChannel, so tests and the benchmark run the same
 * code outside the editor.
 */
export interface Logger {
    trace(message: string): void;
    debug(message: string): void;
    info(message: string): void;
    warn(message: string): void;
    error(message: string | Error): void;
}

const silent: Logger = {
    trace: () => undefined,
    debug: () => undefined,
    info: () => undefined,
    warn: () => undefined,
    error: () => undefined,
};

export let log: Logger = process.env.AGENT_CONTAINERS_LOG_TO_STDERR ? consoleLogger() : silent;

export function setLogger(logger: Logger): void {
    log = logger;
}

function consoleLogger(): Logger {
    const write = (level: string) => (message: string | Error) =>
        process.stderr.write(
            `[${level}] ${message instanceof Error ? message.message : message}\n`,
        );
    return {
        trace: write('trace'),
        debug: write('debug'),
        info: write('info'),
        warn: write('warn'),
        error: write('error'),
    };
}
