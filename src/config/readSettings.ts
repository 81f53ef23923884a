/**
 * Reads the extension's settings from the editor's configuration and validates them with
 * the core's schema. In an untrusted workspace the settings that choose images, mounts,
 * hosts, certificates, environment or what runs are taken from user and machine settings
 * only, so a cloned repository cannot point them at something its reader did not choose.
 */
import { parseSettings, type Settings } from './settings';

/** The part of vscode.WorkspaceConfiguration this needs. */
export interface ConfigurationReader {
    get(key: string): unknown;
    inspect(key: string): { globalValue?: unknown; defaultValue?: unknown } | undefined;
}

const RESTRICTED_PREFIXES = ['image.', 'docker.', 'tools.'];
const RESTRICTED_KEYS = new Set([
    'container.environment',
    'container.networkMode',
    'container.uid',
    'container.gid',
    'container.workspaceMountPath',
]);

/**
 * Whether a key (below `agentContainers.`) is ignored in workspace settings of untrusted
 * workspaces; package.json lists the same keys in `restrictedConfigurations`.
 */
export function isRestrictedSetting(key: string): boolean {
    return RESTRICTED_KEYS.has(key) || RESTRICTED_PREFIXES.some((p) => key.startsWith(p));
}

/** Validated settings; throws SettingsError naming the first invalid key. */
export function readSettings(configuration: ConfigurationReader, trusted: boolean): Settings {
    return parseSettings((key) => {
        if (trusted || !isRestrictedSetting(key)) return configuration.get(key);
        const values = configuration.inspect(key);
        return values?.globalValue ?? values?.defaultValue;
    });
}
