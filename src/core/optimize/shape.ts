// The shape a loop's benchmark replays: the dominant parameter shape the profile's shapes pass
// recorded at the kernel's entry (every scalar by value, every array by length) when there is one
// that fits, else a guess from one nominal n (the IR's random inputs: ∛n per dimension of a gemm).
// Either way the result says which (`recorded` / `guessed`), so a table never passes off a guess.
import type { ArgSpec, BenchShape, ShapeParam } from '../bench/types.js';
import type { Kernel } from '../ir/types.js';
import { formatParams } from '../profile/shapeHistogram.js';
import type { LoopShape, ParamShape } from '../profile/types.js';
import { argDtype, argsFor, intRange } from './spec.js';

export interface ReplayShape {
  readonly args: ArgSpec[];
  /** Nominal n: the longest array (the benchmark's memory bound and tolerance scale). */
  readonly n: number;
  readonly shape: BenchShape;
}

const TYPED_NAME: Readonly<Record<string, string>> = {
  f64: 'Float64Array',
  f32: 'Float32Array',
  i32: 'Int32Array',
};

/** Args replaying `params` for kernel k, or the reason they cannot (a parameter missing or of another kind). */
export function recordedArgs(k: Kernel, params: readonly ParamShape[]): ArgSpec[] | string {
  const args: ArgSpec[] = [];
  for (const p of k.params) {
    const seen = params.find((x) => x.name === p.name);
    if (!seen) return `parameter ${p.name} was not recorded`;
    if (p.kind === 'scalar') {
      if (seen.kind !== 'scalar' || !Number.isFinite(seen.value))
        return `parameter ${p.name} was recorded as ${seen.kind === 'scalar' ? String(seen.value) : seen.kind === 'array' ? seen.type : seen.type}`;
      args.push({ kind: 'scalar', value: seen.value });
    } else {
      if (seen.kind !== 'array')
        return `array ${p.name} was recorded as ${seen.kind === 'scalar' ? 'a number' : seen.type}`;
      const range = intRange(p.dtype);
      args.push({
        kind: 'array',
        dtype: argDtype(p.dtype),
        length: seen.length,
        ...(range ? { min: range[0], max: range[1] } : {}),
      });
    }
  }
  return args;
}

/** The shape of spec args, named by the kernel's parameters. */
export function shapeParams(k: Kernel, args: readonly ArgSpec[], n: number): ShapeParam[] {
  return k.params.map((p, i): ShapeParam => {
    const a = args[i]!;
    if (a.kind === 'scalar') return { name: p.name, kind: 'scalar', value: a.value === 'n' ? n : a.value };
    return {
      name: p.name,
      kind: 'array',
      type: p.kind === 'array' && p.container === 'array' ? 'Array' : (TYPED_NAME[a.dtype] ?? a.dtype),
      length: a.length ?? n,
    };
  });
}

function longest(args: readonly ArgSpec[]): number {
  return Math.max(0, ...args.map((a) => (a.kind === 'array' ? (a.length ?? 0) : 0)));
}

/**
 * What to replay for a loop: its recorded dominant shape (when the shapes pass saw every parameter and
 * the arrays fit under `cap` elements), else the guess at n = the longest array seen or `dflt`, capped.
 */
export function replayShapeFor(
  k: Kernel,
  recorded: LoopShape | undefined,
  dflt: number,
  cap: number,
): ReplayShape {
  let why = 'no shapes pass recorded this loop';
  if (recorded?.params) {
    const args = recordedArgs(k, recorded.params);
    if (typeof args === 'string') why = `the recorded shape does not fit the kernel: ${args}`;
    else if (longest(args) > cap)
      why = `the recorded shape (${formatParams(recorded.params)}) exceeds the size cap ${cap}`;
    else {
      const n = Math.max(1, longest(args));
      const histogram = (recorded.histogram ?? [])
        .slice(0, 6)
        .map((b) => ({ params: formatParams(b.params), calls: b.calls, workShare: b.workShare }));
      return { args, n, shape: { source: 'recorded', params: shapeParams(k, args, n), histogram } };
    }
  } else if (recorded) why = 'the shapes pass saw the loop but not its parameters';
  const seen = Math.max(0, ...(recorded?.arrays.map((a) => a.maxLength) ?? []));
  const n = Math.max(1, Math.min(cap, seen > 0 ? seen : dflt));
  const args = argsFor(k, n);
  return {
    args,
    n,
    shape: {
      source: 'guessed',
      params: shapeParams(k, args, n),
      note: `${why}; sizes derived from n = ${n}`,
    },
  };
}

/** `n = 192, m = 192 (recorded)`: the scalars of a shape (the longest array without any), with its source. */
export function replayText(r: ReplayShape): string {
  const scalars = r.shape.params.flatMap((p) => (p.kind === 'scalar' ? [`${p.name} = ${p.value}`] : []));
  return `${scalars.length ? scalars.join(', ') : `n = ${r.n.toLocaleString('en-US')}`} (${r.shape.source})`;
}
