/**
 * One end-to-end session: the test user, a workspace it owns, a fresh editor profile with
 * the packaged extension installed, code-server running as that user, and Chromium on it.
 */
import { cpSync, mkdirSync, rmSync, writeFileSync, chownSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
    installExtension,
    startCodeServer,
    writeUserSettings,
    type RunningCodeServer,
} from './codeServer';
import { ensureTestUser, makeUserDir, type TestUser } from './testUser';
import { Workbench } from './workbench';

/** Where screenshots and logs of a run are kept (git ignores it). */
export const TEST_WORK = resolve(__dirname, '../../../.test-work');

export interface EditorSessionOptions {
    /** Namespace the extension runs under (AGENT_CONTAINERS_NAMESPACE). */
    readonly namespace: string;
    /** User settings on top of the suite's editor defaults. */
    readonly settings: Record<string, unknown>;
    /** A .vsix to install; none for a bare editor. */
    readonly vsix?: string;
}

export interface EditorSession {
    readonly user: TestUser;
    readonly workspace: string;
    readonly workbench: Workbench;
    readonly screenshotDir: string;
    /** Stops the browser and the editor; keeps the editor's logs in .test-work. */
    close(): Promise<void>;
}

const EDITOR_DEFAULTS = {
    'terminal.integrated.gpuAcceleration': 'off',
    'workbench.startupEditor': 'none',
    'security.workspace.trust.enabled': false,
    'workbench.tips.enabled': false,
    'extensions.ignoreRecommendations': true,
    'telemetry.telemetryLevel': 'off',
};

export async function startEditorSession(options: EditorSessionOptions): Promise<EditorSession> {
    const user = ensureTestUser();
    // Under /tmp so the unprivileged user can reach every directory on the way.
    const root = makeUserDir(user, join('/tmp/agent-containers-e2e', options.namespace));
    const profile = {
        home: makeUserDir(user, join(root, 'home')),
        userDataDir: makeUserDir(user, join(root, 'user-data')),
        extensionsDir: makeUserDir(user, join(root, 'extensions')),
    };
    const workspace = makeUserDir(user, join(root, 'workspace'));
    const readme = join(workspace, 'README.md');
    writeFileSync(readme, '# A project\n');
    chownSync(readme, user.uid, user.gid);

    writeUserSettings(user, profile, { ...EDITOR_DEFAULTS, ...options.settings });
    if (options.vsix) {
        const vsix = join(root, 'extension.vsix');
        cpSync(options.vsix, vsix);
        installExtension(user, profile, vsix);
    }

    const logDir = join(TEST_WORK, 'e2e-logs');
    mkdirSync(logDir, { recursive: true });
    const screenshotDir = join(TEST_WORK, 'screenshots');
    rmSync(screenshotDir, { recursive: true, force: true }); // none left from an earlier run
    let server: RunningCodeServer | undefined;
    let workbench: Workbench | undefined;
    const close = async () => {
        await workbench?.close().catch(() => undefined);
        await server?.stop();
        // The editor's own logs (extension host, output channels) help when a step failed.
        cpSync(join(profile.userDataDir, 'logs'), join(logDir, 'editor'), {
            recursive: true,
            force: true,
        });
        if (!process.env.AGENT_E2E_KEEP) rmSync(root, { recursive: true, force: true });
    };
    try {
        server = await startCodeServer(user, profile, join(logDir, 'code-server.log'), {
            AGENT_CONTAINERS_NAMESPACE: options.namespace,
        });
        workbench = await Workbench.open(server.url, workspace, screenshotDir);
    } catch (error) {
        await close().catch(() => undefined);
        throw error;
    }
    return { user, workspace, workbench, screenshotDir, close };
}
