// Deterministic test data for the zero-copy example: files and chunks from a seeded generator.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** `n` deterministic pseudo-random bytes (SHA-512 in counter mode). */
function bytes(n: number, seed: number): Buffer {
  const blocks: Buffer[] = [];
  for (let k = 0, got = 0; got < n; k++) {
    const block = createHash('sha512').update(`${seed}:${k}`).digest();
    blocks.push(block);
    got += block.length;
  }
  return Buffer.concat(blocks).subarray(0, n);
}

/** Writes `files` files of `size` bytes into `dir` (created). */
export function makeFiles(dir: string, files: number, size: number): void {
  mkdirSync(dir, { recursive: true });
  for (let k = 0; k < files; k++) writeFileSync(join(dir, `part-${String(k).padStart(3, '0')}.bin`), bytes(size + k, k + 1));
}

/** `count` chunks of about `size` bytes, some of them views into a larger buffer (non-zero byteOffset). */
export function makeChunks(count: number, size: number): Uint8Array[] {
  const pool = bytes(size * 4, 99);
  return Array.from({ length: count }, (_, k) =>
    k % 3 === 0 ? pool.subarray(k % size, (k % size) + size - (k % 7)) : bytes(size + (k % 5), k + 7),
  );
}
