/**
 * Hands a stored credential to a tool in the container and takes it back out. The values
 * travel only on the stdin of the image's agent-config helper, which merges them into the
 * tool's own files (mode 600, owned by the container user) and records what it added; a
 * tool that reads its environment also gets them as the session's environment.
 */
import type { ExecOptions } from '../core';
import type { CaptureResult } from '../session/execCapture';
import type { ToolDefinition } from '../tools/registry';
import type { StoredCredential } from './credentialStore';

/** Runs argv as the container user in the running container, like core.exec. */
export type ContainerExec = (
    argv: readonly string[],
    options?: ExecOptions,
) => Promise<CaptureResult>;

/** Writes the credential into the tool's files; a no-op when this generation is there. */
export async function injectCredential(
    exec: ContainerExec,
    tool: ToolDefinition,
    credential: StoredCredential,
): Promise<string> {
    const input = JSON.stringify({
        generation: credential.generation,
        kind: credential.kind,
        values: credential.values,
    });
    const result = await exec(['agent-config', 'credential-set', tool.id], { input });
    return outcome(result, `Passing the ${tool.label} credential`, secretValues(tool, credential));
}

/**
 * Removes what was injected for the tool. Given the values, only entries still holding
 * them go; the tool's own login and keys the user set themselves stay.
 */
export async function removeInjectedCredential(
    exec: ContainerExec,
    tool: ToolDefinition,
    previous: StoredCredential | undefined,
): Promise<string> {
    const input = JSON.stringify(previous ? { values: previous.values } : {});
    const result = await exec(['agent-config', 'credential-clear', tool.id], { input });
    return outcome(result, `Removing the ${tool.label} credential`, secretValues(tool, previous));
}

/** Variables the session of the tool gets from the stored credential. */
export function sessionEnvironment(
    tool: ToolDefinition,
    credential: StoredCredential | undefined,
): Record<string, string> {
    if (!credential || !tool.credentials.sessionEnvironment) return {};
    return { ...credential.values };
}

/** The helper's one-line report, or an error saying what failed, without any secret. */
function outcome(result: CaptureResult, what: string, secrets: readonly string[]): string {
    const said = redact(`${result.stderr}\n${result.stdout}`, secrets).trim();
    const last = said.split('\n').filter(Boolean).pop() ?? '';
    if (result.exitCode === 0) return last;
    // Images built before the helper knew credentials answer with its usage line.
    const hint = /usage: agent-config/.test(said) ? ' Rebuild the image to update it.' : '';
    throw new Error(`${what} failed: ${last || `exit code ${result.exitCode}`}.${hint}`);
}

/** The values of the credential's secret fields (all of them when the kind is unknown). */
export function secretValues(
    tool: ToolDefinition,
    credential: StoredCredential | undefined,
): string[] {
    if (!credential) return [];
    const kind = tool.credentials.kinds.find((k) => k.id === credential.kind);
    const secret = (name: string) =>
        kind?.fields.find((field) => field.name === name)?.secret ?? true;
    return Object.entries(credential.values)
        .filter(([name]) => secret(name) && !(name in (kind?.fixed ?? {})))
        .map(([, value]) => value);
}

/** Replaces every secret in `text`; the helper never prints one, this makes sure. */
export function redact(text: string, secrets: readonly string[]): string {
    let clean = text;
    for (const value of secrets) {
        if (value.length >= 4) clean = clean.split(value).join('***');
    }
    return clean;
}
