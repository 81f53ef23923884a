/**
 * The CLIs this extension can run. Everything tool-specific that the image, the container,
 * the settings and the commands need is read from here, so a new CLI is one more entry.
 */

/** Home of the container user; every path below is relative to it. */
export const CONTAINER_USER = 'hagicode';
export const CONTAINER_HOME = `/home/${CONTAINER_USER}`;

export interface ToolVolume {
    /** Suffix of the Docker volume name; see `volumeName`. */
    readonly name: string;
    /** Mount target, relative to the container user's home. */
    readonly path: string;
}

export interface ToolDefinition {
    /** Short id used in command ids, setting keys and labels. */
    readonly id: string;
    /** Name shown to the user, as in "Open Claude in Container". */
    readonly label: string;
    readonly npmPackage: string;
    readonly binary: string;
    /** Pinned version; must exist on the npm registry (`npm view PKG@VER version`). */
    readonly defaultVersion: string;
    /** Variable that overrides the version at container start when run outside the editor. */
    readonly versionOverrideEnv: string;
    /** Where the tool keeps logins and settings; each becomes a named volume. */
    readonly volumes: readonly ToolVolume[];
    /** Non-secret variables the tool needs in every session. */
    readonly environment: Readonly<Record<string, string>>;
    /** Arguments always passed before the user's extra arguments. */
    readonly defaultArgs: readonly string[];
}

export const TOOLS: readonly ToolDefinition[] = [
    {
        id: 'claude',
        label: 'Claude',
        npmPackage: '@anthropic-ai/claude-code',
        binary: 'claude',
        defaultVersion: '2.1.330',
        versionOverrideEnv: 'CLAUDE_CODE_CLI_VERSION',
        volumes: [{ name: 'claude', path: '.claude' }],
        // With CLAUDE_CONFIG_DIR set, .claude.json moves into the volume instead of the
        // home root, where it would be lost with the container.
        environment: {
            CLAUDE_CONFIG_DIR: `${CONTAINER_HOME}/.claude`,
            DISABLE_AUTOUPDATER: '1',
        },
        defaultArgs: [],
    },
    {
        id: 'codex',
        label: 'Codex',
        npmPackage: '@openai/codex',
        binary: 'codex',
        defaultVersion: '0.171.0',
        versionOverrideEnv: 'CODEX_CLI_VERSION',
        volumes: [{ name: 'codex', path: '.codex' }],
        environment: { CODEX_HOME: `${CONTAINER_HOME}/.codex` },
        defaultArgs: [],
    },
    {
        id: 'opencode',
        label: 'OpenCode',
        npmPackage: 'opencode-ai',
        binary: 'opencode',
        defaultVersion: '1.18.33',
        versionOverrideEnv: 'OPENCODE_CLI_VERSION',
        // OpenCode spreads its state over four XDG directories; the login (auth.json) is
        // in the data directory, so a volume on the config directory alone would lose it.
        volumes: [
            { name: 'opencode-config', path: '.config/opencode' },
            { name: 'opencode-data', path: '.local/share/opencode' },
            { name: 'opencode-cache', path: '.cache/opencode' },
            { name: 'opencode-state', path: '.local/state/opencode' },
        ],
        environment: { OPENCODE_DISABLE_AUTOUPDATE: '1' },
        defaultArgs: [],
    },
];

export function findTool(id: string): ToolDefinition {
    const tool = TOOLS.find((t) => t.id === id);
    if (!tool) throw new Error(`Unknown tool "${id}". Known tools: ${TOOLS.map((t) => t.id)}`);
    return tool;
}

/**
 * Every Docker object this extension makes is named and labelled under a namespace, so that
 * tests (and people who want two setups side by side) never touch someone else's objects.
 */
export const DEFAULT_NAMESPACE = 'agent-containers';

/** The volume is shared by all workspaces' containers of the same namespace. */
export function volumeName(namespace: string, volume: ToolVolume): string {
    return `${namespace}-${volume.name}`;
}
