/**
 * The core of one workspace folder: wires Docker access, image, container and sessions
 * together behind the API documented in src/core.ts.
 */
import type Docker from 'dockerode';
import { SettingsError, type Settings } from './config/settings';
import {
    containerSpec,
    containerUserIds,
    processHostIds,
    workspaceMountPath,
} from './container/containerSpec';
import { existingToolVolumes, removeToolVolumes } from './container/toolVolumes';
import { WorkspaceContainer } from './container/workspaceContainer';
import type {
    ContainerInfo,
    ContainerState,
    Core,
    CoreOptions,
    ExecOptions,
    HostIds,
    ProgressReporter,
} from './core';
import { DockerConnection, type EngineInfo } from './docker/connection';
import { EngineError } from './docker/engineError';
import { watchContainerEvents } from './docker/events';
import { LABEL_NAMESPACE, LABEL_SPEC_HASH, LABEL_WORKSPACE } from './docker/labels';
import { ImageBuilder } from './image/imageBuilder';
import { imageBuildInputs } from './image/imageInputs';
import { previousImage } from './image/previousImage';
import { CONTAINER_USER } from './tools/registry';
import { log } from './log';
import { Emitter, type Disposable } from './session/emitter';
import { runCapture, type CaptureResult } from './session/execCapture';
import { ExecSession } from './session/execSession';
import { openExecStream, type ExecStream } from './session/execStream';
import { sessionArgv, sessionLabel, TERMINAL_ENV } from './session/toolSession';
import { ToolTerminal, type ToolTerminalOptions } from './session/toolTerminal';

const NAMESPACE = /^[a-z0-9][a-z0-9_.-]{0,62}$/;

/** Creates the core for one workspace folder; see src/core.ts for the API. */
export function createCore(options: CoreOptions): Core {
    return new WorkspaceCore(options);
}

class WorkspaceCore implements Core {
    readonly namespace: string;
    readonly workspaceFolder: string;
    private current: Settings;
    private connection: DockerConnection;
    private readonly labels: Readonly<Record<string, string>>;
    private readonly hostIds: HostIds | undefined;
    private readonly mediaDir: string | undefined;
    private readonly states = new Emitter<ContainerState>();
    private watch: Disposable | undefined;
    private lastState: ContainerState | undefined;
    private refreshing: Promise<void> | undefined;
    private refreshAgain = false;
    private building = 0;
    private starting = 0;
    /** The image used after the wanted one failed, until settings change or a build works. */
    private fallback: { readonly image: string; readonly warning: string } | undefined;

    constructor(options: CoreOptions) {
        if (!NAMESPACE.test(options.namespace)) {
            throw new Error(
                `Namespace "${options.namespace}" must be lowercase letters, digits, . _ or -`,
            );
        }
        this.namespace = options.namespace;
        this.workspaceFolder = options.workspaceFolder;
        this.current = options.settings;
        this.labels = options.labels ?? {};
        this.hostIds = options.hostIds ?? processHostIds();
        this.mediaDir = options.mediaDir;
        this.connection = new DockerConnection(options.settings.docker.host);
    }

    get settings(): Settings {
        return this.current;
    }

    private get docker(): Docker {
        return this.connection.docker;
    }

    private get images(): ImageBuilder {
        return new ImageBuilder(() => this.docker, this.namespace, this.labels, this.mediaDir);
    }

    private get container(): WorkspaceContainer {
        const { namespace, workspaceFolder, labels } = this;
        return new WorkspaceContainer(() => this.docker, namespace, workspaceFolder, labels);
    }

    updateSettings(settings: Settings): void {
        const hostChanged = settings.docker.host !== this.current.docker.host;
        this.current = settings;
        this.fallback = undefined;
        if (hostChanged) {
            this.connection = new DockerConnection(settings.docker.host);
            this.restartWatch();
        }
        this.refresh();
    }

    checkEngine(): Promise<EngineInfo> {
        return this.connection.check();
    }

    async ensureImage(progress?: ProgressReporter, signal?: AbortSignal): Promise<string> {
        await this.checkLocalInputs();
        // Most calls find the image there: only a real build or pull shows as building.
        const ready = await this.readyImage().catch(() => undefined);
        if (ready) return ready;
        return this.busy('building', async () => {
            await this.checkEngine();
            return this.imageOrPrevious(progress, signal);
        });
    }

    buildImage(
        progress?: ProgressReporter,
        signal?: AbortSignal,
        options?: { noCache?: boolean },
    ): Promise<string> {
        return this.busy('building', async () => {
            await this.checkLocalInputs();
            await this.checkEngine();
            const ref = await this.images.build(this.current, progress, signal, options);
            this.fallback = undefined;
            return ref;
        });
    }

    async pullImage(progress?: ProgressReporter, signal?: AbortSignal): Promise<string> {
        const name = this.current.image.name;
        if (!name) throw new Error('Set agentContainers.image.name to the image to pull.');
        return this.busy('building', async () => {
            await this.checkEngine();
            const ref = await this.images.pull(name, progress, signal);
            this.fallback = undefined;
            return ref;
        });
    }

    async ensureContainer(
        progress?: ProgressReporter,
        signal?: AbortSignal,
    ): Promise<ContainerInfo> {
        const image = await this.ensureImage(progress, signal);
        const imageWarning = this.fallback?.image === image ? this.fallback.warning : undefined;
        if (imageWarning) progress?.(imageWarning);
        const spec = this.containerCreateOptions(image);
        const ensure = async (): Promise<ContainerInfo> => {
            const ids = containerUserIds(this.current, this.hostIds);
            const info = await this.container.ensure(spec, ids.uid, progress, signal);
            return {
                id: info.Id,
                name: info.Name.replace(/^\//, ''),
                image,
                workspacePath: workspaceMountPath(this.current, this.workspaceFolder),
                uid: ids.uid,
                gid: ids.gid,
                ...(imageWarning ? { imageWarning } : {}),
            };
        };
        // A container already running from this spec needs no start: no "starting" flash.
        return (await this.runsAlready(spec)) ? ensure() : this.busy('starting', ensure);
    }

    async containerState(): Promise<ContainerState> {
        try {
            await this.checkEngine();
        } catch {
            return 'unavailable';
        }
        if (this.building > 0) return 'building';
        if (this.starting > 0) return 'starting';
        try {
            const info = await this.container.find();
            if (!info) return 'none';
            return info.State.Running ? 'running' : 'stopped';
        } catch (error) {
            log.debug(`Container state unknown: ${String(error)}`);
            this.connection.invalidate();
            return 'unavailable';
        }
    }

    async start(): Promise<void> {
        await this.checkEngine();
        await this.busy('starting', () => this.container.start());
    }

    async stop(): Promise<void> {
        await this.checkEngine();
        await this.container.stop();
        this.refresh();
    }

    async restart(): Promise<void> {
        await this.checkEngine();
        await this.busy('starting', () => this.container.restart());
    }

    async remove(): Promise<void> {
        await this.checkEngine();
        await this.container.remove();
        this.refresh();
    }

    async logs(options?: { tail?: number }): Promise<string> {
        await this.checkEngine();
        return this.container.logs(options?.tail);
    }

    openTerminal(target: string, options: ToolTerminalOptions = {}): ToolTerminal {
        const argv = options.argv ? [...options.argv] : sessionArgv(this.current, target);
        return new ToolTerminal(sessionLabel(target), async (size, progress, signal) => {
            const info = await this.ensureContainer(progress, signal);
            const env = { ...TERMINAL_ENV, ...options.env };
            const spec = { argv, workingDir: info.workspacePath, env };
            return ExecSession.start(this.docker.getContainer(info.id), spec, size);
        });
    }

    async exec(argv: readonly string[], options: ExecOptions = {}): Promise<CaptureResult> {
        await this.checkEngine();
        const info = await this.container.find();
        if (!info?.State.Running) throw new Error('The container is not running.');
        return runCapture(this.docker.getContainer(info.Id), argv, {
            user: CONTAINER_USER,
            env: options.env,
            input: options.input,
        });
    }

    async execStream(argv: readonly string[]): Promise<ExecStream> {
        await this.checkEngine();
        const info = await this.container.find();
        if (!info?.State.Running) throw new Error('The container is not running.');
        return openExecStream(this.docker.getContainer(info.Id), argv, CONTAINER_USER);
    }

    async toolVolumes(toolId: string): Promise<string[]> {
        await this.checkEngine();
        return existingToolVolumes(this.docker, this.namespace, toolId);
    }

    async removeToolVolumes(toolId: string): Promise<string[]> {
        await this.checkEngine();
        return removeToolVolumes(this.docker, this.namespace, toolId);
    }

    containerCreateOptions(imageRef: string): Docker.ContainerCreateOptions {
        return containerSpec({
            settings: this.current,
            namespace: this.namespace,
            workspaceFolder: this.workspaceFolder,
            imageRef,
            hostIds: this.hostIds,
            labels: this.labels,
        });
    }

    onStateChange(listener: (state: ContainerState) => void): Disposable {
        const subscription = this.states.event(listener);
        if (!this.watch) this.restartWatch();
        return subscription;
    }

    dispose(): void {
        this.watch?.dispose();
        this.watch = undefined;
        this.states.dispose();
    }

    /**
     * The wanted image, made if missing, or the previous one when building or pulling it
     * failed for a reason other than the engine, the settings or a cancel. One failure is
     * remembered until the settings change or an explicit build or pull works, so each open
     * does not retry it.
     */
    private async imageOrPrevious(
        progress?: ProgressReporter,
        signal?: AbortSignal,
    ): Promise<string> {
        if (this.fallback) return this.fallback.image;
        try {
            return await this.images.ensure(this.current, progress, signal);
        } catch (error) {
            const settled = error instanceof EngineError || error instanceof SettingsError;
            if (settled || signal?.aborted || (error as Error).name === 'AbortError') throw error;
            const found = await previousImage(
                this.docker,
                this.namespace,
                (await this.container.find())?.Config.Image,
            );
            if (!found) throw error;
            const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0];
            log.warn(`Could not make the new image: ${reason}`);
            // A toast is one short line; the whole reason is in the log. Engine errors name
            // their root cause last ("write /long/path: no space left on device").
            const short =
                reason.length > 110 ? `${reason.slice(0, 40)}…${reason.slice(-69)}` : reason;
            const warning =
                `Could not make the new image (${short}); using the previous image ` +
                `${found}. Rebuild Image tries again.`;
            log.warn(warning);
            this.fallback = { image: found, warning };
            return found;
        }
    }

    private async runsAlready(spec: Docker.ContainerCreateOptions): Promise<boolean> {
        const info = await this.container.find().catch(() => undefined);
        const hash = spec.Labels?.[LABEL_SPEC_HASH];
        return info?.State.Running === true && info.Config.Labels?.[LABEL_SPEC_HASH] === hash;
    }

    /** The image to use when nothing needs building or pulling; undefined otherwise. */
    private async readyImage(): Promise<string | undefined> {
        if (this.fallback) return this.fallback.image;
        await this.checkEngine();
        const { image } = this.current;
        const ref =
            image.source === 'pull' ? image.name : (await this.images.plan(this.current)).ref;
        return (await this.images.exists(ref)) ? ref : undefined;
    }

    /** Settings checks that read local files; they fail before the engine is contacted. */
    private async checkLocalInputs(): Promise<void> {
        if (this.current.image.source === 'build') await imageBuildInputs(this.current);
    }

    /** Counts work in progress so containerState() can say building/starting. */
    private async busy<T>(kind: 'building' | 'starting', work: () => Promise<T>): Promise<T> {
        if (kind === 'building') this.building++;
        else this.starting++;
        this.refresh();
        try {
            return await work();
        } catch (error) {
            if (error instanceof EngineError) this.connection.invalidate();
            throw error;
        } finally {
            if (kind === 'building') this.building--;
            else this.starting--;
            this.refresh();
        }
    }

    private restartWatch(): void {
        this.watch?.dispose();
        this.watch = watchContainerEvents(
            () => this.docker,
            `${LABEL_NAMESPACE}=${this.namespace}`,
            {
                onEvent: (event) => {
                    const workspace = event.Actor.Attributes?.[LABEL_WORKSPACE];
                    if (workspace === undefined || workspace === this.workspaceFolder) {
                        this.refresh();
                    }
                },
                onConnection: (connected) => {
                    if (!connected) this.connection.invalidate();
                    this.refresh();
                },
            },
        );
        this.refresh();
    }

    /** Recomputes the state and tells listeners when it changed; bursts collapse to one. */
    private refresh(): void {
        if (!this.watch) return;
        if (this.refreshing) {
            this.refreshAgain = true;
            return;
        }
        this.refreshing = (async () => {
            do {
                this.refreshAgain = false;
                const state = await this.containerState();
                if (state !== this.lastState) {
                    this.lastState = state;
                    this.states.fire(state);
                }
            } while (this.refreshAgain);
        })().finally(() => {
            this.refreshing = undefined;
        });
    }
}
