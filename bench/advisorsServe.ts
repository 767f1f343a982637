// bench:advisors, zero-copy HTTP part: examples/advisors/zerocopy/serve.ts (each GET answered with the
// file read whole, then written) against the advisor's rewrite (`pipeline(createReadStream(path), res)`),
// both serving the same files from this process on 127.0.0.1. A round fetches every file once from
// each server, `concurrency` requests in flight (interleaved: original, rewrite); it checks the bytes
// are the file's. Two figures: the time until the first byte of each response arrives (latency: the
// original sends nothing until the whole file is read), and the round's whole time (throughput).
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { applyZeroCopy } from '../src/core/advisors/zerocopy/index.js';
import { bootstrapPairedRatioCI, median } from '../src/core/bench/stats.js';
import { round2 } from './advisorsPaired.js';

export interface ServeFigure {
  readonly speedup: number;
  readonly ci: [number, number];
  readonly correct: boolean;
  readonly example: string;
  readonly files: string;
  readonly concurrency: number;
  readonly rounds: number;
  /** The whole round (every file fetched once): original → rewrite. */
  readonly round_ms: { readonly original: number; readonly rewritten: number };
  /** The round's throughput ratio (whole-round times), with its CI. */
  readonly throughput: { readonly speedup: number; readonly ci: [number, number] };
}

interface FileServer {
  readonly baseUrl: string;
  close(): Promise<void>;
}
type Start = (dir: string) => Promise<FileServer>;

const start = async (dir: string): Promise<Start> =>
  ((await import(pathToFileURL(join(dir, 'serve.ts')).href)) as { startFileServer: Start }).startFileServer;

/** Fetches every file once (`concurrency` at a time): median first-byte ms, round ms, bytes right. */
async function fetchAll(
  s: FileServer,
  files: readonly { name: string; bytes: Buffer }[],
  concurrency: number,
): Promise<{ firstByte: number; round: number; ok: boolean }> {
  const t0 = performance.now();
  const first: number[] = [];
  let ok = true;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      const f = files[next++]!;
      const t = performance.now();
      const res = await fetch(`${s.baseUrl}/${f.name}`);
      const reader = res.body!.getReader();
      const parts: Uint8Array[] = [];
      let r = await reader.read();
      first.push(performance.now() - t);
      while (!r.done) {
        parts.push(r.value as Uint8Array);
        r = await reader.read();
      }
      if (res.status !== 200 || !Buffer.concat(parts).equals(f.bytes)) ok = false;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { firstByte: median(first), round: performance.now() - t0, ok };
}

export async function benchServe(
  example: string,
  o: { rounds: number; files: number; fileSize: number; concurrency: number },
): Promise<ServeFigure> {
  const dir = mkdtempSync(join(tmpdir(), 'hotloop-bench-serve-'));
  const servers: FileServer[] = [];
  try {
    cpSync(example, join(dir, 'rewritten'), { recursive: true });
    writeFileSync(join(dir, 'rewritten', 'package.json'), '{ "type": "module" }\n');
    const path = join(dir, 'rewritten', 'serve.ts');
    const r = applyZeroCopy(path, readFileSync(path, 'utf8'));
    if (r.rewritten !== 1) throw new Error(`the zero-copy advisor rewrote ${r.rewritten} sites of serve.ts`);
    writeFileSync(path, r.text);
    const data = (await import(pathToFileURL(join(example, 'data.ts')).href)) as {
      makeFiles(dir: string, files: number, size: number): void;
    };
    data.makeFiles(join(dir, 'files'), o.files, o.fileSize);
    const files = readdirSync(join(dir, 'files'))
      .sort()
      .map((name) => ({ name, bytes: readFileSync(join(dir, 'files', name)) }));
    const a = await (await start(example))(join(dir, 'files'));
    servers.push(a);
    const b = await (await start(join(dir, 'rewritten')))(join(dir, 'files'));
    servers.push(b);
    await fetchAll(a, files, o.concurrency); // warm-up: connections, page cache, JIT
    await fetchAll(b, files, o.concurrency);
    const [fa, fb, ra, rb] = [[], [], [], []] as number[][];
    let correct = true;
    for (let k = 0; k < o.rounds; k++) {
      const x = await fetchAll(a, files, o.concurrency);
      const y = await fetchAll(b, files, o.concurrency);
      correct &&= x.ok && y.ok;
      fa!.push(x.firstByte);
      fb!.push(y.firstByte);
      ra!.push(x.round);
      rb!.push(y.round);
    }
    const latency = bootstrapPairedRatioCI(fa!, fb!);
    const whole = bootstrapPairedRatioCI(ra!, rb!);
    return {
      speedup: round2(latency.ratio),
      ci: [round2(latency.ci.low), round2(latency.ci.high)],
      correct,
      example: 'examples/advisors/zerocopy (serve.ts)',
      files: `${o.files} × ${o.fileSize} bytes`,
      concurrency: o.concurrency,
      rounds: o.rounds,
      round_ms: { original: round2(median(ra!)), rewritten: round2(median(rb!)) },
      throughput: { speedup: round2(whole.ratio), ci: [round2(whole.ci.low), round2(whole.ci.high)] },
    };
  } finally {
    for (const s of servers) await s.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
