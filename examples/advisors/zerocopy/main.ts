// The zero-copy advisor's example program: backs up a folder of files, serves the copies over HTTP on
// 127.0.0.1 (fetching each once), assembles a message from chunks and posts frames to a worker, then
// prints digests of what it produced (stdout) — identical before and after the rewrites.
// Sizes: argv[2] files of argv[3] bytes, argv[4] chunks of argv[5] bytes (defaults 8 × 4 MiB, 400 × 16 KiB).
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assemble } from './assemble.js';
import { backupAll } from './backup.js';
import { makeChunks, makeFiles } from './data.js';
import { sendFrames } from './send.js';
import { startFileServer } from './serve.js';

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex').slice(0, 16);

async function main(files: number, size: number, chunks: number, chunkSize: number): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'hotloop-zerocopy-example-'));
  try {
    makeFiles(join(work, 'src'), files, size);
    mkdirSync(join(work, 'dst'));
    const t0 = performance.now();
    const names = await backupAll(join(work, 'src'), join(work, 'dst'));
    const t1 = performance.now();
    const message = assemble(makeChunks(chunks, chunkSize));
    const t2 = performance.now();
    const frames = await sendFrames(16, size >> 3);
    const t3 = performance.now();
    const server = await startFileServer(join(work, 'dst'));
    const served: string[] = [];
    try {
      for (const n of names) {
        const got = await fetch(`${server.baseUrl}/${n}`);
        served.push(`served ${n}  ${got.status}  ${sha(new Uint8Array(await got.arrayBuffer()))}`);
      }
    } finally {
      await server.close();
    }
    for (const n of names) console.log(`${n}  ${sha(readFileSync(join(work, 'dst', n)))}`);
    for (const line of served) console.log(line);
    console.log(`message  ${message.length} bytes  ${sha(message)}`);
    console.log(`frames  checksum ${frames}`);
    console.error(`backup ${(t1 - t0).toFixed(0)} ms, assemble ${(t2 - t1).toFixed(0)} ms, send ${(t3 - t2).toFixed(0)} ms`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const arg = (k: number, d: number): number => Number(process.argv[k] ?? d);
main(arg(2, 8), arg(3, 4 << 20), arg(4, 400), arg(5, 16 << 10)).catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
