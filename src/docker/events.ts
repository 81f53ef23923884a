/**
 * Follows Docker's event stream for containers carrying a label, reconnecting when the
 * stream breaks (engine restart, sleep), so state shown to the user tracks the engine
 * rather than a timer.
 */
import type Docker from 'dockerode';
import { z } from 'zod';
import { log } from '../log';
import type { Disposable } from '../session/emitter';

const ContainerEvent = z
    .object({
        Type: z.string().optional(),
        Action: z.string(),
        Actor: z.object({
            ID: z.string(),
            Attributes: z.record(z.string(), z.string()).optional(),
        }),
    })
    .passthrough();

export type ContainerEvent = z.infer<typeof ContainerEvent>;

export interface EventHandlers {
    onEvent(event: ContainerEvent): void;
    /** The stream broke (false) or came back (true); state should be read afresh. */
    onConnection?(connected: boolean): void;
}

/** Subscribes to container events with `label` ("key=value"); dispose to stop. */
export function watchContainerEvents(
    docker: () => Docker,
    label: string,
    handlers: EventHandlers,
    retryMs = 2000,
): Disposable {
    let stopped = false;
    let stream: NodeJS.ReadableStream | undefined;
    let timer: NodeJS.Timeout | undefined;
    let connected = false;

    const setConnected = (value: boolean) => {
        if (connected === value) return;
        connected = value;
        handlers.onConnection?.(value);
    };

    const retry = () => {
        stream = undefined;
        setConnected(false);
        if (!stopped) timer = setTimeout(connect, retryMs);
    };

    const connect = async () => {
        if (stopped) return;
        try {
            const filters = { type: ['container' as const], label: [label] };
            const events: NodeJS.ReadableStream = await docker().getEvents({ filters });
            if (stopped) return (events as unknown as { destroy(): void }).destroy();
            stream = events;
            setConnected(true);
            let pending = '';
            events.on('data', (chunk: Buffer) => {
                pending += chunk.toString('utf8');
                const lines = pending.split('\n');
                pending = lines.pop() ?? '';
                for (const line of lines.filter((l) => l.trim())) dispatch(line);
            });
            events.on('error', (error) => log.debug(`Docker events: ${String(error)}`));
            // 'end' and 'close' both come; reconnect once per stream.
            const gone = () => stream === events && retry();
            events.on('close', gone);
            events.on('end', gone);
        } catch (error) {
            log.debug(`Docker events unavailable: ${String(error)}`);
            // Between a reconnect's attempts the engine may go down again unseen: say so
            // every time, the listener only reacts to a change of state.
            if (!connected) handlers.onConnection?.(false);
            retry();
        }
    };

    const dispatch = (line: string) => {
        try {
            const parsed = ContainerEvent.safeParse(JSON.parse(line));
            if (parsed.success) handlers.onEvent(parsed.data);
        } catch {
            log.debug(`Docker events: unreadable line ${line.slice(0, 200)}`);
        }
    };

    void connect();
    return {
        dispose: () => {
            stopped = true;
            clearTimeout(timer);
            (stream as unknown as { destroy?(): void } | undefined)?.destroy?.();
        },
    };
}
