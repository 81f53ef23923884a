#!/usr/bin/env node
// Merges credentials and defaults into the CLIs' own config files inside the agent image.
// Every file goes through a real parser and is written back whole and atomically, keeping
// whatever the user put there; a file that does not parse is left alone. The entrypoint
// calls it at start, and the extension runs it with exec to hand over stored credentials:
//
//   agent-config claude-credentials            JSON object on stdin, e.g. {"ANTHROPIC_API_KEY":"..."}
//   agent-config claude-credentials --from-env the same variables from the environment
//   agent-config codex-defaults                sandbox and credential store for Codex
//   agent-config opencode-defaults             autoupdate off for OpenCode
//   agent-config credential-set|credential-clear|credential-status   see credentials.mjs
//
// Secrets come on stdin or in the environment, never as arguments, and are never printed.
import {
    chmodSync,
    existsSync,
    mkdirSync,
    readFileSync,
    renameSync,
    statSync,
    writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse as parseToml, stringify as stringifyToml } from 'smol-toml';
import { credentialCommands } from './credentials.mjs';

const SECRET_KEYS = ['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN', 'CLAUDE_CODE_OAUTH_TOKEN'];
const CLAUDE_KEYS = [...SECRET_KEYS, 'ANTHROPIC_BASE_URL'];

// Codex sandboxes its commands with namespaces, which Docker's default seccomp profile
// blocks; the container is the sandbox. The user's own choice in config.toml wins.
const CODEX_DEFAULTS = { sandbox_mode: 'danger-full-access', cli_auth_credentials_store: 'file' };
const OPENCODE_DEFAULTS = { autoupdate: false };

class ConfigError extends Error {}

function claudeDir() {
    return process.env.CLAUDE_CONFIG_DIR || join(homedir(), '.claude');
}

function readText(path) {
    return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}

function readJsonObject(path) {
    const text = readText(path);
    if (text === undefined || text.trim() === '') return {};
    let value;
    try {
        value = JSON.parse(text);
    } catch (error) {
        throw new ConfigError(`${path} is not valid JSON (${error.message}); left unchanged`);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw new ConfigError(`${path} does not hold a JSON object; left unchanged`);
    }
    return value;
}

/** Writes through a temporary file and a rename, so a crash never leaves half a file. */
function writeAtomically(path, text, mode) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const keptMode = existsSync(path) ? statSync(path).mode & 0o777 : 0o644;
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, text, { mode: 0o600 });
    chmodSync(temporary, mode ?? keptMode);
    renameSync(temporary, path);
}

function writeJson(path, value, mode) {
    writeAtomically(path, `${JSON.stringify(value, null, 2)}\n`, mode);
}

function credentialsFrom(source) {
    if (source === null || typeof source !== 'object' || Array.isArray(source)) {
        throw new ConfigError('credentials must be a JSON object');
    }
    const credentials = {};
    for (const [key, value] of Object.entries(source)) {
        if (!CLAUDE_KEYS.includes(key)) {
            throw new ConfigError(`unknown credential "${key}"; known: ${CLAUDE_KEYS.join(', ')}`);
        }
        if (typeof value !== 'string') throw new ConfigError(`${key} must be a string`);
        if (value !== '') credentials[key] = value;
    }
    return credentials;
}

function readStdin() {
    try {
        return readFileSync(0, 'utf8');
    } catch {
        return '';
    }
}

function claudeCredentials(args) {
    let credentials;
    if (args.includes('--from-env')) {
        credentials = credentialsFrom(
            Object.fromEntries(CLAUDE_KEYS.map((key) => [key, process.env[key] ?? ''])),
        );
    } else {
        let input;
        try {
            input = JSON.parse(readStdin());
        } catch {
            throw new ConfigError('expected a JSON object on stdin');
        }
        credentials = credentialsFrom(input);
    }
    const names = Object.keys(credentials);
    if (names.length === 0) return;

    // settings.json's env applies to every Claude session; it holds secrets, hence 600.
    const settingsPath = join(claudeDir(), 'settings.json');
    const settings = readJsonObject(settingsPath);
    const env = settings.env && typeof settings.env === 'object' ? settings.env : {};
    settings.env = { ...env, ...credentials };
    writeJson(settingsPath, settings, 0o600);

    // Without this a fresh volume shows the onboarding screens despite the credential.
    if (names.some((name) => SECRET_KEYS.includes(name))) {
        const statePath = join(claudeDir(), '.claude.json');
        const state = readJsonObject(statePath);
        if (state.hasCompletedOnboarding !== true) {
            state.hasCompletedOnboarding = true;
            writeJson(statePath, state, 0o600);
        }
    }
    console.log(`agent-config: Claude settings.json env now holds ${names.join(', ')}`);
}

function codexDefaults() {
    const home = process.env.CODEX_HOME || join(homedir(), '.codex');
    const path = join(home, 'config.toml');
    const text = readText(path) ?? '';
    let config;
    try {
        config = parseToml(text);
    } catch (error) {
        throw new ConfigError(`${path} is not valid TOML (${error.message}); left unchanged`);
    }
    const missing = Object.fromEntries(
        Object.entries(CODEX_DEFAULTS).filter(([key]) => !(key in config)),
    );
    if (Object.keys(missing).length === 0) return;

    // Top-level keys placed before the user's text stay top-level whatever tables follow,
    // and the user's comments and layout survive, which a parse-and-stringify would lose.
    const merged =
        text.trim() === '' ? stringifyToml(missing) : `${stringifyToml(missing)}\n${text}`;
    const check = parseToml(merged);
    for (const [key, value] of Object.entries({ ...missing, ...config })) {
        if (JSON.stringify(check[key]) !== JSON.stringify(value)) {
            throw new ConfigError(`merging defaults into ${path} would change "${key}"`);
        }
    }
    writeAtomically(path, merged, existsSync(path) ? undefined : 0o600);
    console.log(`agent-config: Codex config.toml now sets ${Object.keys(missing).join(', ')}`);
}

function opencodeDefaults() {
    const configHome = process.env.XDG_CONFIG_HOME || join(homedir(), '.config');
    const path = join(configHome, 'opencode', 'opencode.json');
    const config = readJsonObject(path);
    const missing = Object.entries(OPENCODE_DEFAULTS).filter(([key]) => !(key in config));
    if (missing.length === 0) return;
    writeJson(path, { ...config, ...Object.fromEntries(missing) }, undefined);
    console.log(`agent-config: OpenCode opencode.json now sets ${missing.map(([k]) => k)}`);
}

const commands = {
    'claude-credentials': claudeCredentials,
    'codex-defaults': codexDefaults,
    'opencode-defaults': opencodeDefaults,
    ...credentialCommands({ ConfigError, readJsonObject, writeJson, readStdin, claudeDir }),
};

const [command, ...args] = process.argv.slice(2);
try {
    if (!(command in commands)) {
        throw new ConfigError(`usage: agent-config ${Object.keys(commands).join('|')}`);
    }
    if (process.getuid?.() === 0) {
        throw new ConfigError('run as the container user, not root, so it owns its files');
    }
    commands[command](args);
} catch (error) {
    // File system errors (EACCES and the like) are reported in one line like our own.
    if (!(error instanceof ConfigError) && !error.code) throw error;
    console.error(`agent-config: ${error.message}`);
    process.exit(1);
}
