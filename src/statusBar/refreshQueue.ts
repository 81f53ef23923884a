/**
 * Runs an update at most once at a time. Requests that arrive while one runs collapse into
 * a single run after it, so a burst of Docker events costs two queries, not one per event.
 */
export class RefreshQueue {
    private running: Promise<void> | undefined;
    private again = false;

    constructor(private readonly update: () => Promise<void>) {}

    /** Resolves once the state requested at call time has been shown. */
    request(): Promise<void> {
        if (this.running) {
            this.again = true;
            return this.running;
        }
        this.running = this.drain().finally(() => {
            this.running = undefined;
        });
        return this.running;
    }

    private async drain(): Promise<void> {
        do {
            this.again = false;
            await this.update();
        } while (this.again);
    }
}
