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

export interface CredentialField {
    /** Key of the value: a variable name for Claude, `key`/`provider` for OpenCode. */
    readonly name: string;
    readonly prompt: string;
    /** Hidden while typed, kept only in the editor's secret storage. */
    readonly secret: boolean;
    readonly placeholder?: string;
    /** What a value must look like (a regular expression), with the message when not. */
    readonly pattern?: readonly [string, string];
}

/** One way to give a tool a credential, e.g. an API key; the user picks one. */
export interface CredentialKind {
    readonly id: string;
    readonly label: string;
    readonly detail: string;
    readonly fields: readonly CredentialField[];
    /** Values stored with what the user enters, e.g. which provider a key is for. */
    readonly fixed?: Readonly<Record<string, string>>;
}

/** A tool's own login, run in a terminal; its state lands in the tool's volume. */
export interface SignInMethod {
    readonly label: string;
    readonly detail: string;
    readonly argv: readonly string[];
    /** A callback port on the container's loopback to relay from the host's. */
    readonly forwardPort?: number;
}

export interface ToolCredentials {
    readonly kinds: readonly CredentialKind[];
    /**
     * The stored values are also the session's environment. Off for tools that read a
     * file, and for Codex must be: OPENAI_API_KEY next to a ChatGPT login loops on 401s.
     */
    readonly sessionEnvironment: boolean;
    /** The first is the default. */
    readonly signIn: readonly SignInMethod[];
}

const OPENCODE_PROVIDER: CredentialField = {
    name: 'provider',
    prompt: 'OpenCode provider id',
    secret: false,
    placeholder: 'e.g. anthropic, openai, openrouter, google',
    pattern: ['^[a-z0-9][a-z0-9._-]{0,63}$', 'A provider id is lowercase, like "openrouter".'],
};

/** The OpenCode kind for one provider's API key. */
function opencodeKey(provider: string, label: string): CredentialKind {
    return {
        id: provider,
        label: `${label} API key`,
        detail: `Stored in OpenCode's auth.json as provider "${provider}"`,
        fields: [{ name: 'key', prompt: `${label} API key`, secret: true }],
        fixed: { provider },
    };
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
    /** Credentials the editor can store and hand over, and the tool's own sign-in. */
    readonly credentials: ToolCredentials;
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
        credentials: {
            kinds: [
                {
                    id: 'apiKey',
                    label: 'Anthropic API key',
                    detail: 'A Console key, passed as ANTHROPIC_API_KEY',
                    fields: [
                        {
                            name: 'ANTHROPIC_API_KEY',
                            prompt: 'Anthropic API key',
                            secret: true,
                            placeholder: 'sk-ant-…',
                        },
                    ],
                },
                {
                    id: 'gateway',
                    label: 'Gateway token and base URL',
                    detail:
                        'A bearer token for an LLM gateway: ' +
                        'ANTHROPIC_AUTH_TOKEN + ANTHROPIC_BASE_URL',
                    fields: [
                        {
                            name: 'ANTHROPIC_BASE_URL',
                            prompt: 'Gateway base URL',
                            secret: false,
                            placeholder: 'https://gateway.example.com',
                            pattern: [
                                '^https?://\\S+$',
                                'The base URL starts with https:// or http://.',
                            ],
                        },
                        { name: 'ANTHROPIC_AUTH_TOKEN', prompt: 'Gateway token', secret: true },
                    ],
                },
                {
                    id: 'subscription',
                    label: 'Subscription token',
                    detail: 'Made by `claude setup-token`, passed as CLAUDE_CODE_OAUTH_TOKEN',
                    fields: [
                        {
                            name: 'CLAUDE_CODE_OAUTH_TOKEN',
                            prompt: 'Token printed by claude setup-token',
                            secret: true,
                            placeholder: 'sk-ant-oat…',
                        },
                    ],
                },
            ],
            sessionEnvironment: true,
            signIn: [
                {
                    label: 'Sign in with your Claude account',
                    detail: 'claude auth login: copy the URL into a browser, paste the code back',
                    argv: ['claude', 'auth', 'login'],
                },
                {
                    label: 'Sign in with an Anthropic Console account',
                    detail: 'claude auth login --console: API usage billing',
                    argv: ['claude', 'auth', 'login', '--console'],
                },
                {
                    label: 'Create a long-lived subscription token',
                    detail:
                        'claude setup-token: store the printed token ' +
                        'with "Set Claude Credential…"',
                    argv: ['claude', 'setup-token'],
                },
            ],
        },
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
        credentials: {
            kinds: [
                {
                    id: 'apiKey',
                    label: 'OpenAI API key',
                    detail:
                        'Handed to `codex login --with-api-key` (auth.json); ' +
                        'replaces a ChatGPT sign-in',
                    fields: [
                        {
                            name: 'OPENAI_API_KEY',
                            prompt: 'OpenAI API key',
                            secret: true,
                            placeholder: 'sk-…',
                        },
                    ],
                },
            ],
            sessionEnvironment: false,
            // The browser login listens on 127.0.0.1:1455 inside the container, which a
            // published port does not reach; the device code needs no port at all, and the
            // browser login works through a relay from the host's port 1455.
            signIn: [
                {
                    label: 'Sign in with ChatGPT (device code)',
                    detail: 'codex login --device-auth: open the URL anywhere, enter the code',
                    argv: ['codex', 'login', '--device-auth'],
                },
                {
                    label: "Sign in with ChatGPT in this machine's browser",
                    detail:
                        'codex login, its callback port 1455 relayed ' +
                        'from this machine into the container',
                    argv: ['codex', 'login'],
                    forwardPort: 1455,
                },
            ],
        },
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
        credentials: {
            kinds: [
                opencodeKey('anthropic', 'Anthropic'),
                opencodeKey('openai', 'OpenAI'),
                opencodeKey('openrouter', 'OpenRouter'),
                {
                    id: 'other',
                    label: "Another provider's API key",
                    detail: 'Any provider id OpenCode knows, stored in its auth.json',
                    fields: [OPENCODE_PROVIDER, { name: 'key', prompt: 'API key', secret: true }],
                },
            ],
            sessionEnvironment: false,
            signIn: [
                {
                    label: 'Sign in with OpenCode',
                    detail: 'opencode auth login: pick a provider, then follow its login',
                    argv: ['opencode', 'auth', 'login'],
                },
            ],
        },
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
