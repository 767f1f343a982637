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

export type BenchArg = number | number[] | Float64Array | Float32Array | Int32Array;

/** The arguments for size n in the given form; identical values for both forms. */
export function makeArgs(specs: readonly ArgSpec[], n: number, seed: number, form: InputForm): BenchArg[] {
  const rand = prng(seed);
  return specs.map((spec): BenchArg => {
    if (spec.kind === 'scalar') return spec.value === 'n' ? n : spec.value;
    const length = spec.values?.length ?? spec.length ?? n;
    const min = spec.min ?? -1;
    const max = spec.max ?? 1;
    const typed =
      spec.dtype === 'f64'
        ? new Float64Array(length)
        : spec.dtype === 'f32'
          ? new Float32Array(length)
          : new Int32Array(length);
    for (let i = 0; i < length; i++) {
      const v = spec.values ? spec.values[i]! : min + (max - min) * rand();
      typed[i] = spec.dtype === 'i32' ? Math.floor(v) : v;
    }
    return form === 'typed' ? typed : Array.from(typed);
  });
}

/** Bytes the inputs of size n take (to bound a sweep by memory). */
export function inputBytes(specs: readonly ArgSpec[], n: number, form: InputForm): number {
  let bytes = 0;
  for (const s of specs) {
    if (s.kind === 'array') bytes += (s.length ?? n) * (form === 'array' ? 16 : s.dtype === 'f64' ? 8 : 4);
  }
  return bytes;
}
