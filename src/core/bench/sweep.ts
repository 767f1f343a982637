// Size sweep: log-spaced n from 1 to a maximum bounded by memory; per n a short measurement of every
// correct variant plus the marshalling reference (number[] → Float64Array), and the crossover n from
// which each variant stays faster than the reference.
import * as os from 'node:os';
import { nullLogger } from '../logger.js';
import { inputBytes } from './inputs.js';
import type { RunContext } from './runner.js';
import { Session } from './session.js';
import { median } from './stats.js';
import type { BenchSpec, SweepPoint, SweepResult } from './types.js';

export interface SweepOptions {
  /** Largest n (default 1e7, lowered to what fits in a quarter of free memory). */
  readonly maxN?: number;
  /** Points per decade (default 2: 1, 3, 10, 32, …). */
  readonly perDecade?: number;
  /** Target ms per sample (default 5). */
  readonly sampleMs?: number;
  /** Samples per variant and n (default 5). */
  readonly samples?: number;
  readonly timeoutMs?: number;
  /**
   * Centre of the sweep (default: the spec's n when its shape was recorded): sizes from centre/100 to
   * centre·100 (within 1…maxN), so the crossover chart is read around the size the program really uses.
   */
  readonly centre?: number;
}

/** Log-spaced integer sizes from 1 to max (inclusive), deduplicated. */
export function logSizes(max: number, perDecade = 2): number[] {
  const out = new Set<number>();
  const steps = Math.ceil(Math.log10(Math.max(1, max)) * perDecade);
  for (let k = 0; k <= steps; k++) out.add(Math.min(max, Math.round(10 ** (k / perDecade))));
  out.add(max);
  return [...out].sort((a, b) => a - b);
}

/** Log-spaced sizes over two decades either side of `centre` (clamped to 1…max), always with centre itself. */
export function centredSizes(centre: number, max: number, perDecade = 2): number[] {
  const c = Math.max(1, Math.min(max, Math.round(centre)));
  const lo = Math.max(1, c / 100);
  const hi = Math.min(max, c * 100);
  const out = new Set<number>([c]);
  const steps = Math.ceil(Math.log10(hi / lo) * perDecade);
  for (let k = 0; k <= steps; k++) out.add(Math.min(hi, Math.max(1, Math.round(lo * 10 ** (k / perDecade)))));
  out.add(Math.round(hi));
  return [...out].sort((a, b) => a - b);
}

/** The largest n whose inputs (in every child, in the widest form) fit in a quarter of free memory. */
export function memoryBoundN(spec: BenchSpec, wanted: number): number {
  const budget = os.freemem() / 4 / Math.max(1, spec.variants.length);
  let n = wanted;
  while (n > 1 && inputBytes(spec.args, n, 'array') > budget) n = Math.floor(n / 2);
  return n;
}

/**
 * Smallest n from which the variant is faster than the reference (by more than `margin`, default 3 %,
 * so noise-level differences are no crossover) at every larger measured n.
 */
export function crossoverOf(
  points: readonly SweepPoint[],
  reference: string,
  variant: string,
  margin = 0.03,
): number | null {
  let cross: number | null = null;
  for (let i = points.length - 1; i >= 0; i--) {
    const p = points[i]!;
    const r = p.ns[reference];
    const v = p.ns[variant];
    if (r === undefined || v === undefined || v * (1 + margin) >= r) break;
    cross = p.n;
  }
  return cross;
}

export async function runSweep(
  spec: BenchSpec,
  options: SweepOptions = {},
  ctx: RunContext = {},
): Promise<SweepResult> {
  const timeoutMs = options.timeoutMs ?? 300_000;
  const signal = AbortSignal.any([
    ctx.signal ?? new AbortController().signal,
    AbortSignal.timeout(timeoutMs),
  ]);
  const bound = memoryBoundN(spec, options.maxN ?? 1e7);
  const centre = options.centre ?? (spec.shape?.source === 'recorded' ? spec.n : undefined);
  const sizes =
    centre !== undefined
      ? centredSizes(centre, bound, options.perDecade ?? 2)
      : logSizes(bound, options.perDecade ?? 2);
  const session = new Session(spec.variants, signal, timeoutMs, ctx.log ?? nullLogger);
  const points: SweepPoint[] = [];
  try {
    for (const [i, n] of sizes.entries()) {
      ctx.onProgress?.(i / sizes.length, `n = ${n}`);
      await session.loadAndCheck(spec.args, n, spec.seed ?? 42, spec.ir);
      const ns: Record<string, number> = {};
      for (const lv of session.correct()) {
        const { batch } = await lv.child.request(
          { t: 'calibrate', sampleMs: options.sampleMs ?? 5, warmupMs: 10, stage: 'call' },
          'calibrated',
          session.remaining(),
          signal,
        );
        const s = await lv.child.request(
          { t: 'sample', batch, count: options.samples ?? 5, stage: 'call' },
          'samples',
          session.remaining(),
          signal,
        );
        ns[lv.variant.id] = median(s.ns);
      }
      const m = await session.live[0]!.child.request(
        { t: 'marshal', count: 5 },
        'samples',
        session.remaining(),
        signal,
      );
      points.push({ n, ns, marshalNs: median(m.ns) });
    }
  } finally {
    await session.close();
  }
  const reference = spec.variants[0]!.id;
  const crossover: Record<string, number | null> = {};
  for (const v of spec.variants.slice(1)) crossover[v.id] = crossoverOf(points, reference, v.id);
  return { points, crossover };
}
