// `hotloop optimize --json`: one JSON object (printed as the last line) with, per loop, its CPU share,
// the shape the benchmark replayed (every parameter) and whether it was recorded or guessed, the
// workload that was profiled, and every variant with its speed-up, CI, correctness and relative error.
import type { BenchShape } from '../bench/types.js';
import type { LoopOutcome, OptimizeResult } from './pipeline.js';
import type { Workload } from './workload.js';

export interface VariantJson {
  readonly id: string;
  readonly name: string;
  /** Reference time ÷ this time (1 for the reference; null when wrong, failed or not timed). */
  readonly speedup: number | null;
  /** 95 % CI of the speed-up, [low, high]. */
  readonly ci: readonly [number, number] | null;
  readonly correct: boolean;
  /** Largest |difference| over the largest |original value|, on the benchmark's inputs (null: not compared). */
  readonly max_rel_error: number | null;
  readonly median_ns: number | null;
}

export interface LoopJson {
  readonly loop: string;
  readonly kernel: string;
  readonly file: string;
  readonly line: number;
  readonly cpu_share: number | null;
  /** Every parameter: a scalar's value, an array's `{ type, length }`. */
  readonly shape: Readonly<
    Record<string, number | { readonly type: string; readonly length: number; readonly rowLength?: number }>
  >;
  readonly shape_source: BenchShape['source'];
  readonly shape_note?: string;
  readonly shape_histogram?: BenchShape['histogram'];
  readonly workload: string | null;
  readonly variants: readonly VariantJson[];
  readonly error?: string;
}

const workloadText = (w: Workload | undefined): string | null => (w ? `${w.kind}: ${w.label}` : null);

function variantsOf(l: LoopOutcome): VariantJson[] {
  const r = l.result;
  if (!r) return [];
  return r.variants.map((v): VariantJson => {
    const c = v.correctness;
    const verdict = r.verdicts.find((p) => p.variant === v.id);
    const isRef = v.id === r.reference;
    const timed = c.status === 'ok' && v.timing !== undefined;
    return {
      id: v.id,
      name: v.label,
      speedup: !timed ? null : isRef ? 1 : (verdict?.ratio ?? null),
      ci: !timed || isRef || !verdict ? null : [verdict.ci.low, verdict.ci.high],
      correct: c.status === 'ok',
      max_rel_error: isRef ? 0 : c.status === 'error' ? null : (c.maxRelError ?? null),
      median_ns: v.timing?.median ?? null,
    };
  });
}

function loopJson(l: LoopOutcome, workload: Workload | undefined): LoopJson {
  const c = l.candidate;
  const sh = l.replay.shape;
  const shape = Object.fromEntries(
    sh.params.map((p) => [
      p.name,
      p.kind === 'scalar'
        ? p.value
        : {
            type: p.type,
            length: p.length,
            ...(p.rowLength !== undefined ? { rowLength: p.rowLength } : {}),
          },
    ]),
  );
  return {
    loop: c.loop.id,
    kernel: c.kernel.name,
    file: c.loop.file,
    line: c.loop.range.start.line + 1,
    cpu_share: c.share ?? null,
    shape,
    shape_source: sh.source,
    ...(sh.note ? { shape_note: sh.note } : {}),
    ...(sh.histogram?.length ? { shape_histogram: sh.histogram } : {}),
    workload: workloadText(workload),
    variants: variantsOf(l),
    ...(l.error ? { error: l.error } : {}),
  };
}

/** The whole run as one JSON-serialisable object. */
export function optimizeJson(o: OptimizeResult): {
  workload: { kind: string; command: string; from: string } | null;
  workloads: readonly { kind: string; command: string }[];
  note: string | null;
  loops: LoopJson[];
} {
  return {
    workload: o.workload ? { kind: o.workload.kind, command: o.workload.label, from: o.workload.from } : null,
    workloads: o.workloads.map((w) => ({ kind: w.kind, command: w.label })),
    note: o.profileNote ?? null,
    loops: o.loops.map((l) => loopJson(l, o.workload)),
  };
}
