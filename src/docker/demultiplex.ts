/** Splits Docker's framed stdout/stderr stream (8-byte headers) into its two texts. */
export function demultiplex(raw: Buffer): { stdout: string; stderr: string } {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let offset = 0;
    while (offset + 8 <= raw.length) {
        const size = raw.readUInt32BE(offset + 4);
        const payload = raw.subarray(offset + 8, offset + 8 + size);
        (raw[offset] === 2 ? err : out).push(payload);
        offset += 8 + size;
    }
    return {
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
    };
}
