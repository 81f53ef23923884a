// Writes the `contributes` and `activationEvents` of package.json and all of package.nls.json
// from the tool registry and the tables below, so a new CLI is one registry entry plus
// `npm run contributions`. With --check it changes nothing and fails when the files differ.
//
// Run with tsx loaded (the registry is TypeScript): node --import tsx scripts/contributions.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TOOLS } from '../src/tools/registry.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const CATEGORY = 'Agent Containers';
const PREFIX = 'agentContainers';
const HAS_FOLDER = 'workspaceFolderCount > 0';

/** Commands that do not depend on a tool: [id suffix, title, when]. */
const COMMANDS = [
    ['openShell', 'Open Shell in Container', HAS_FOLDER],
    ['buildImage', 'Build Image', HAS_FOLDER],
    ['rebuildImage', 'Rebuild Image (No Cache)', HAS_FOLDER],
    ['pullImage', 'Pull Image', `${HAS_FOLDER} && config.${PREFIX}.image.source == pull`],
    ['startContainer', 'Start Container', HAS_FOLDER],
    ['stopContainer', 'Stop Container', HAS_FOLDER],
    ['restartContainer', 'Restart Container', HAS_FOLDER],
    ['removeContainer', 'Remove Container', HAS_FOLDER],
    ['showContainerLogs', 'Show Container Logs', HAS_FOLDER],
    ['exportComposeFile', 'Export Compose File', HAS_FOLDER],
    ['showLogs', 'Show Logs', undefined],
    ['showSignInStatus', 'Show Sign-in Status', HAS_FOLDER],
    // Opened by the status bar item; it acts on the folder the item shows.
    ['showContainerActions', 'Container Actions…', 'false'],
];

const NETWORK_MODES = {
    default: "Docker's default network (a bridge on most installations).",
    host: "The host's network; for proxies or registries that only the host can reach.",
    none: 'No network at all.',
};

/**
 * Settings that do not depend on a tool. `restricted` ones choose images, mounts, hosts,
 * certificates or what runs, so an untrusted workspace must not set them.
 */
const SETTINGS = {
    'image.source': {
        type: 'string',
        enum: {
            build: 'Build the image from the bundled Dockerfile.',
            pull: 'Pull and run the image named in the Image Name setting.',
        },
        default: 'build',
        restricted: true,
        description:
            'Where the image for the containers comes from. `build` makes it locally from the bundled Dockerfile with the versions below; `pull` uses `#agentContainers.image.name#` as it is.',
    },
    'image.name': {
        type: 'string',
        default: '',
        scope: 'machine-overridable',
        restricted: true,
        description:
            'Image to pull and run when `#agentContainers.image.source#` is `pull`, for example `registry.example.com/agents:1.2`. It must have the same user, entrypoint and tools as the bundled one.',
    },
    'image.baseImage': {
        type: 'string',
        default: 'node:22-bookworm-slim',
        scope: 'machine-overridable',
        restricted: true,
        description:
            'Base image of the built image. It must be Debian-based with Node.js 22 and npm (OpenCode needs glibc, so Alpine does not work).',
    },
    'image.caCertificates': {
        type: 'array',
        items: { type: 'string' },
        default: [],
        scope: 'machine',
        restricted: true,
        description:
            'Absolute paths of extra CA certificate files (PEM) to trust inside the image, for networks that re-sign HTTPS. Only user or machine settings can set this.',
    },
    'image.buildNetworkMode': {
        type: 'string',
        enum: NETWORK_MODES,
        default: 'default',
        restricted: true,
        description: 'Network of the image build, which downloads the CLIs from npm.',
    },
    'container.environment': {
        type: 'object',
        additionalProperties: { type: 'string' },
        default: {},
        restricted: true,
        description:
            'Extra environment variables of the container, as `{ "NAME": "value" }`. Do not put secrets here: settings are stored in plain text and shown in the container configuration.',
    },
    'container.networkMode': {
        type: 'string',
        enum: NETWORK_MODES,
        default: 'default',
        restricted: true,
        description:
            'Network of the container. Changing it recreates the container; the tool volumes are kept.',
    },
    'container.uid': {
        type: ['integer', 'null'],
        default: null,
        minimum: 1,
        restricted: true,
        description:
            "User ID of the container user. `null` uses the host user's, so files written in the workspace belong to you; when that is root or unknown, 1000 is kept.",
    },
    'container.gid': {
        type: ['integer', 'null'],
        default: null,
        minimum: 1,
        restricted: true,
        description:
            "Group ID of the container user. `null` uses the host user's; when that is root or unknown, 1000 is kept.",
    },
    'container.workspaceMountPath': {
        type: 'string',
        default: '',
        scope: 'machine-overridable',
        restricted: true,
        description:
            'Absolute path where the workspace folder is mounted inside the container. Empty mounts it at the same path as on the host.',
    },
    'container.memoryLimit': {
        type: 'string',
        default: '',
        pattern: '^(|[0-9]+(\\.[0-9]+)?[bkmgBKMG]?)$',
        patternErrorMessage: 'A number with an optional unit b, k, m or g, like 4g or 512m.',
        description: 'Memory limit of the container, like `4g` or `512m`. Empty means no limit.',
    },
    'container.cpuLimit': {
        type: 'number',
        default: 0,
        minimum: 0,
        description: 'Number of CPUs the container may use, like `1.5`. `0` means no limit.',
    },
    'docker.host': {
        type: 'string',
        default: '',
        scope: 'machine',
        restricted: true,
        description:
            'Docker engine to use, like `unix:///var/run/docker.sock`, `tcp://host:2376` or `ssh://user@host`. Empty uses `DOCKER_HOST`, then the current Docker context, then the default socket.',
    },
};

function toolSettings(tool) {
    return {
        [`tools.${tool.id}.version`]: {
            type: 'string',
            default: tool.defaultVersion,
            restricted: true,
            description: `Version of ${tool.label} (npm package \`${tool.npmPackage}\`) installed in the built image, like \`${tool.defaultVersion}\`. Changing it rebuilds the image once.`,
        },
        [`tools.${tool.id}.extraArgs`]: {
            type: 'array',
            items: { type: 'string' },
            default: [],
            restricted: true,
            description: `Extra arguments for \`${tool.binary}\` when ${tool.label} is opened in a container, one per item. They are passed as they are, never through a shell.`,
        },
    };
}

function commandContribution(id, title) {
    return { command: `${PREFIX}.${id}`, title: `%command.${id}%`, category: CATEGORY, nls: title };
}

/** The generated parts: `{ contributes, activationEvents, restricted, nls }`. */
export function generate(tools = TOOLS) {
    const nls = {};
    const commands = [];
    const palette = [];
    const add = (id, title, when) => {
        const { nls: text, ...command } = commandContribution(id, title);
        nls[`command.${id}`] = text;
        commands.push(command);
        if (when) palette.push({ command: command.command, when });
    };

    for (const tool of tools) add(`open.${tool.id}`, `Open ${tool.label} in Container`, HAS_FOLDER);
    for (const [id, title, when] of COMMANDS) add(id, title, when);
    for (const tool of tools) {
        add(`removeVolumes.${tool.id}`, `Remove ${tool.label} Volumes…`, HAS_FOLDER);
    }
    for (const tool of tools) {
        add(`setCredential.${tool.id}`, `Set ${tool.label} Credential…`, HAS_FOLDER);
        add(`clearCredential.${tool.id}`, `Clear ${tool.label} Credential`, HAS_FOLDER);
        add(`signIn.${tool.id}`, `Sign In to ${tool.label}…`, HAS_FOLDER);
    }

    const settings = { ...SETTINGS };
    for (const tool of tools) Object.assign(settings, toolSettings(tool));

    const properties = {};
    const restricted = [];
    for (const [key, spec] of Object.entries(settings)) {
        const { description, enum: choices, restricted: isRestricted, ...schema } = spec;
        const nlsKey = `config.${key}`;
        const property = { ...schema, markdownDescription: `%${nlsKey}%` };
        nls[nlsKey] = description;
        if (choices) {
            property.enum = Object.keys(choices);
            property.enumDescriptions = Object.keys(choices).map((value) => {
                nls[`${nlsKey}.${value}`] = choices[value];
                return `%${nlsKey}.${value}%`;
            });
        }
        properties[`${PREFIX}.${key}`] = property;
        if (isRestricted) restricted.push(`${PREFIX}.${key}`);
    }

    const contributes = {
        commands,
        menus: { commandPalette: palette },
        configuration: { title: CATEGORY, properties },
    };
    // Commands activate the extension on their own; startup activation lets the status bar
    // show an existing container. Activation itself does not contact Docker.
    return { contributes, activationEvents: ['onStartupFinished'], restricted, nls };
}

function apply(pkg, generated) {
    return {
        ...pkg,
        activationEvents: generated.activationEvents,
        capabilities: {
            ...pkg.capabilities,
            untrustedWorkspaces: {
                ...pkg.capabilities?.untrustedWorkspaces,
                restrictedConfigurations: generated.restricted,
            },
        },
        contributes: generated.contributes,
    };
}

const json = (value) => `${JSON.stringify(value, null, 2)}\n`;

function main() {
    const pkgPath = join(root, 'package.json');
    const nlsPath = join(root, 'package.nls.json');
    const generated = generate();
    const pkgText = json(apply(JSON.parse(readFileSync(pkgPath, 'utf8')), generated));
    const nlsText = json(generated.nls);

    if (process.argv.includes('--check')) {
        const stale = [
            [pkgPath, pkgText],
            [nlsPath, nlsText],
        ].filter(([path, text]) => !sameJson(readTextOrEmpty(path), text));
        for (const [path] of stale)
            console.error(`${path} is out of date: run npm run contributions`);
        process.exit(stale.length ? 1 : 0);
    }
    writeFileSync(pkgPath, pkgText);
    writeFileSync(nlsPath, nlsText);
    console.log(
        `contributions: ${generated.contributes.commands.length} commands, ${Object.keys(generated.contributes.configuration.properties).length} settings`,
    );
}

function readTextOrEmpty(path) {
    try {
        return readFileSync(path, 'utf8');
    } catch {
        return '';
    }
}

// Compares content, not layout, so a formatter run over the JSON files does not count as drift.
function sameJson(a, b) {
    try {
        return JSON.stringify(JSON.parse(a)) === JSON.stringify(JSON.parse(b));
    } catch {
        return false;
    }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
