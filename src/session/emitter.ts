/**
 * A minimal event emitter whose `event` has the shape of vscode.Event, so objects built on
 * it (ToolTerminal) can be handed to the editor as they are while core code needs no vscode.
 */
import { log } from '../log';

export interface Disposable {
    dispose(): void;
}

export type Event<T> = (
    listener: (value: T) => unknown,
    thisArgs?: unknown,
    disposables?: Disposable[],
) => Disposable;

export class Emitter<T> {
    private listeners = new Set<(value: T) => unknown>();

    readonly event: Event<T> = (listener, thisArgs, disposables) => {
        const bound = (value: T) => listener.call(thisArgs, value);
        this.listeners.add(bound);
        const subscription = { dispose: () => this.listeners.delete(bound) };
        disposables?.push(subscription);
        return subscription;
    };

    fire(value: T): void {
        for (const listener of [...this.listeners]) {
            try {
                listener(value);
            } catch (error) {
                // One failing listener must not keep the others from hearing the event.
                log.warn(`event listener failed: ${String(error)}`);
            }
        }
    }

    dispose(): void {
        this.listeners.clear();
    }
}
