// Shared by the kernel library tests: the backends under test, seeded data and the comparison
// with the TypeScript oracle within a tolerance derived per routine (see native/README.md).
import assert from 'node:assert/strict';
import { loadKernels } from '../../native/index.js';
import type { Kernels } from '../../native/types.js';

export type Dt = 'f64' | 'f32' | 'i32';
export type Arr = Float64Array | Float32Array | Int32Array;

/** Each backend, and the native one once per SIMD level this CPU has. */
export interface Target {
  name: string;
  k: Kernels;
  /** Makes this target's SIMD level current (the addon's level is process-wide). */
  select(): void;
}

let native: Kernels | undefined;
/** The addon: required (a test fails, with the loader's report, when it does not load). */
export function nativeKernels(): Kernels {
  native ??= loadKernels({ backend: 'native' });
  return native;
}

export function targets(): Target[] {
  const out: Target[] = [];
  const n = nativeKernels();
  for (const level of n.info().simdLevels)
    out.push({ name: `native/${level}`, k: n, select: () => void n.setSimdLevel(level) });
  const wasm = loadKernels({ backend: 'wasm' });
  const ts = loadKernels({ backend: 'ts' });
  out.push({ name: 'wasm', k: wasm, select: () => void n.setSimdLevel('best') });
  out.push({ name: 'ts', k: ts, select: () => void n.setSimdLevel('best') });
  return out;
}

/**
 * How to start a child Node like this one: `process.execPath`, or under the arm64 cross run
 * (native/scripts/cross.mjs) the emulator command it passes in HOTLOOP_NODE_PREFIX (JSON array:
 * qemu-aarch64 -L <sysroot> <arm64 node>), since the x64 kernel cannot exec an arm64 binary itself.
 */
export function nodeCommand(): [string, string[]] {
  const prefix = process.env.HOTLOOP_NODE_PREFIX;
  if (!prefix) return [process.execPath, []];
  const argv = JSON.parse(prefix) as string[];
  return [argv[0]!, argv.slice(1)];
}

/** In the cross run, the esbuild bundle of native/index.ts (tsx's esbuild binary is x64-only). */
export const crossLoaderBundle: string | undefined = process.env.HOTLOOP_KERNELS_BUNDLE;

/** mulberry32: small, seeded, reproducible. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A view of n elements at an element offset inside a larger buffer (unaligned for SIMD). */
export function view(dt: Dt, n: number, offset: number, fill: (i: number) => number): Arr {
  const size = dt === 'f64' ? 8 : 4;
  const buf = new ArrayBuffer((n + offset + 3) * size);
  const a =
    dt === 'f64'
      ? new Float64Array(buf, offset * size, n)
      : dt === 'f32'
        ? new Float32Array(buf, offset * size, n)
        : new Int32Array(buf, offset * size, n);
  for (let i = 0; i < n; i++) a[i] = fill(i);
  return a;
}

export function randomArray(dt: Dt, n: number, seed: number, lo = -1, hi = 1, offset = seed % 3): Arr {
  const r = rng(seed);
  return view(dt, n, offset, () =>
    dt === 'i32' ? Math.floor(lo * 1000 + r() * (hi - lo) * 1000) : lo + r() * (hi - lo),
  );
}

/** Unit roundoff of a dtype's arithmetic. */
export const unit = (dt: Dt): number => (dt === 'f32' ? 2 ** -24 : 2 ** -53);

/** got ≈ want: NaN matches NaN, infinities match exactly, finite values within tol. */
export function close(got: number, want: number, tol: number, what: string): void {
  if (Number.isNaN(want)) {
    assert.ok(Number.isNaN(got), `${what}: expected NaN, got ${got}`);
    return;
  }
  if (!Number.isFinite(want)) {
    assert.equal(got, want, `${what}: expected ${want}, got ${got}`);
    return;
  }
  const err = Math.abs(got - want);
  assert.ok(err <= tol, `${what}: got ${got}, want ${want}, |error| ${err} > tolerance ${tol}`);
}

export function closeArrays(
  got: ArrayLike<number>,
  want: ArrayLike<number>,
  tol: (i: number) => number,
  what: string,
): void {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    // Fast path without building a message; close() reports the first mismatch.
    if (g === w || Math.abs(g - w) <= tol(i)) continue;
    close(g, w, tol(i), `${what}[${i}]`);
  }
}
