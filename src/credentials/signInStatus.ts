/**
 * What each tool is signed in with: a credential stored in the editor, what of it is
 * written into the tool's volume, and the tool's own login there. Names and kinds only;
 * the helper in the container reads the files and never prints a secret.
 */
import { z } from 'zod';
import type { ToolDefinition } from '../tools/registry';
import type { ContainerExec } from './credentialInjection';
import type { StoredCredential } from './credentialStore';

const toolVolumeState = z.union([
    z.object({
        injected: z
            .object({ generation: z.string(), kind: z.string(), keys: z.array(z.string()) })
            .nullable(),
        ownLogin: z.boolean(),
        ownLoginDetail: z.string(),
        notes: z.array(z.string()),
    }),
    z.object({ error: z.string() }),
]);

export type ToolVolumeState = z.infer<typeof toolVolumeState>;

/** Per tool id, what the volumes hold; from the running container. */
export async function readVolumeStates(
    exec: ContainerExec,
): Promise<Record<string, ToolVolumeState>> {
    const result = await exec(['agent-config', 'credential-status']);
    if (result.exitCode !== 0) {
        const said = result.stderr.trim().split('\n').pop() || `exit code ${result.exitCode}`;
        const hint = /usage: agent-config/.test(result.stderr) ? ' Rebuild the image.' : '';
        throw new Error(`Reading the sign-in state failed: ${said}.${hint}`);
    }
    return z.record(z.string(), toolVolumeState).parse(JSON.parse(result.stdout));
}

export interface SignInStatus {
    /** One line, e.g. "API key stored and injected · own login". */
    readonly summary: string;
    readonly details: readonly string[];
}

/** The status of one tool; `volume` is undefined when the container was not looked at. */
export function describeSignInStatus(
    tool: ToolDefinition,
    stored: StoredCredential | undefined,
    volume: ToolVolumeState | undefined,
): SignInStatus {
    const kindLabel = (id: string) => tool.credentials.kinds.find((k) => k.id === id)?.label ?? id;
    const parts: string[] = [];
    const details: string[] = [];

    if (stored) {
        const names = Object.keys(stored.values).join(', ');
        details.push(`Stored in the editor: ${kindLabel(stored.kind)} (${names})`);
    } else {
        details.push('Nothing stored in the editor');
    }

    if (volume === undefined) {
        parts.push(stored ? `${kindLabel(stored.kind)} stored` : 'no stored credential');
        details.push('The container is not running; start it to see what the volume holds');
        return { summary: parts.join(' · '), details };
    }
    if ('error' in volume) {
        parts.push(stored ? `${kindLabel(stored.kind)} stored` : 'no stored credential');
        details.push(`The volume could not be read: ${volume.error}`);
        return { summary: parts.join(' · '), details };
    }

    const injected = volume.injected;
    if (stored && injected?.generation === stored.generation) {
        parts.push(`${kindLabel(stored.kind)} stored and injected`);
        details.push(`Injected into the volume: ${injected.keys.join(', ')}`);
    } else if (stored) {
        parts.push(`${kindLabel(stored.kind)} stored, injected when ${tool.label} next opens`);
    } else {
        parts.push('no stored credential');
    }
    if (injected && injected.generation !== stored?.generation) {
        details.push(
            `An earlier credential is injected (${injected.keys.join(', ')}); ` +
                `"Clear ${tool.label} Credential" removes it`,
        );
    }
    if (volume.ownLogin) {
        parts.push('own login in the volume');
        details.push(`${tool.label}'s own login: ${volume.ownLoginDetail}`);
    } else {
        details.push(`No own login of ${tool.label} in the volume`);
    }
    details.push(...volume.notes);
    return { summary: parts.join(' · '), details };
}
