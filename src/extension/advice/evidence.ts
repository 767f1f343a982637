// What the advice knows beyond the prediction, read from `.hotloop/` (never computed per lens):
// the newest saved benchmark of each kernel (measured beats predicted) and the array lengths the
// newest stored profile saw at each loop (the n to predict at). Plain functions + a small cache;
// the vscode part (file watchers) lives in index.ts.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LoopFacts } from '../../core/analysis/types.js';
import { formatN, formatSpeedup } from '../../core/format.js';
import type { BenchResult } from '../../core/bench/types.js';
import type { ProfileResult } from '../../core/profile/types.js';

import {
  PROFILE_SCHEMA_VERSION,
  PROFILES_DIR as PROFILES_SUBDIR,
  RESULT_SCHEMA_VERSION,
  RESULTS_DIR as RESULTS_SUBDIR,
} from '../../core/paths.js';

export { PROFILES_SUBDIR, RESULTS_SUBDIR };

function isBench(v: unknown): v is BenchResult {
  const r = v as Partial<BenchResult> | null;
  return (
    typeof r === 'object' &&
    r !== null &&
    r.kind === 'bench' &&
    r.schemaVersion === RESULT_SCHEMA_VERSION &&
    typeof r.kernel === 'string' &&
    Array.isArray(r.verdicts) &&
    typeof r.createdAt === 'string'
  );
}

function isProfile(v: unknown): v is ProfileResult {
  const r = v as Partial<ProfileResult> | null;
  return (
    typeof r === 'object' &&
    r !== null &&
    r.schema === PROFILE_SCHEMA_VERSION &&
    Array.isArray(r.loops) &&
    typeof r.createdAt === 'string'
  );
}

async function jsonFiles(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((f) => f.endsWith('.json')).map((f) => join(dir, f));
  } catch {
    return [];
  }
}

async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** The newest saved benchmark per kernel name under `<root>/.hotloop/results/<kernel>/*.json`. */
export async function readLatestResults(root: string): Promise<Map<string, BenchResult>> {
  const out = new Map<string, BenchResult>();
  let kernels: string[];
  try {
    kernels = await readdir(join(root, RESULTS_SUBDIR));
  } catch {
    return out;
  }
  for (const k of kernels) {
    for (const file of await jsonFiles(join(root, RESULTS_SUBDIR, k))) {
      const r = await readJson(file);
      if (!isBench(r) || r.table) continue;
      const prev = out.get(r.kernel);
      if (!prev || r.createdAt > prev.createdAt) out.set(r.kernel, r);
    }
  }
  return out;
}

/** n per loop id from the newest profile with a shapes pass: the largest array length the loop saw. */
export async function readProfileSizes(root: string): Promise<Map<string, number>> {
  const profiles: ProfileResult[] = [];
  for (const file of await jsonFiles(join(root, PROFILES_SUBDIR))) {
    const p = await readJson(file);
    if (isProfile(p)) profiles.push(p);
  }
  profiles.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const out = new Map<string, number>();
  for (const p of profiles) {
    for (const l of p.loops) {
      if (out.has(l.loopId) || !l.shape) continue;
      const n = sizeFromShape(l.shape);
      if (n !== undefined) out.set(l.loopId, n);
    }
  }
  return out;
}

/** The n a loop really ran at: its largest array, else iterations per entry. */
export function sizeFromShape(
  shape: NonNullable<ProfileResult['loops'][number]['shape']>,
): number | undefined {
  const lengths = shape.arrays.map((a) => a.maxLength).filter((v) => Number.isFinite(v) && v > 0);
  if (lengths.length) return Math.max(...lengths);
  if (shape.entries > 0 && shape.iterations > 0) return Math.round(shape.iterations / shape.entries);
  return undefined;
}

/** The saved benchmark of this loop's kernel, when its source (if recorded) is this loop's file. */
export function resultForLoop(
  loop: LoopFacts,
  results: ReadonlyMap<string, BenchResult>,
): BenchResult | undefined {
  if (!loop.kernel) return undefined;
  const r = results.get(loop.kernel.name);
  if (!r) return undefined;
  const file = r.source?.file.split('\\').join('/');
  if (file && !(file === loop.file || file.endsWith(`/${loop.file}`) || loop.file.endsWith(`/${file}`)))
    return undefined;
  return r;
}

/** "native 1.4× measured (n=100,000)" from a saved result: the best verdict against the reference. */
export function measuredSummary(r: BenchResult): string {
  const best = [...r.verdicts].filter((v) => Number.isFinite(v.ratio)).sort((a, b) => b.ratio - a.ratio)[0];
  if (!best) return `no rewrite measured correct (n=${formatN(r.n)})`;
  const label = r.variants.find((v) => v.id === best.variant)?.id ?? best.variant;
  if (best.verdict !== 'faster')
    return `no rewrite faster, measured (best ${label} ${formatSpeedup(best.ratio)}, n=${formatN(r.n)})`;
  return `${label} ${formatSpeedup(best.ratio)} measured (n=${formatN(r.n)})`;
}
