// Before/after runs and baselines: run the same target k times under the profiler (wall time of each
// run + its attributed profile), store the "before" as a baseline under `.hotloop/baselines/`, and
// compare a fresh set of runs with it (compare.ts). Without a baseline the newest stored profile of
// the same target stands in (one run: a ratio but no CI).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { Logger } from '../logger.js';
import { nullLogger } from '../logger.js';
import type { BeforeAfterComparison, CompareOptions } from './compare.js';
import { compareRuns } from './compare.js';
import type { ProfileOptions } from './index.js';
import { profileTarget, targetLabel } from './index.js';
import { analysisLoops } from './loopLookup.js';
import { loadProfiles } from './store.js';
import type { ProfileResult, ProfileTarget } from './types.js';

export { BASELINES_DIR } from '../paths.js';
import { BASELINES_DIR } from '../paths.js';
export const DEFAULT_RUNS = 5;

export interface BeforeAfterRunOptions extends Omit<ProfileOptions, 'shapes' | 'logger'> {
  /** Runs of the target (default 5). */
  readonly runs?: number;
  readonly log?: Logger;
  /** Called after each run: (runs done, runs in all). */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface RunSet {
  /** Wall time of each run, ms. */
  readonly wallMs: readonly number[];
  /** Every run's attributed profile (compareRuns takes them all). */
  readonly profiles: readonly ProfileResult[];
  /** The run with the median wall time: the one to show or store as "the" profile. */
  readonly profile: ProfileResult;
}

/** A stored "before": k runs of a target. */
export interface Baseline {
  readonly schema: 1;
  readonly kind: 'hotloop-baseline';
  readonly createdAt: string;
  readonly label: string;
  readonly target: ProfileTarget;
  readonly runs: readonly ProfileResult[];
}

function abortError(): Error {
  const e = new Error('Cancelled');
  e.name = 'AbortError';
  return e;
}

/**
 * Runs `target` `runs` times under the profiler (no shapes pass) and returns the wall times and the
 * attributed profiles. A run that crashes, times out or exits non-zero stops the series with its
 * message: its wall time would not be comparable.
 */
export async function profileBeforeAfter(
  target: ProfileTarget,
  opts: BeforeAfterRunOptions,
): Promise<RunSet> {
  const runs = Math.max(1, Math.floor(opts.runs ?? DEFAULT_RUNS));
  const log = opts.log ?? nullLogger;
  // One analysis cache for the series: each run re-attributes against the same loop facts.
  const loopsFor = opts.loopsFor ?? analysisLoops(opts.root);
  const profiles: ProfileResult[] = [];
  for (let i = 0; i < runs; i++) {
    if (opts.signal?.aborted) throw abortError();
    const r = await profileTarget(target, { ...opts, loopsFor, logger: log, shapes: false });
    const o = r.outcome;
    if (o?.cancelled || opts.signal?.aborted) throw abortError();
    if (!o || o.timedOut || o.exitCode !== 0) {
      throw new Error(
        `Run ${i + 1} of ${runs} of ${r.label} did not finish normally: ${o?.message ?? 'no outcome'}. Fix the target (it must run to completion with exit code 0) and compare again.`,
      );
    }
    log.info(`before/after: run ${i + 1}/${runs} of ${r.label}: ${o.wallMs.toFixed(0)} ms wall`);
    profiles.push(r);
    opts.onProgress?.(i + 1, runs);
  }
  const wallMs = profiles.map((p) => p.outcome!.wallMs);
  const order = wallMs.map((w, i) => [w, i] as const).sort((a, b) => a[0] - b[0]);
  const profile = profiles[order[Math.floor((order.length - 1) / 2)]![1]]!;
  return { wallMs, profiles, profile };
}

/** A target with its files relative to root (so a baseline matches however the path was given). */
export function normalizeTarget(target: ProfileTarget, root: string): ProfileTarget {
  if (target.kind !== 'file' && target.kind !== 'script')
    return { ...target, ...('args' in target ? { args: target.args ?? [] } : {}) };
  const abs = isAbsolute(target.file) ? target.file : resolve(root, target.file);
  const rel = relative(root, abs);
  return {
    kind: target.kind,
    file: (rel.startsWith('..') || isAbsolute(rel) ? abs : rel).split('\\').join('/'),
    args: target.args ?? [],
  };
}

export function sameTarget(a: ProfileTarget | undefined, b: ProfileTarget, root: string): boolean {
  return (
    a !== undefined && JSON.stringify(normalizeTarget(a, root)) === JSON.stringify(normalizeTarget(b, root))
  );
}

/** Path of the baseline file of a target. */
export function baselineFile(root: string, target: ProfileTarget): string {
  const key = createHash('sha256')
    .update(JSON.stringify(normalizeTarget(target, root)))
    .digest('hex')
    .slice(0, 16);
  return join(root, BASELINES_DIR, `${key}.json`);
}

/** Keeps what a comparison needs: per-line heat is dropped, functions cut to the top 100. */
function slim(r: ProfileResult): ProfileResult {
  return { ...r, lines: {}, functions: r.functions.slice(0, 100) };
}

/** Stores `runs` as the baseline of `target` (replacing the previous one); returns the file. */
export function saveBaseline(
  root: string,
  target: ProfileTarget,
  runs: readonly ProfileResult[],
  now = new Date(),
): string {
  if (runs.length === 0) throw new Error('A baseline needs at least one run.');
  const file = baselineFile(root, target);
  mkdirSync(join(root, BASELINES_DIR), { recursive: true });
  const b: Baseline = {
    schema: 1,
    kind: 'hotloop-baseline',
    createdAt: now.toISOString(),
    label: targetLabel(target, root),
    target: normalizeTarget(target, root),
    runs: runs.map(slim),
  };
  writeFileSync(file, `${JSON.stringify(b)}\n`);
  return file;
}

export function isBaseline(v: unknown): v is Baseline {
  const b = v as Partial<Baseline> | null;
  return (
    typeof b === 'object' &&
    b !== null &&
    b.schema === 1 &&
    b.kind === 'hotloop-baseline' &&
    Array.isArray(b.runs) &&
    typeof b.target === 'object'
  );
}

/** Reads a baseline file (e.g. one given to the CLI), with a clear error for anything else. */
export function readBaseline(file: string): Baseline {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`Cannot read the baseline ${file}: ${err instanceof Error ? err.message : String(err)}`, {
      cause: err,
    });
  }
  if (!isBaseline(data))
    throw new Error(
      `${file} is not a Hotloop baseline (schema 1); save one with \`hotloop compare --save-baseline …\` or “Hotloop: Save baseline for before/after”.`,
    );
  return data;
}

/** The stored baseline of a target, if any. */
export function loadBaseline(root: string, target: ProfileTarget): Baseline | undefined {
  const file = baselineFile(root, target);
  return existsSync(file) ? readBaseline(file) : undefined;
}

/** Every stored baseline, newest first (broken files skipped). */
export function listBaselines(root: string): Baseline[] {
  const dir = join(root, BASELINES_DIR);
  if (!existsSync(dir)) return [];
  const out: Baseline[] = [];
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.json')) continue;
    try {
      out.push(readBaseline(join(dir, name)));
    } catch {
      /* not a baseline: skip */
    }
  }
  return out.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** The "before" of a target: its baseline, else the newest stored profile of that target (one run). */
export function beforeRuns(
  root: string,
  target: ProfileTarget,
): { runs: readonly ProfileResult[]; source: 'baseline' | 'profile' } | undefined {
  const b = loadBaseline(root, target);
  if (b) return { runs: b.runs, source: 'baseline' };
  const p = loadProfiles(root).find(
    (r) => r.source === 'run' && r.outcome && sameTarget(r.target, target, root),
  );
  return p ? { runs: [p], source: 'profile' } : undefined;
}

export interface CompareWithBaselineOptions extends BeforeAfterRunOptions {
  readonly compare?: CompareOptions;
  /** Use these runs as "before" instead of the stored baseline. */
  readonly before?: readonly ProfileResult[];
}

/** Runs the target now ("after") and compares it with its baseline ("before"). */
export async function compareWithBaseline(
  target: ProfileTarget,
  opts: CompareWithBaselineOptions,
): Promise<{ comparison: BeforeAfterComparison; after: RunSet }> {
  const stored = opts.before
    ? { runs: opts.before, source: 'baseline' as const }
    : beforeRuns(opts.root, target);
  if (!stored) {
    throw new Error(
      `No baseline for ${targetLabel(target, opts.root)}: save one before changing the code (“Hotloop: Save baseline for before/after”, or \`hotloop compare --save-baseline\`), then apply the rewrite and compare.`,
    );
  }
  const after = await profileBeforeAfter(target, opts);
  const comparison = compareRuns(stored.runs, after.profiles, opts.compare);
  if (stored.source === 'profile') {
    return {
      comparison: {
        ...comparison,
        notes: [
          '“Before” is the newest stored profile of this target (one run): save a baseline for a CI.',
          ...comparison.notes,
        ],
      },
      after,
    };
  }
  return { comparison, after };
}
