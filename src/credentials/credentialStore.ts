/**
 * The credentials the user gave the editor, one per tool, kept only in the editor's secret
 * storage (the OS keychain behind vscode.SecretStorage). Each has a generation id, so the
 * container side can tell a newly set credential from one it already wrote.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { log } from '../log';

/** The part of vscode.SecretStorage this needs; tests pass a map-backed one. */
export interface SecretStore {
    get(key: string): PromiseLike<string | undefined>;
    store(key: string, value: string): PromiseLike<void>;
    delete(key: string): PromiseLike<void>;
}

const storedCredential = z.object({
    kind: z.string().min(1),
    values: z.record(z.string(), z.string()),
    generation: z.string().regex(/^[A-Za-z0-9-]{1,64}$/),
});

export type StoredCredential = z.infer<typeof storedCredential>;

export class CredentialStore {
    constructor(private readonly secrets: SecretStore) {}

    async get(toolId: string): Promise<StoredCredential | undefined> {
        const text = await this.secrets.get(secretKey(toolId));
        if (text === undefined) return undefined;
        try {
            return storedCredential.parse(JSON.parse(text));
        } catch {
            // Never the text itself: it is the secret.
            log.warn(`The stored ${toolId} credential is unreadable and is ignored.`);
            return undefined;
        }
    }

    /** Stores values of a kind under a new generation, replacing what the tool had. */
    async set(
        toolId: string,
        kind: string,
        values: Readonly<Record<string, string>>,
    ): Promise<StoredCredential> {
        const credential = { kind, values: { ...values }, generation: randomUUID() };
        await this.secrets.store(secretKey(toolId), JSON.stringify(credential));
        log.info(`Stored the ${toolId} credential (${kind}: ${Object.keys(values).join(', ')})`);
        return credential;
    }

    /** Deletes the tool's credential; gives back what was stored, to remove it elsewhere. */
    async delete(toolId: string): Promise<StoredCredential | undefined> {
        const previous = await this.get(toolId);
        await this.secrets.delete(secretKey(toolId));
        log.info(`Deleted the stored ${toolId} credential`);
        return previous;
    }
}

function secretKey(toolId: string): string {
    return `agentContainers.credential.${toolId}`;
}
