/**
 * The extension core: Docker access, image, container and terminal sessions for one
 * workspace folder, without any editor API. The editor layer, the integration tests and the
 * benchmark all drive it through `createCore`.
 *
 * API
 *
 *   createCore({ settings, namespace, workspaceFolder, labels?, hostIds?, mediaDir? }): Core
 *
 *   core.settings / namespace / workspaceFolder
 *   core.updateSettings(settings)            after a configuration change; the next ensure*
 *                                            builds / recreates when the inputs changed
 *   core.checkEngine(): Promise<EngineInfo>  throws EngineError { kind, action, message }
 *   core.ensureImage(progress?, signal?): Promise<string>
 *                                            image ref; builds (or pulls, image.source=pull)
 *                                            only when missing; concurrent calls share one.
 *                                            When that fails (registry, base image, disk)
 *                                            and an earlier image exists, returns that one
 *                                            with a progress line; ContainerInfo.imageWarning
 *                                            says so until settings change or a build works
 *   core.buildImage(progress?, signal?, { noCache? }): Promise<string>   always builds
 *   core.pullImage(progress?, signal?): Promise<string>                  pulls image.name
 *   core.ensureContainer(progress?, signal?): Promise<ContainerInfo>
 *                                            running and ready; created on first use,
 *                                            recreated (volumes kept) when its spec changed
 *   core.containerState(): Promise<ContainerState>
 *   core.start() / stop() / restart() / remove()    remove never removes volumes
 *   core.logs({ tail? }): Promise<string>
 *   core.openTerminal(target, { env?, argv? }): ToolTerminal
 *                                            target = tool id or 'shell'; the terminal is a
 *                                            vscode.Pseudoterminal in shape: pass it as `pty`.
 *                                            It ensures the container itself on open()
 *                                            (progress lines appear in the terminal; Ctrl+C
 *                                            before the CLI starts cancels). Extra events:
 *                                            onDidExit(code), onDidFail(error) so the editor
 *                                            can show a toast; after the CLI exits the
 *                                            terminal shows the code and closes on a key.
 *   core.exec(argv, { input?, env? }): Promise<CaptureResult>
 *                                            runs argv as the container user in the running
 *                                            container (no TTY; throws when not running);
 *                                            `input` goes to stdin, the way secrets travel
 *   core.execStream(argv): Promise<ExecStream>  the same with stdin/stdout as byte streams,
 *                                            e.g. to relay a connection into the container
 *   core.toolVolumes(toolId): Promise<string[]>        existing volume names of the tool
 *   core.removeToolVolumes(toolId): Promise<string[]>  removes them (ask the user first)
 *   core.containerCreateOptions(imageRef): ContainerCreateOptions   e.g. for compose export
 *   core.onStateChange(listener): Disposable  follows Docker's event stream and own work
 *   core.dispose()
 *
 *   ProgressReporter = (line: string) => void   one human-readable line per step
 *   Errors: EngineError (engine unreachable), SettingsError (from parseSettings), anything
 *   else is an Error with a one-line message; an aborted signal rejects with AbortError.
 */
import type Docker from 'dockerode';
import type { Settings } from './config/settings';
import type { EngineInfo } from './docker/connection';
import type { Disposable } from './session/emitter';
import type { CaptureResult } from './session/execCapture';
import type { ExecStream } from './session/execStream';
import type { ToolTerminal, ToolTerminalOptions } from './session/toolTerminal';

export type ContainerState =
    'none' | 'building' | 'starting' | 'running' | 'stopped' | 'unavailable';

export type ProgressReporter = (line: string) => void;

export interface HostIds {
    readonly uid: number;
    readonly gid: number;
}

export interface CoreOptions {
    readonly settings: Settings;
    /** Names and labels all Docker objects; env AGENT_CONTAINERS_NAMESPACE or the default. */
    readonly namespace: string;
    /** Absolute host path of the workspace folder. */
    readonly workspaceFolder: string;
    /** Extra labels on every object made (tests add their TEST_LABEL). */
    readonly labels?: Readonly<Record<string, string>>;
    /** The host user's IDs; defaults to this process's (settings uid/gid still win). */
    readonly hostIds?: HostIds;
    /** Directory holding the bundled Dockerfile and entrypoint; found next to the code. */
    readonly mediaDir?: string;
}

export interface ContainerInfo {
    readonly id: string;
    readonly name: string;
    readonly image: string;
    /** Where the workspace is mounted inside the container. */
    readonly workspacePath: string;
    /** The IDs of the container user. */
    readonly uid: number;
    readonly gid: number;
    /**
     * Set when the wanted image could not be built or pulled and the previous one runs
     * instead: one line saying so, for a warning.
     */
    readonly imageWarning?: string;
}

export interface ExecOptions {
    /** Written to stdin, then closed. Never put secrets in argv or env of a plain exec. */
    readonly input?: string;
    readonly env?: Readonly<Record<string, string>>;
}

export interface Core {
    readonly settings: Settings;
    readonly namespace: string;
    readonly workspaceFolder: string;
    updateSettings(settings: Settings): void;
    checkEngine(): Promise<EngineInfo>;
    ensureImage(progress?: ProgressReporter, signal?: AbortSignal): Promise<string>;
    buildImage(
        progress?: ProgressReporter,
        signal?: AbortSignal,
        options?: { noCache?: boolean },
    ): Promise<string>;
    pullImage(progress?: ProgressReporter, signal?: AbortSignal): Promise<string>;
    ensureContainer(progress?: ProgressReporter, signal?: AbortSignal): Promise<ContainerInfo>;
    containerState(): Promise<ContainerState>;
    start(): Promise<void>;
    stop(): Promise<void>;
    restart(): Promise<void>;
    remove(): Promise<void>;
    logs(options?: { tail?: number }): Promise<string>;
    openTerminal(target: string, options?: ToolTerminalOptions): ToolTerminal;
    exec(argv: readonly string[], options?: ExecOptions): Promise<CaptureResult>;
    execStream(argv: readonly string[]): Promise<ExecStream>;
    toolVolumes(toolId: string): Promise<string[]>;
    removeToolVolumes(toolId: string): Promise<string[]>;
    containerCreateOptions(imageRef: string): Docker.ContainerCreateOptions;
    onStateChange(listener: (state: ContainerState) => void): Disposable;
    dispose(): void;
}

export { createCore } from './workspaceCore';
