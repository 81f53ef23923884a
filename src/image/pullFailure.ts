/**
 * Turns what the engine says when a pull fails into one line that names the image and
 * says what to check. dockerode's own message ("(HTTP code 404) unexpected - manifest for
 * … not found: manifest unknown: manifest unknown ") reads as a crash, not as advice.
 */

interface EngineHttpError {
    readonly statusCode?: number;
    readonly json?: { readonly message?: unknown } | null;
}

/** The Error to throw for a failed pull of `name`; the engine's error is kept as cause. */
export function pullFailure(name: string, error: unknown): Error {
    const reason = engineReason(error);
    const { statusCode } = (error ?? {}) as EngineHttpError;
    const notFound = statusCode === 404 || /not found|manifest unknown/i.test(reason);
    const check = notFound
        ? 'Check agentContainers.image.name (name and tag) ' +
          'and that you are logged in to its registry.'
        : 'Check agentContainers.image.name and that its registry is reachable from Docker.';
    return new Error(`Could not pull image ${name}: ${reason}. ${check}`, { cause: error });
}

/** The engine's own words, one line, without dockerode's prefix or repeated tails. */
function engineReason(error: unknown): string {
    const json = (error as EngineHttpError | undefined)?.json;
    let text =
        typeof json?.message === 'string'
            ? json.message
            : error instanceof Error
              ? error.message
              : String(error);
    text = text.replace(/^\(HTTP code \d+\)[^-]*- /, '');
    const first = text.split(/\r?\n/).find((line) => line.trim() !== '') ?? text;
    // Registries repeat the code as the message: "manifest unknown: manifest unknown".
    return first
        .trim()
        .replace(/(: ([^:]+))\1$/, '$1')
        .replace(/[.:]$/, '');
}
