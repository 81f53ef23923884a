/**
 * Gets the image a workspace's container runs: built from the bundled Dockerfile under a
 * tag derived from its inputs, or pulled by name. Nothing is built when the tagged image
 * exists, and concurrent requests for one tag share one build.
 */
import type Docker from 'dockerode';
import type { ProgressReporter } from '../core';
import type { Settings } from '../config/settings';
import { LABEL_INPUTS_HASH, LABEL_NAMESPACE } from '../docker/labels';
import { readJsonStream, type StreamMessage } from '../docker/jsonStream';
import { log } from '../log';
import { SharedJobs } from '../sharedJob';
import {
    buildArgs,
    buildContextFiles,
    buildContextTar,
    toolVersionLabels,
    type ImageBuildInputs,
} from './buildContext';
import { imageBuildInputs } from './imageInputs';
import { imageTag, inputsHash } from './imageTag';
import { pullFailure } from './pullFailure';
import { removeSupersededImages } from './supersededImages';

// Shared by every core in the process: two workspaces with the same settings build once.
const builds = new SharedJobs<string>();
const pulls = new SharedJobs<string>();

export interface ImagePlan {
    readonly ref: string;
    readonly hash: string;
    readonly inputs: ImageBuildInputs;
}

export class ImageBuilder {
    constructor(
        private readonly docker: () => Docker,
        private readonly namespace: string,
        private readonly extraLabels: Readonly<Record<string, string>>,
        private readonly mediaDir?: string,
    ) {}

    /** The tag the current settings lead to, without touching the engine. */
    async plan(settings: Settings): Promise<ImagePlan> {
        const inputs = await imageBuildInputs(settings);
        const hash = inputsHash({
            files: await buildContextFiles(inputs, this.mediaDir),
            buildArgs: buildArgs(inputs),
            baseImage: inputs.baseImage,
        });
        return { ref: imageTag(this.namespace, hash), hash, inputs };
    }

    /** The image ref for these settings; builds or pulls only when the image is missing. */
    async ensure(
        settings: Settings,
        progress?: ProgressReporter,
        signal?: AbortSignal,
    ): Promise<string> {
        if (settings.image.source === 'pull') {
            if (await this.exists(settings.image.name)) return settings.image.name;
            return this.pull(settings.image.name, progress, signal);
        }
        const plan = await this.plan(settings);
        if (await this.exists(plan.ref)) {
            log.debug(`Image ${plan.ref} exists; no build needed`);
            return plan.ref;
        }
        return this.build(settings, progress, signal, {}, plan);
    }

    /** Builds the image for these settings even if it exists ("Rebuild Image"). */
    async build(
        settings: Settings,
        progress?: ProgressReporter,
        signal?: AbortSignal,
        options: { noCache?: boolean } = {},
        known?: ImagePlan,
    ): Promise<string> {
        const plan = known ?? (await this.plan(settings));
        const key = `${plan.ref}${options.noCache ? ' no-cache' : ''}`;
        const work = (report: ProgressReporter, jobSignal: AbortSignal) =>
            this.runBuild(plan, settings, options.noCache ?? false, report, jobSignal);
        return builds.run(key, work, progress, signal);
    }

    /** Pulls `name` with progress. */
    pull(name: string, progress?: ProgressReporter, signal?: AbortSignal): Promise<string> {
        return pulls.run(
            name,
            (report, jobSignal) => this.runPull(name, report, jobSignal),
            progress,
            signal,
        );
    }

    async exists(ref: string): Promise<boolean> {
        try {
            await this.docker().getImage(ref).inspect();
            return true;
        } catch (error) {
            if ((error as { statusCode?: number }).statusCode === 404) return false;
            throw error;
        }
    }

    /** Whether a build or pull is running in this process. */
    static busy(): boolean {
        return builds.isRunning() || pulls.isRunning();
    }

    private async runBuild(
        plan: ImagePlan,
        settings: Settings,
        noCache: boolean,
        report: ProgressReporter,
        signal: AbortSignal,
    ): Promise<string> {
        const started = Date.now();
        log.info(`Building image ${plan.ref} from ${plan.inputs.baseImage}`);
        const labels: Record<string, string> = {
            ...this.extraLabels,
            ...toolVersionLabels(plan.inputs),
            [LABEL_NAMESPACE]: this.namespace,
            [LABEL_INPUTS_HASH]: plan.hash,
        };
        const mode = settings.image.buildNetworkMode;
        const stream = await this.docker().buildImage(
            await buildContextTar(plan.inputs, this.mediaDir),
            {
                t: plan.ref,
                buildargs: buildArgs(plan.inputs),
                labels,
                nocache: noCache,
                rm: true,
                forcerm: true,
                ...(mode === 'default' ? {} : { networkmode: mode }),
                abortSignal: signal,
            } as Docker.ImageBuildOptions,
        );
        let step = '';
        let output = '';
        await readJsonStream(stream, (message) => {
            step = /^Step \d+\/\d+ : (\S+)/.exec(message.stream ?? '')?.[1] ?? step;
            // Output arrives in fragments (stderr even mid-line); the tail is enough.
            output = (output + (message.stream ?? '')).slice(-20_000);
            forwardBuildLine(message, report);
        }).catch((error: Error) => {
            if (signal.aborted) throw error;
            // Failing at FROM means the base image could not be had: name the setting.
            if (step === 'FROM') {
                throw new Error(
                    `Cannot get the base image ${plan.inputs.baseImage} ` +
                        `(agentContainers.image.baseImage): ${error.message}`,
                    { cause: error },
                );
            }
            throw stepFailure(error, output);
        });
        signal.throwIfAborted();
        if (!(await this.exists(plan.ref))) {
            throw new Error(`The build of ${plan.ref} ended without an image; see the log.`);
        }
        log.info(`Built image ${plan.ref} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
        // Tidying up is not part of the build: a failure here must not fail it.
        await removeSupersededImages(this.docker(), this.namespace, plan.ref).catch((error) =>
            log.warn(`Could not remove superseded images: ${(error as Error).message}`),
        );
        return plan.ref;
    }

    private async runPull(
        name: string,
        report: ProgressReporter,
        signal: AbortSignal,
    ): Promise<string> {
        log.info(`Pulling image ${name}`);
        try {
            const stream: NodeJS.ReadableStream = await this.docker().pull(name, {
                abortSignal: signal,
            });
            const seen = new Map<string, string>();
            await readJsonStream(stream, (message) => {
                const status = message.status ?? '';
                const line = message.id ? `${message.id}: ${status}` : status;
                // Byte counts arrive many times a second; report each state change once.
                if (!line || seen.get(message.id ?? '') === status) return;
                seen.set(message.id ?? '', status);
                log.debug(line);
                report(line);
            });
        } catch (error) {
            if (signal.aborted || (error as Error).name === 'AbortError') throw error;
            throw pullFailure(name, error);
        }
        signal.throwIfAborted();
        log.info(`Pulled image ${name}`);
        return name;
    }
}

function forwardBuildLine(message: StreamMessage, report: ProgressReporter): void {
    const text = message.stream ?? message.status ?? message.error ?? '';
    for (const line of text.split('\n')) {
        const trimmed = line.trimEnd();
        if (!trimmed) continue;
        if (message.error) log.error(trimmed);
        else log.info(trimmed);
        report(trimmed);
    }
}

/**
 * A failed RUN step reports its whole shell command; the user needs what went wrong. The
 * first line naming a network failure wins (the usual cause), else the last error line.
 */
function stepFailure(error: Error, output: string): Error {
    const code = /^The command '[\s\S]*' returned a non-zero code: (\d+)$/.exec(error.message)?.[1];
    if (code === undefined) return error;
    const lines = output
        .replace(/\x1b\[[0-9;]*m/g, '')
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => /^(E:|W:|npm ERR!|npm error|error:|fatal:)/i.test(line));
    const network = lines.find((line) =>
        /resolv|EAI_AGAIN|ENOTFOUND|ECONNREFUSED|ETIMEDOUT|unreachable|Failed to fetch/i.test(line),
    );
    const cause = network ?? lines.at(-1) ?? 'see the log';
    return new Error(`A step of the image build failed (exit code ${code}): ${cause}`, {
        cause: error,
    });
}
