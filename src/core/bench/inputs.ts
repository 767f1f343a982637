// Seeded inputs: every child process regenerates exactly the same arguments from (spec, n, seed), so
// variants are compared on identical data without shipping arrays between processes.
import type { ArgSpec, InputForm } from './types.js';

/** mulberry32: a small, fast, well-distributed 32-bit PRNG; returns floats in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Flat = number[] | Float64Array | Float32Array | Int32Array;
/** A number, a flat array, or an array of rows (`number[][]`, or typed rows in the typed form). */
export type BenchArg = number | Flat | Flat[];

type ArraySpec = Extract<ArgSpec, { kind: 'array' }>;

/** One flat array of `length` values drawn from the spec (or its captured `values`). */
function flat(spec: ArraySpec, length: number, rand: () => number, form: InputForm, at = 0): Flat {
  const min = spec.min ?? -1;
  const max = spec.max ?? 1;
  const typed =
    spec.dtype === 'f64'
      ? new Float64Array(length)
      : spec.dtype === 'f32'
        ? new Float32Array(length)
        : new Int32Array(length);
  for (let i = 0; i < length; i++) {
    const v = spec.values ? spec.values[at + i]! : min + (max - min) * rand();
    typed[i] = spec.dtype === 'i32' || spec.integer ? Math.floor(v) : v;
  }
  return form === 'typed' ? typed : Array.from(typed);
}

/** The arguments for size n in the given form; identical values for both forms. */
export function makeArgs(specs: readonly ArgSpec[], n: number, seed: number, form: InputForm): BenchArg[] {
  const rand = prng(seed);
  return specs.map((spec): BenchArg => {
    if (spec.kind === 'scalar') return spec.value === 'n' ? n : spec.value;
    if (spec.rowLength !== undefined) {
      const rows = spec.length ?? n;
      return Array.from({ length: rows }, () => flat(spec, spec.rowLength!, rand, form));
    }
    return flat(spec, spec.values?.length ?? spec.length ?? n, rand, form);
  });
}

/** Bytes the inputs of size n take (to bound a sweep by memory). */
export function inputBytes(specs: readonly ArgSpec[], n: number, form: InputForm): number {
  let bytes = 0;
  for (const s of specs) {
    if (s.kind === 'array')
      bytes += (s.length ?? n) * (s.rowLength ?? 1) * (form === 'array' ? 16 : s.dtype === 'f64' ? 8 : 4);
  }
  return bytes;
}

/** Every number of an argument in order (rows concatenated): what a check compares. */
export function flatValues(a: Exclude<BenchArg, number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as unknown;
    if (typeof x === 'object' && x !== null && 'length' in x)
      for (const v of Array.from(x as ArrayLike<unknown>)) out.push(Number(v));
    else out.push(Number(x));
  }
  return out;
}
