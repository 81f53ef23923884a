/**
 * Checks what the user typed for a credential kind before it is stored: every field of the
 * kind, nothing else, and each value in its field's shape. Messages name fields, never values.
 */
import type { CredentialField, CredentialKind, ToolDefinition } from '../tools/registry';

export function findCredentialKind(tool: ToolDefinition, kindId: string): CredentialKind {
    const kind = tool.credentials.kinds.find((k) => k.id === kindId);
    if (!kind) throw new Error(`${tool.label} has no credential kind "${kindId}".`);
    return kind;
}

/** Why a value does not fit its field, or undefined when it does. */
export function fieldProblem(field: CredentialField, value: string): string | undefined {
    if (value.trim() === '') return `${field.prompt} is empty.`;
    // Keys pasted with a line break are a common slip; inside a value it breaks headers.
    if (/[\r\n\0]/.test(value)) return `${field.prompt} must be one line.`;
    if (value !== value.trim()) return `${field.prompt} starts or ends with blanks.`;
    if (field.pattern && !new RegExp(field.pattern[0]).test(value)) return field.pattern[1];
    return undefined;
}

/** The values to store: the kind's fixed ones plus the entered ones, all checked. */
export function credentialValues(
    kind: CredentialKind,
    entered: Readonly<Record<string, string>>,
): Record<string, string> {
    const values: Record<string, string> = { ...kind.fixed };
    for (const field of kind.fields) {
        const value = entered[field.name];
        if (value === undefined) throw new Error(`${field.prompt} is missing.`);
        const problem = fieldProblem(field, value);
        if (problem) throw new Error(problem);
        values[field.name] = value;
    }
    const unknown = Object.keys(entered).filter((name) => !(name in values));
    if (unknown.length > 0) throw new Error(`Unexpected fields: ${unknown.join(', ')}.`);
    return values;
}
