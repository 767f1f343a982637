// The shape a loop's benchmark replays: the dominant parameter shape the profile's shapes pass
// recorded at the kernel's entry (every scalar by value, every array by length) when there is one
// that fits, else a guess from one nominal n (the IR's random inputs: ∛n per dimension of a gemm).
// Either way the result says which (`recorded` / `guessed`), so a table never passes off a guess.
import type { ArgSpec, BenchShape, ShapeParam } from '../bench/types.js';
import type { Kernel } from '../ir/types.js';
import { formatParams } from '../profile/shapeHistogram.js';
import type { LoopShape, ParamShape } from '../profile/types.js';
import { fitIndexArrays } from './indexArrays.js';
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

/**
 * The recorded shape of each kernel parameter: the record lists the kernel's parameters in order, so it
 * is matched by position (when the counts agree), else by name; undefined where nothing was recorded.
 */
function byParam(k: Kernel, params: readonly ParamShape[]): (ParamShape | undefined)[] {
  if (params.length === k.params.length) return [...params];
  return k.params.map((p) => params.find((x) => x.name === p.name));
}

/** Whether a scalar parameter is a live-in: copied into a local by the kernel's first statements. */
function isLiveIn(k: Kernel, name: string): boolean {
  for (const st of k.body) {
    if (st.kind !== 'let' || st.init.kind !== 'var') return false;
    if (st.init.name === name) return true;
  }
  return false;
}

/** Whether kernel parameter i is made by the wrapper, not passed by the program (the live-outs array). */
function isDerived(k: Kernel, i: number, seen: ParamShape | undefined): boolean {
  const p = k.params[i]!;
  return (
    p.kind === 'array' &&
    p.access === 'write' &&
    k.result.kind === 'array' &&
    k.result.name === p.name &&
    (!seen || seen.kind === 'other')
  );
}

const NON_FINITE = new Set(['NaN', 'Infinity', '-Infinity']);

/** Args replaying `params` for kernel k, or the reason they cannot (a parameter missing or of another kind). */
export function recordedArgs(k: Kernel, params: readonly ParamShape[]): ArgSpec[] | string {
  const seenAll = byParam(k, params);
  const args: (ArgSpec | undefined)[] = [];
  for (const [i, p] of k.params.entries()) {
    const seen = seenAll[i];
    if (isDerived(k, i, seen)) {
      args.push(undefined);
      continue;
    }
    if (!seen) return `parameter ${p.name} was not recorded`;
    if (p.kind === 'scalar') {
      // A non-finite number (a min/max reduction's ±Infinity start, carried in by a live-in) is recorded
      // by name; the benchmark's JSON has no such numbers, so it takes the IR's input value instead.
      // So is a live-in's start value the program did not let us read (a start value, not a size).
      if (seen.kind === 'other' && (NON_FINITE.has(seen.type) || isLiveIn(k, p.name))) {
        args.push(undefined);
        continue;
      }
      if (seen.kind !== 'scalar') return `parameter ${p.name} was recorded as ${seen.type}`;
      args.push({ kind: 'scalar', value: seen.value });
    } else {
      if (seen.kind !== 'array')
        return `array ${p.name} was recorded as ${seen.kind === 'scalar' ? 'a number' : seen.type}`;
      if (p.rank === 2 && seen.rowLength === undefined)
        return `the rows of ${p.name} were not recorded (${seen.type} of ${seen.elementKind ?? 'unknown'})`;
      const range = intRange(p.dtype);
      args.push({
        kind: 'array',
        dtype: argDtype(p.dtype),
        length: seen.length,
        ...(range ? { min: range[0], max: range[1] } : {}),
        ...(p.rank === 2 ? { rowLength: seen.rowLength } : {}),
      });
    }
  }
  // A wrapper-made parameter (and a non-finite scalar) takes what the IR's inputs give it at the recorded n.
  const n = Math.max(1, longest(args.flatMap((a) => a ?? [])));
  const guess = args.includes(undefined) ? argsFor(k, n) : [];
  return fitIndexArrays(
    k,
    args.map((a, i) => a ?? guess[i]!),
    n,
  );
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
      ...(a.rowLength !== undefined ? { rowLength: a.rowLength } : {}),
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
