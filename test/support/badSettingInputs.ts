/**
 * Bad values for every setting: generated from the settings' own zod schemas (wrong JSON
 * types, numbers out of range, strings too long, outside an enum or a pattern, shell
 * characters) and written by hand (empty strings, huge values, relative and missing paths,
 * invalid image references). Shared by the unit property tests and the reliability suite.
 */
import fc from 'fast-check';
import { z } from 'zod';
import { SETTING_SCHEMAS } from '../../src/config/settings';

export interface BadInput {
    /** Key below `agentContainers.`. */
    readonly key: string;
    readonly value: unknown;
    /** How it was made, for failure messages and counts. */
    readonly kind: string;
}

interface JsonSchema {
    type?: string | string[];
    enum?: unknown[];
    const?: unknown;
    anyOf?: JsonSchema[];
    minimum?: number;
    maximum?: number;
    maxLength?: number;
    maxItems?: number;
    pattern?: string;
    items?: JsonSchema;
    additionalProperties?: JsonSchema;
}

/** Shell characters every string setting refuses; CA paths allow \ [ ] and tab (Windows). */
const SHELL_CHARACTERS = [...';&|`$<>\\!*?(){}[]\'"\n\r\t'];
const PATH_SHELL_CHARACTERS = [...';&|`$<>!*?(){}\'"\n\r'];
// Arguments and variables keep brackets, quotes and globs, which CLIs take.
const ARGUMENT_SHELL_CHARACTERS = [...';&|`$<>\\\n\r\t'];

export function schemaOf(key: string): JsonSchema {
    const schema = SETTING_SCHEMAS.get(key);
    if (!schema) throw new Error(`no schema for ${key}`);
    return z.toJSONSchema(schema, { unrepresentable: 'any' }) as JsonSchema;
}

function jsonTypes(schema: JsonSchema): Set<string> {
    if (schema.anyOf) return new Set(schema.anyOf.flatMap((s) => [...jsonTypes(s)]));
    const type = schema.type;
    return new Set(type === undefined ? [] : Array.isArray(type) ? type : [type]);
}

function jsonTypeOf(value: unknown): string {
    if (value === null) return 'null';
    if (Array.isArray(value)) return 'array';
    if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
    return typeof value;
}

/** Values whose JSON type the schema does not allow (null means "default", so never). */
export function wrongType(key: string): fc.Arbitrary<unknown> {
    const allowed = jsonTypes(schemaOf(key));
    const fits = (value: unknown) => {
        const type = jsonTypeOf(value);
        return allowed.has(type) || (type === 'integer' && allowed.has('number'));
    };
    return fc
        .oneof(
            fc.string(),
            fc.integer(),
            fc.double({ noNaN: true, noDefaultInfinity: true }),
            fc.boolean(),
            fc.array(fc.oneof(fc.integer(), fc.boolean(), fc.string()), { maxLength: 4 }),
            fc.dictionary(fc.string(), fc.oneof(fc.integer(), fc.boolean()), { maxKeys: 3 }),
        )
        .filter((value) => !fits(value));
}

/** Values of the right type that break a bound, enum or pattern the schema states. */
export function brokenRule(key: string): fc.Arbitrary<unknown> | undefined {
    const schema = schemaOf(key);
    const variants = schema.anyOf ?? [schema];
    const numeric = variants.find((s) => s.type === 'integer' || s.type === 'number');
    const text = variants.find((s) => s.type === 'string' && s.const === undefined);
    const list = variants.find((s) => s.type === 'array');
    const arbitraries: fc.Arbitrary<unknown>[] = [];

    if (numeric) {
        const { minimum = -Infinity, maximum = Infinity } = numeric;
        if (minimum > -Infinity)
            arbitraries.push(
                fc
                    .double({ max: minimum, noNaN: true, noDefaultInfinity: true })
                    // -0 is not below 0.
                    .filter((v) => v < minimum),
            );
        if (maximum < Infinity)
            arbitraries.push(
                fc
                    .double({ min: maximum, noNaN: true, noDefaultInfinity: true })
                    .filter((v) => v > maximum),
            );
        if (numeric.type === 'integer') {
            arbitraries.push(
                fc
                    .double({ min: minimum, max: Math.min(maximum, 1e9), noNaN: true })
                    .filter((v) => !Number.isInteger(v)),
            );
        }
    }
    if (text?.enum) {
        arbitraries.push(fc.string().filter((v) => !text.enum!.includes(v)));
    }
    if (text?.maxLength !== undefined) {
        const min = text.maxLength + 1;
        arbitraries.push(fc.string({ minLength: min, maxLength: min + 64 }));
    }
    if (text?.pattern) {
        const pattern = new RegExp(text.pattern, 'i');
        arbitraries.push(fc.string({ minLength: 1 }).filter((v) => !pattern.test(v)));
    }
    if (list?.maxItems !== undefined) {
        const n = list.maxItems + 1;
        const item = key === 'image.caCertificates' ? '/etc/ssl/a.pem' : 'x';
        arbitraries.push(fc.constant(Array.from({ length: n }, () => item)));
    }
    return arbitraries.length > 0 ? fc.oneof(...arbitraries) : undefined;
}

/** A value the schema's type allows, with one shell character somewhere inside. */
export function withShellCharacter(key: string): fc.Arbitrary<unknown> | undefined {
    const schema = schemaOf(key);
    const characters =
        key === 'image.caCertificates'
            ? PATH_SHELL_CHARACTERS
            : key === 'container.environment' || key.endsWith('.extraArgs')
              ? ARGUMENT_SHELL_CHARACTERS
              : SHELL_CHARACTERS;
    const word = fc.stringMatching(/^[a-z0-9/._-]{0,12}$/);
    const tainted = fc
        .tuple(word, fc.constantFrom(...characters), word)
        .map(([before, character, after]) => `${before}${character}${after}`);
    const types = jsonTypes(schema);
    if (schema.enum || !(types.has('string') || types.has('array') || types.has('object'))) {
        return undefined;
    }
    if (types.has('array')) {
        const prefix = key === 'image.caCertificates' ? '/' : '';
        return tainted.map((text) => [`${prefix}${text}`]);
    }
    if (types.has('object')) return tainted.map((text) => ({ SOME_VARIABLE: text }));
    // Give URL- and path-shaped settings a shape that passes every other rule.
    if (key === 'docker.host') return tainted.map((text) => `unix:///run/${text}`);
    if (key === 'container.workspaceMountPath') return tainted.map((text) => `/work/${text}`);
    return tainted;
}

/** Hand-written cases: empty, huge, paths, image references, IDs. */
export const HANDWRITTEN: readonly BadInput[] = [
    ...[
        ['image.source', ''],
        ['image.baseImage', ''],
        ['image.buildNetworkMode', ''],
        ['container.networkMode', ''],
        ['tools.claude.version', ''],
        ['tools.codex.version', ' '],
        ['container.memoryLimit', ' '],
        ['docker.host', ' '],
    ].map(([key, value]) => ({ key, value, kind: 'empty' })),
    ...[
        ['container.cpuLimit', 1e308],
        ['container.cpuLimit', 0.001],
        ['container.uid', 2 ** 53],
        ['container.uid', 0],
        ['container.gid', 0],
        ['container.gid', -1],
        ['container.memoryLimit', `${'9'.repeat(400)}g`],
        ['container.memoryLimit', '99999999g'],
        ['container.memoryLimit', '1k'],
        ['image.baseImage', `node:${'x'.repeat(300)}`],
        ['tools.claude.extraArgs', Array.from({ length: 10_000 }, () => '--x')],
        ['tools.opencode.extraArgs', ['x'.repeat(100_000)]],
        ['container.environment', { BIG: 'x'.repeat(100_000) }],
        [
            'container.environment',
            Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`V${i}`, 'x'])),
        ],
        ['docker.host', `unix:///${'d/'.repeat(5000)}docker.sock`],
    ].map(([key, value]) => ({ key: key as string, value, kind: 'huge' })),
    ...[
        ['image.caCertificates', ['ca.pem']],
        ['image.caCertificates', ['./certs/ca.pem']],
        ['image.caCertificates', ['~/ca.pem']],
        ['container.workspaceMountPath', 'workspace'],
        ['container.workspaceMountPath', './w'],
        ['container.workspaceMountPath', '/w/../../etc'],
        ['container.workspaceMountPath', '/'],
        ['container.workspaceMountPath', '/etc'],
        ['container.workspaceMountPath', '/usr'],
        ['container.workspaceMountPath', '/home/hagicode'],
        ['container.workspaceMountPath', '/w//x'],
        ['container.workspaceMountPath', '/w/'],
        ['docker.host', 'unix://relative/docker.sock'],
        ['docker.host', 'docker.sock'],
        ['docker.host', '/var/run/docker.sock'],
        ['docker.host', 'tcp://host:99999'],
        ['docker.host', 'tcp://'],
    ].map(([key, value]) => ({ key: key as string, value, kind: 'path' })),
    ...[
        'UPPER/case:1',
        'node 22',
        'node:',
        ':22',
        'node@sha256:1234',
        '-node:22',
        'node:22 && id',
        'http://registry/node:22',
        'node:22\nid',
        '$(id)',
        'node:-22',
    ].flatMap((value) => [
        { key: 'image.baseImage', value, kind: 'image reference' },
        { key: 'image.name', value, kind: 'image reference' },
    ]),
    ...[
        'latest; touch /tmp/pwned',
        '2.1.332 || id',
        '^2.1.0',
        '>=1',
        '1.x',
        'LATEST',
        '../../etc',
        'x'.repeat(100),
    ].map((value) => ({ key: 'tools.claude.version', value, kind: 'version' })),
    { key: 'container.environment', value: { 'BAD-NAME': 'x' }, kind: 'environment' },
    { key: 'container.environment', value: { '1X': 'x' }, kind: 'environment' },
    { key: 'container.environment', value: { PUID: '0' }, kind: 'environment' },
    { key: 'container.environment', value: { X: 'a;b' }, kind: 'environment' },
    { key: 'tools.codex.extraArgs', value: ['--ok', '$(id)'], kind: 'argument' },
    { key: 'tools.claude.extraArgs', value: '--dangerously-skip-permissions', kind: 'argument' },
];

/** Files that do not exist: the schema accepts the path, the image inputs refuse it. */
export const MISSING_FILES: readonly BadInput[] = [
    { key: 'image.caCertificates', value: ['/nonexistent/agent-ca.pem'], kind: 'missing file' },
    { key: 'image.caCertificates', value: ['/etc'], kind: 'missing file' },
    { key: 'image.caCertificates', value: ['/etc/hostname'], kind: 'missing file' },
];
