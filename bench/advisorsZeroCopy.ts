// bench:advisors, zero-copy part: examples/advisors/zerocopy (a backup reading each file whole and
// writing it again; a message grown by Buffer.concat per chunk) against the advisor's rewrites of it
// (copyFile; one concat), on the same files and chunks. Interleaved rounds; each round checks the
// copies' bytes and the message are identical; the figure is the whole example's speedup, with each
// part's own figure beside it.
import { deepStrictEqual } from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { applyZeroCopy } from '../src/core/advisors/zerocopy/index.js';
import { bootstrapPairedRatioCI, median } from '../src/core/bench/stats.js';
import { round2 } from './advisorsPaired.js';

export interface PartFigure {
  readonly speedup: number;
  readonly ci: [number, number];
}

export interface ZeroCopyFigure extends PartFigure {
  readonly correct: boolean;
  readonly example: string;
  readonly files: string;
  readonly chunks: string;
  readonly rounds: number;
  readonly parts: { readonly copy: PartFigure; readonly concat: PartFigure };
  readonly median_ms: { readonly original: number; readonly rewritten: number };
}

interface Example {
  backupAll(src: string, dst: string): Promise<string[]>;
  assemble(chunks: readonly Uint8Array[]): Buffer;
}

function figure(a: readonly number[], b: readonly number[]): PartFigure {
  const { ratio, ci } = bootstrapPairedRatioCI(a, b);
  return { speedup: round2(ratio), ci: [round2(ci.low), round2(ci.high)] };
}

async function load(dir: string): Promise<Example> {
  const url = (f: string): string => pathToFileURL(join(dir, f)).href;
  const backup = (await import(url('backup.ts'))) as Pick<Example, 'backupAll'>;
  const assemble = (await import(url('assemble.ts'))) as Pick<Example, 'assemble'>;
  return { backupAll: backup.backupAll, assemble: assemble.assemble };
}

export async function benchZeroCopy(
  example: string,
  o: { rounds: number; files: number; fileSize: number; chunks: number; chunkSize: number },
): Promise<ZeroCopyFigure> {
  const dir = mkdtempSync(join(tmpdir(), 'hotloop-bench-zerocopy-'));
  try {
    cpSync(example, join(dir, 'rewritten'), { recursive: true });
    writeFileSync(join(dir, 'rewritten', 'package.json'), '{ "type": "module" }\n');
    for (const f of ['backup.ts', 'assemble.ts']) {
      const path = join(dir, 'rewritten', f);
      const r = applyZeroCopy(path, readFileSync(path, 'utf8'));
      if (r.rewritten !== 1)
        throw new Error(`the zero-copy advisor rewrote ${r.rewritten} sites of ${f}, expected 1`);
      writeFileSync(path, r.text);
    }
    const original = await load(example);
    const rewritten = await load(join(dir, 'rewritten'));
    const data = (await import(pathToFileURL(join(example, 'data.ts')).href)) as {
      makeFiles(dir: string, files: number, size: number): void;
      makeChunks(count: number, size: number): Uint8Array[];
    };
    data.makeFiles(join(dir, 'src'), o.files, o.fileSize);
    const chunks = data.makeChunks(o.chunks, o.chunkSize);
    const once = async (
      ex: Example,
      out: string,
    ): Promise<{ copy: number; concat: number; value: unknown }> => {
      rmSync(out, { recursive: true, force: true });
      mkdirSync(out);
      const t0 = performance.now();
      await ex.backupAll(join(dir, 'src'), out);
      const t1 = performance.now();
      const message = ex.assemble(chunks);
      const t2 = performance.now();
      const copies = readdirSync(out)
        .sort()
        .map((n) => readFileSync(join(out, n)));
      return { copy: t1 - t0, concat: t2 - t1, value: { copies, message } };
    };
    await once(original, join(dir, 'a')); // warm-up (page cache, JIT)
    await once(rewritten, join(dir, 'b'));
    const [ca, cb, ja, jb] = [[], [], [], []] as number[][];
    let correct = true;
    for (let k = 0; k < o.rounds; k++) {
      const x = await once(original, join(dir, 'a'));
      const y = await once(rewritten, join(dir, 'b'));
      try {
        deepStrictEqual(y.value, x.value);
      } catch {
        correct = false;
      }
      ca!.push(x.copy);
      cb!.push(y.copy);
      ja!.push(x.concat);
      jb!.push(y.concat);
    }
    const total = (c: number[], j: number[]): number[] => c.map((v, i) => v + j[i]!);
    const [ta, tb] = [total(ca!, ja!), total(cb!, jb!)];
    return {
      ...figure(ta, tb),
      correct,
      example: 'examples/advisors/zerocopy (backup.ts, assemble.ts)',
      files: `${o.files} × ${o.fileSize} bytes`,
      chunks: `${o.chunks} × ~${o.chunkSize} bytes`,
      rounds: o.rounds,
      parts: { copy: figure(ca!, cb!), concat: figure(ja!, jb!) },
      median_ms: { original: round2(median(ta)), rewritten: round2(median(tb)) },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
