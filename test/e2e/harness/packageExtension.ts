/** The packaged extension the suite installs, made with the project's own `npm run package`. */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const REPO = resolve(__dirname, '../../..');

/** Builds agent-containers.vsix (or takes AGENT_E2E_VSIX) and returns its path. */
export function packageExtension(): string {
    const given = process.env.AGENT_E2E_VSIX;
    if (given) {
        if (!existsSync(given)) throw new Error(`AGENT_E2E_VSIX=${given} does not exist`);
        return resolve(given);
    }
    execFileSync('npm', ['run', '--silent', 'package'], {
        cwd: REPO,
        stdio: ['ignore', 'pipe', 'inherit'],
        timeout: 300_000,
    });
    return resolve(REPO, 'agent-containers.vsix');
}
