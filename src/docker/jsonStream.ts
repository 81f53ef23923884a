/**
 * Reads the newline-separated JSON messages that the build and pull endpoints stream, and
 * turns an `error` message into a rejection (Docker reports build failures that way, with
 * HTTP 200).
 */
import { z } from 'zod';

const Message = z
    .object({
        stream: z.string().optional(),
        status: z.string().optional(),
        progress: z.string().optional(),
        id: z.string().optional(),
        error: z.string().optional(),
        errorDetail: z.object({ message: z.string().optional() }).passthrough().optional(),
        aux: z.unknown().optional(),
    })
    .passthrough();

export type StreamMessage = z.infer<typeof Message>;

/** Resolves when the stream ends; rejects on a stream error or an `error` message. */
export function readJsonStream(
    stream: NodeJS.ReadableStream,
    onMessage: (message: StreamMessage) => void,
): Promise<void> {
    return new Promise((resolve, reject) => {
        let pending = '';
        let failure: Error | undefined;
        const handle = (line: string) => {
            if (!line.trim()) return;
            let parsed: unknown;
            try {
                parsed = JSON.parse(line);
            } catch {
                onMessage({ stream: line });
                return;
            }
            const message = Message.safeParse(parsed);
            if (!message.success) return;
            if (message.data.error) failure ??= new Error(message.data.error.trim());
            onMessage(message.data);
        };
        stream.on('data', (chunk: Buffer | string) => {
            pending += chunk.toString();
            const lines = pending.split('\n');
            pending = lines.pop() ?? '';
            lines.forEach(handle);
        });
        const finish = () => {
            handle(pending);
            pending = '';
            if (failure) reject(failure);
            else resolve();
        };
        stream.on('error', reject);
        stream.on('end', finish);
        stream.on('close', finish);
    });
}
