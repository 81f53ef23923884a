// Credentials the editor stores, written into the CLIs' own files and taken out again.
// The extension runs these as the container user with the secret on stdin:
//
//   agent-config credential-set <tool>    stdin {"generation","kind","values":{...}}
//   agent-config credential-clear <tool>  stdin {"values":{...}} (optional: only equal values go)
//   agent-config credential-status        prints per tool what is injected and what is the
//                                         tool's own login, as JSON without any secret
//
// A marker file in the tool's volume records what was injected (names, never values), so
// clearing removes exactly that and keeps the tool's own login and the user's own keys. A
// set with the marker's generation changes nothing: a stored credential is written once,
// and a later sign-in with the tool's own login is not overwritten on the next start.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const MARKER = '.agent-containers-credential.json';
const CLAUDE_KEYS = [
    'ANTHROPIC_API_KEY',
    'ANTHROPIC_AUTH_TOKEN',
    'ANTHROPIC_BASE_URL',
    'CLAUDE_CODE_OAUTH_TOKEN',
];
const CLAUDE_SECRETS = ['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN', 'CLAUDE_CODE_OAUTH_TOKEN'];
const PROVIDER = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const GENERATION = /^[A-Za-z0-9-]{1,64}$/;

/** The credential subcommands, given agent-config's own file helpers. */
export function credentialCommands({
    ConfigError,
    readJsonObject,
    writeJson,
    readStdin,
    claudeDir,
}) {
    const isObject = (value) =>
        value !== null && typeof value === 'object' && !Array.isArray(value);

    function stringValues(values, allowed) {
        if (!isObject(values)) throw new ConfigError('"values" must be a JSON object');
        for (const [key, value] of Object.entries(values)) {
            if (!allowed.includes(key)) {
                throw new ConfigError(`unknown credential "${key}"; known: ${allowed.join(', ')}`);
            }
            if (typeof value !== 'string' || value === '') {
                throw new ConfigError(`${key} must be a non-empty string`);
            }
        }
        return values;
    }

    // Only ever reports names: a tool's message could echo what it was given.
    function withoutSecrets(text, values) {
        let clean = text;
        for (const value of Object.values(values ?? {})) {
            if (value.length >= 4) clean = clean.split(value).join('***');
        }
        return clean.trim().split('\n').slice(-3).join(' / ');
    }

    const claude = {
        dir: () => claudeDir(),
        inject(values, previous) {
            stringValues(values, CLAUDE_KEYS);
            const path = join(claudeDir(), 'settings.json');
            const settings = readJsonObject(path);
            const env = isObject(settings.env) ? { ...settings.env } : {};
            for (const key of previous?.keys ?? []) delete env[key];
            writeJson(path, { ...settings, env: { ...env, ...values } }, 0o600);

            // Onboarding is skipped only because a credential now exists; clearing undoes it.
            let onboarding = previous?.onboarding === true;
            if (Object.keys(values).some((key) => CLAUDE_SECRETS.includes(key))) {
                const statePath = join(claudeDir(), '.claude.json');
                const state = readJsonObject(statePath);
                if (state.hasCompletedOnboarding !== true) {
                    writeJson(statePath, { ...state, hasCompletedOnboarding: true }, 0o600);
                    onboarding = true;
                }
            }
            return { keys: Object.keys(values), onboarding };
        },
        remove(marker, values) {
            const path = join(claudeDir(), 'settings.json');
            const settings = readJsonObject(path);
            if (isObject(settings.env)) {
                const env = { ...settings.env };
                for (const key of marker.keys) {
                    if (values?.[key] === undefined || env[key] === values[key]) delete env[key];
                }
                const rest = { ...settings, env };
                if (Object.keys(env).length === 0) delete rest.env;
                writeJson(path, rest);
            }
            const ownLogin = existsSync(join(claudeDir(), '.credentials.json'));
            if (marker.onboarding && !ownLogin) {
                const statePath = join(claudeDir(), '.claude.json');
                const state = readJsonObject(statePath);
                delete state.hasCompletedOnboarding;
                writeJson(statePath, state);
            }
        },
        status(marker) {
            const settings = readJsonObject(join(claudeDir(), 'settings.json'));
            const env = isObject(settings.env) ? settings.env : {};
            const injected = marker?.keys ?? [];
            const own = existsSync(join(claudeDir(), '.credentials.json'));
            const userKeys = CLAUDE_KEYS.filter((key) => key in env && !injected.includes(key));
            const notes = userKeys.map((key) => `settings.json env sets ${key} itself`);
            return { ownLogin: own, ownLoginDetail: own ? '.credentials.json' : '', notes };
        },
    };

    const codexHome = () => process.env.CODEX_HOME || join(homedir(), '.codex');
    const codexAuth = () => readJsonObject(join(codexHome(), 'auth.json'));
    const isKeyLogin = (auth) =>
        auth.auth_mode === 'apikey' && typeof auth.OPENAI_API_KEY === 'string' && !auth.tokens;

    function runCodex(args, input, values) {
        const result = spawnSync('codex', args, { input, encoding: 'utf8' });
        if (result.error) throw new ConfigError(`codex ${args[0]}: ${result.error.message}`);
        if (result.status !== 0) {
            const said = withoutSecrets(`${result.stderr}\n${result.stdout}`, values);
            throw new ConfigError(`codex ${args.join(' ')} exited with ${result.status}: ${said}`);
        }
    }

    const codex = {
        dir: codexHome,
        inject(values) {
            stringValues(values, ['OPENAI_API_KEY']);
            // Codex writes auth.json itself (mode 600), from the key on its stdin.
            runCodex(['login', '--with-api-key'], values.OPENAI_API_KEY, values);
            return { keys: ['OPENAI_API_KEY'] };
        },
        remove(_marker, values) {
            const auth = codexAuth();
            if (!isKeyLogin(auth)) return;
            const wanted = values?.OPENAI_API_KEY;
            if (wanted !== undefined && auth.OPENAI_API_KEY !== wanted) return;
            runCodex(['logout'], '', values);
        },
        status(marker) {
            const path = join(codexHome(), 'auth.json');
            if (!existsSync(path)) return { ownLogin: false, ownLoginDetail: '', notes: [] };
            const auth = codexAuth();
            const ours = marker !== undefined && isKeyLogin(auth);
            const notes = [];
            // An API key in the environment of a ChatGPT login makes Codex loop on 401s.
            if (auth.tokens && process.env.OPENAI_API_KEY) {
                notes.push(
                    'OPENAI_API_KEY is set in the container while Codex uses a ChatGPT login',
                );
            }
            const mode = typeof auth.auth_mode === 'string' ? auth.auth_mode : 'unknown';
            return { ownLogin: !ours, ownLoginDetail: ours ? '' : `auth.json (${mode})`, notes };
        },
    };

    const opencodeData = () =>
        join(process.env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'opencode');
    const opencodeAuthPath = () => join(opencodeData(), 'auth.json');

    const opencode = {
        dir: opencodeData,
        inject(values, previous) {
            stringValues(values, ['provider', 'key']);
            const { provider, key } = values;
            if (!PROVIDER.test(provider ?? '')) {
                throw new ConfigError('provider must be an id like "anthropic" or "openrouter"');
            }
            if (key === undefined) throw new ConfigError('key is missing');
            const auth = readJsonObject(opencodeAuthPath());
            for (const name of previous?.keys ?? []) {
                if (auth[name]?.type === 'api') delete auth[name];
            }
            writeJson(opencodeAuthPath(), { ...auth, [provider]: { type: 'api', key } }, 0o600);
            return { keys: [provider] };
        },
        remove(marker, values) {
            const auth = readJsonObject(opencodeAuthPath());
            for (const name of marker.keys) {
                const entry = auth[name];
                if (entry?.type !== 'api') continue;
                if (values?.key !== undefined && entry.key !== values.key) continue;
                delete auth[name];
            }
            writeJson(opencodeAuthPath(), auth);
        },
        status(marker) {
            const auth = readJsonObject(opencodeAuthPath());
            const injected = marker?.keys ?? [];
            const own = Object.keys(auth).filter((name) => !injected.includes(name));
            return { ownLogin: own.length > 0, ownLoginDetail: own.join(', '), notes: [] };
        },
    };

    const tools = { claude, codex, opencode };

    function toolNamed(name) {
        if (!(name in tools)) throw new ConfigError(`unknown tool "${name}"`);
        return tools[name];
    }

    function readMarker(tool) {
        const marker = readJsonObject(join(tool.dir(), MARKER));
        return Array.isArray(marker.keys) ? marker : undefined;
    }

    function readInput(required) {
        const text = readStdin();
        if (text.trim() === '' && !required) return {};
        try {
            const input = JSON.parse(text);
            if (isObject(input)) return input;
        } catch {
            // Reported below without echoing what came in.
        }
        throw new ConfigError('expected a JSON object on stdin');
    }

    function set([name]) {
        const tool = toolNamed(name);
        const { generation, kind, values } = readInput(true);
        if (typeof generation !== 'string' || !GENERATION.test(generation)) {
            throw new ConfigError('"generation" must be a short id');
        }
        const previous = readMarker(tool);
        if (previous?.generation === generation) {
            console.log(`agent-config: ${name} credential already in place`);
            return;
        }
        const result = tool.inject(values, previous);
        const marker = { generation, kind: String(kind ?? ''), ...result };
        writeJson(join(tool.dir(), MARKER), marker, 0o600);
        console.log(`agent-config: ${name} credential written (${result.keys.join(', ')})`);
    }

    function clear([name]) {
        const tool = toolNamed(name);
        const { values } = readInput(false);
        const marker = readMarker(tool);
        if (!marker) {
            console.log(`agent-config: no ${name} credential was injected`);
            return;
        }
        tool.remove(marker, isObject(values) ? values : undefined);
        rmSync(join(tool.dir(), MARKER), { force: true });
        console.log(`agent-config: ${name} credential removed (${marker.keys.join(', ')})`);
    }

    function status() {
        const report = {};
        for (const [name, tool] of Object.entries(tools)) {
            try {
                const marker = readMarker(tool);
                const injected = marker
                    ? { generation: marker.generation, kind: marker.kind, keys: marker.keys }
                    : null;
                report[name] = { injected, ...tool.status(marker) };
            } catch (error) {
                report[name] = { error: error.message };
            }
        }
        console.log(JSON.stringify(report));
    }

    return { 'credential-set': set, 'credential-clear': clear, 'credential-status': status };
}
