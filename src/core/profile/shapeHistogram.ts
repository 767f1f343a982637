// The parameter-shape histogram of a loop: the shapes pass records, per process, up to 32 distinct
// shapes of the kernel's parameters at sampled entries (each of the first 1024 entries, then every
// 64th, weighted 1 and 64). Here the processes' buckets are merged, scaled to the loop's real entry
// count, and ranked by estimated work, so "small many times" and "large once" are told apart and the
// benchmark replays the shape where the time goes.
import type { ParamShape, ShapeBucket } from './types.js';

/** A bucket as the preload writes it: parameters without names (the slot table has them). */
export interface RawBucket {
  readonly params: readonly RawParam[];
  readonly calls: number;
  readonly iterations: number;
}

export type RawParam =
  | { readonly kind: 'scalar'; readonly value: number }
  | {
      readonly kind: 'array';
      readonly type: string;
      readonly length: number;
      readonly elementKind?: string;
      readonly rowLength?: number;
      readonly rowType?: string;
    }
  | { readonly kind: 'other'; readonly type: string };

export interface BucketAcc {
  params: ParamShape[];
  calls: number;
  iterations: number;
}

/** Adds a process's raw buckets to `acc` (keyed by the shape), naming the parameters. */
export function mergeBuckets(
  acc: Map<string, BucketAcc>,
  raw: readonly RawBucket[],
  names: readonly string[],
): void {
  for (const b of raw) {
    const params = b.params.map((p, i): ParamShape => ({ name: names[i] ?? `#${i}`, ...p }));
    const key = JSON.stringify(params);
    const prev = acc.get(key);
    if (prev) {
      prev.calls += b.calls;
      prev.iterations += b.iterations;
    } else acc.set(key, { params, calls: b.calls, iterations: b.iterations });
  }
}

/** Per-call size of a shape: its iterations per call, or its longest array where that is larger. */
function perCallWork(b: BucketAcc): number {
  const longest = Math.max(0, ...b.params.map((p) => (p.kind === 'array' ? p.length : 0)));
  return Math.max(1, b.calls > 0 ? b.iterations / b.calls : 0, longest);
}

/**
 * The histogram, most work first: calls and iterations scaled so the calls add up to the loop's
 * entries (less those of shapes beyond the cap), and each shape's share of the estimated work.
 */
export function finishHistogram(
  acc: ReadonlyMap<string, BucketAcc>,
  entries: number,
  otherCalls: number,
): ShapeBucket[] {
  const list = [...acc.values()];
  const sampled = list.reduce((s, b) => s + b.calls, 0) + otherCalls;
  const scale = sampled > 0 && entries > 0 ? entries / sampled : 1;
  const works = list.map((b) => b.calls * perCallWork(b));
  const total = works.reduce((s, w) => s + w, 0);
  return list
    .map((b, i) => ({
      params: b.params,
      calls: Math.round(b.calls * scale),
      iterations: Math.round(b.iterations * scale),
      workShare: total > 0 ? works[i]! / total : 0,
    }))
    .sort((a, b) => b.workShare - a.workShare || b.calls - a.calls);
}

/** One line for people: `n = 192, m = 192, k = 192, a: Float64Array[36864]…`. */
export function formatParams(params: readonly ParamShape[]): string {
  return params
    .map((p) => {
      switch (p.kind) {
        case 'scalar':
          return `${p.name} = ${p.value}`;
        case 'array':
          return p.rowLength !== undefined
            ? `${p.name}: ${p.type}[${p.length}] of ${p.rowType ?? 'Array'}[${p.rowLength}]`
            : `${p.name}: ${p.type}[${p.length}]${p.elementKind && p.elementKind !== 'number' ? ` of ${p.elementKind}` : ''}`;
        case 'other':
          return `${p.name}: ${p.type}`;
        default: {
          const never: never = p;
          return String(never);
        }
      }
    })
    .join(', ');
}
