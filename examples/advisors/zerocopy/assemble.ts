// The zero-copy advisor's example, part 2: a message assembled from chunks by growing one Buffer —
// every Buffer.concat copies all the bytes joined so far (quadratic). The advisor collects the
// chunks and concatenates once.
/** Joins `chunks` after a 4-byte big-endian length header of the whole payload. */
export function assemble(chunks: readonly Uint8Array[]): Buffer {
  let payload = Buffer.alloc(0);
  for (const chunk of chunks) {
    payload = Buffer.concat([payload, chunk]);
  }
  const header = Buffer.alloc(4);
  header.writeUInt32BE(payload.length);
  return Buffer.concat([header, payload]);
}
