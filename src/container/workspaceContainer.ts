/**
 * The one container of a workspace folder: found by its labels, made on first use, started,
 * and recreated (volumes kept) when the spec it was made from changed.
 */
import type Docker from 'dockerode';
import type { ProgressReporter } from '../core';
import { demultiplex } from '../docker/demultiplex';
import { LABEL_NAMESPACE, LABEL_SPEC_HASH, LABEL_WORKSPACE } from '../docker/labels';
import { log } from '../log';
import { SharedJobs } from '../sharedJob';
import { createToolVolumes } from './toolVolumes';
import { waitUntilReady } from './readiness';

const ensures = new SharedJobs<Docker.ContainerInspectInfo>();

// Containers found ready, with the start they were ready in. Until a container starts again
// it stays ready, so a warm open skips the check (an exec of its own, ~50-100 ms).
const readyStarts = new Map<string, string>();

export class WorkspaceContainer {
    constructor(
        private readonly docker: () => Docker,
        private readonly namespace: string,
        private readonly workspaceFolder: string,
        private readonly extraLabels: Readonly<Record<string, string>>,
    ) {}

    private get key(): string {
        return `${this.namespace}\n${this.workspaceFolder}`;
    }

    /** Whether an ensure is under way in this process. */
    get ensuring(): boolean {
        return ensures.isRunning(this.key);
    }

    /** The workspace's container, found by namespace and workspace labels. */
    async find(): Promise<Docker.ContainerInspectInfo | undefined> {
        const filters = { label: [`${LABEL_NAMESPACE}=${this.namespace}`] };
        const list = await this.docker().listContainers({ all: true, filters });
        // Compared here rather than in the filter: paths may hold any character.
        const mine = list
            .filter((info) => info.Labels?.[LABEL_WORKSPACE] === this.workspaceFolder)
            .sort((a, b) => b.Created - a.Created);
        if (mine.length > 1) log.warn(`${mine.length} containers for ${this.workspaceFolder}`);
        if (mine.length === 0) return undefined;
        return this.docker().getContainer(mine[0].Id).inspect();
    }

    /**
     * A running, ready container made from `spec`. An existing one is reused when its spec
     * hash matches and replaced otherwise; concurrent calls share one creation.
     */
    ensure(
        spec: Docker.ContainerCreateOptions,
        uid: number,
        progress?: ProgressReporter,
        signal?: AbortSignal,
    ): Promise<Docker.ContainerInspectInfo> {
        const work = (report: ProgressReporter, jobSignal: AbortSignal) =>
            this.runEnsure(spec, uid, report, jobSignal);
        return ensures.run(this.key, work, progress, signal);
    }

    private async runEnsure(
        spec: Docker.ContainerCreateOptions,
        uid: number,
        report: ProgressReporter,
        signal: AbortSignal,
    ): Promise<Docker.ContainerInspectInfo> {
        let info = await this.find();
        const wanted = spec.Labels?.[LABEL_SPEC_HASH];
        if (info && info.Config.Labels?.[LABEL_SPEC_HASH] !== wanted) {
            report('Settings changed: recreating the container (volumes are kept)');
            log.info(`Recreating ${info.Name}: its spec changed`);
            await this.docker().getContainer(info.Id).remove({ force: true, v: false });
            info = undefined;
        }
        signal.throwIfAborted();

        if (!info) {
            report('Creating the container');
            await createToolVolumes(this.docker(), this.namespace, this.extraLabels);
            log.info(`Creating container ${spec.name} from ${spec.Image}`);
            info = await this.create(spec);
        }
        if (info.State.Running && readyStarts.get(info.Id) === info.State.StartedAt) {
            return info;
        }
        if (!info.State.Running) {
            report('Starting the container');
            log.info(`Starting container ${info.Name}`);
            await this.docker().getContainer(info.Id).start();
        }
        signal.throwIfAborted();
        const waiting = () => report('Waiting for the container to be ready');
        await waitUntilReady(this.docker().getContainer(info.Id), uid, signal, waiting);
        const ready = await this.docker().getContainer(info.Id).inspect();
        readyStarts.set(ready.Id, ready.State.StartedAt);
        return ready;
    }

    /** Creates and starts; a container that cannot start is removed again, not left half-made. */
    private async create(
        spec: Docker.ContainerCreateOptions,
    ): Promise<Docker.ContainerInspectInfo> {
        let container: Docker.Container;
        try {
            container = await this.docker().createContainer(spec);
        } catch (error) {
            if ((error as { statusCode?: number }).statusCode === 409) {
                // Another window may have made it a moment ago: take that one.
                const raced = await this.find();
                const hash = spec.Labels?.[LABEL_SPEC_HASH];
                if (raced && raced.Config.Labels?.[LABEL_SPEC_HASH] === hash) return raced;
                throw new Error(
                    `A container named ${spec.name} exists but is not this workspace's; ` +
                        'remove it (docker rm) and try again.',
                );
            }
            throw error;
        }
        try {
            await container.start();
        } catch (error) {
            await container.remove({ force: true, v: false }).catch(() => undefined);
            throw error;
        }
        return container.inspect();
    }

    async start(): Promise<void> {
        const info = await this.require();
        if (info.State.Running) return;
        log.info(`Starting container ${info.Name}`);
        await this.docker().getContainer(info.Id).start();
    }

    async stop(): Promise<void> {
        const info = await this.require();
        if (!info.State.Running) return;
        log.info(`Stopping container ${info.Name}`);
        await this.docker().getContainer(info.Id).stop({ t: 5 });
    }

    async restart(): Promise<void> {
        const info = await this.require();
        log.info(`Restarting container ${info.Name}`);
        await this.docker().getContainer(info.Id).restart({ t: 5 });
    }

    /** Removes the container; its volumes stay. No container is not an error. */
    async remove(): Promise<void> {
        const info = await this.find();
        if (!info) return;
        log.info(`Removing container ${info.Name} (volumes are kept)`);
        await this.docker().getContainer(info.Id).remove({ force: true, v: false });
    }

    /** The last `tail` lines of the container's output (entrypoint messages). */
    async logs(tail = 500): Promise<string> {
        const info = await this.require();
        const raw = (await this.docker()
            .getContainer(info.Id)
            .logs({ stdout: true, stderr: true, tail, follow: false })) as unknown as Buffer;
        if (info.Config.Tty) return raw.toString('utf8');
        const { stdout, stderr } = demultiplex(raw);
        return stdout + stderr;
    }

    private async require(): Promise<Docker.ContainerInspectInfo> {
        const info = await this.find();
        if (!info) throw new Error(`There is no container for ${this.workspaceFolder} yet.`);
        return info;
    }
}
