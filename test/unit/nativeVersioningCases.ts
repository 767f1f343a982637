// The input cases of the native target's loop versioning (nativeVersioningKernels.ts has the
// kernels): for each, the copy of the versioned nest that must run — checked, fast, unroll-and-jam or
// interchanged, read from the addon's path counters — and the original JS's results, exactly.
import type { Kernel, KernelArg } from '../../src/core/ir/types.js';
import { runKernel } from '../../src/core/ir/interpret.js';
import { kernelToJs } from '../../src/core/ir/toJs.js';
import { loadJs } from '../support/loadJs.js';
import {
  butterfly,
  convert,
  gather,
  gemm,
  gemv,
  pathCounter,
  peak,
  scatter,
  shift,
  stage,
  stage2,
  viaLocal,
} from './nativeVersioningKernels.js';
import type { Fn } from './nativeVersioningKernels.js';
const seq = (n: number, f: (k: number) => number): Float64Array =>
  Float64Array.from({ length: n }, (_, k) => f(k));

interface Case {
  readonly what: string;
  readonly kernel: Kernel;
  /** Fresh arguments (called once per implementation). */
  readonly args: () => KernelArg[];
  /** Expected [checked, fast] runs of the nest, and whether the jammed loop runs. */
  readonly path: 'checked' | 'fast' | 'jam' | 'interchange';
}

const cases: Case[] = [
  {
    what: 'FFT stage: n = 16, k = 2, step 4 (every i + k below n)',
    kernel: stage,
    path: 'fast',
    args: () => [seq(16, (k) => k * 0.5 - 3), 16, 3, 2],
  },
  {
    what: 'FFT stage: n = 64, k = 4, step 8 (interchanged: offsets {0, 4} within 8)',
    kernel: stage,
    path: 'interchange',
    args: () => [seq(64, (k) => Math.sin(k) * 3), 64, 7, 4],
  },
  {
    what: 'FFT stage: n = 60, k = 8, step 16 (interchanged; the last block is cut short)',
    kernel: stage,
    path: 'interchange',
    args: () => [seq(60, (k) => k * 0.25 - 5), 52, 15, 8],
  },
  {
    what: 'complex FFT stage: re, im, tw apart (interchanged)',
    kernel: stage2,
    path: 'interchange',
    args: () => [
      seq(64, (k) => Math.sin(k)),
      seq(64, (k) => Math.cos(k * 3)),
      seq(8, (k) => 1 - k / 8),
      64,
      7,
      4,
    ],
  },
  {
    what: 'complex FFT stage: im overlaps re in one buffer (plain fast nest, same order)',
    kernel: stage2,
    path: 'fast',
    args: () => {
      const buf = seq(128, (k) => Math.sin(k * 0.7));
      return [buf.subarray(0, 64), buf.subarray(32, 96), seq(8, (k) => k / 8), 64, 7, 4];
    },
  },
  {
    what: 'complex FFT stage: tw is a view into re (plain fast nest)',
    kernel: stage2,
    path: 'fast',
    args: () => {
      const re = seq(64, (k) => k * 0.5 - 9);
      return [re, seq(64, (k) => k % 5), re.subarray(3, 11), 64, 7, 4];
    },
  },
  {
    what: 'FFT stage: k = 20 above n = 16 (j ≥ 16 has no butterflies: the plain fast nest)',
    kernel: stage,
    path: 'fast',
    args: () => [seq(40, (k) => k - 20.5), 16, 63, 20],
  },
  {
    what: 'FFT stage: k = 4, step 6 (re[i + 4] of one j is re[i] of another: no interchange)',
    kernel: stage,
    path: 'fast',
    args: () => [seq(64, (k) => k * 0.5 - 3), 60, 5, 4],
  },
  {
    what: 'peak: ties, NaN, -0 and Infinity in the spectrum (fission: the first of equal maxima wins)',
    kernel: peak,
    path: 'fast',
    args: () => [
      Float64Array.from([3, -3, NaN, 0, -0, 4, 4, Infinity, 1, -4, 2, 2, 5, 0.5, 5, -Infinity, 7]),
      Float64Array.from([4, 4, 1, 0, -0, 3, -3, 0, 1, 3, 2, -2, 0, 0.5, 0, 0, 0]),
      new Float64Array(17),
      Float64Array.from([-Infinity, 0, 0]),
      17,
      0.5,
    ],
  },
  {
    what: 'peak: spectrum is re (written in place), a starting peak above every value',
    kernel: peak,
    path: 'fast',
    args: () => {
      const re = seq(40, (k) => Math.sin(k) * 9);
      return [re, seq(40, (k) => k % 3), re, Float64Array.from([100, 0, 0]), 40, 2];
    },
  },
  {
    what: 'peak: spectrum shorter than n (checked copy)',
    kernel: peak,
    path: 'checked',
    args: () => [seq(40, (k) => k), seq(40, (k) => -k), new Float64Array(30), new Float64Array(3), 40, 1],
  },
  {
    what: 'FFT stage: n = 18 (i + k reaches 19 for j = 1)',
    kernel: stage,
    path: 'checked',
    args: () => [seq(18, (k) => k * 0.5 - 3), 18, 3, 2],
  },
  {
    what: 'FFT stage: a fractional step',
    kernel: stage,
    path: 'checked',
    args: () => [seq(16, (k) => k), 16, 1.5, 2],
  },
  {
    what: 'butterfly: a whole step of the kernel, in range, 16 trips',
    kernel: butterfly,
    path: 'fast',
    args: () => [seq(64, (k) => k * 0.75 - 9), 1, 64, 3, 2],
  },
  {
    what: 'butterfly: 4 trips (the guard is skipped)',
    kernel: butterfly,
    path: 'checked',
    args: () => [seq(64, (k) => k * 0.75 - 9), 1, 64, 15, 2],
  },
  {
    what: 'butterfly: re[i + k] past the end on the last trip',
    kernel: butterfly,
    path: 'checked',
    args: () => [seq(64, (k) => k * 0.75 - 9), 3, 64, 3, 2],
  },
  {
    what: 'butterfly: a fractional step (re[1.5] reads undefined, its store is dropped)',
    kernel: butterfly,
    path: 'checked',
    args: () => [seq(64, (k) => k), 0, 40, 0.5, 2],
  },
  {
    what: 'butterfly: a fractional start',
    kernel: butterfly,
    path: 'checked',
    args: () => [seq(64, (k) => k), 0.5, 60, 3, 2],
  },
  {
    what: 'butterfly: NaN bound',
    kernel: butterfly,
    path: 'checked',
    args: () => [seq(64, (k) => k), 0, NaN, 3, 2],
  },
  {
    what: 'gemm in range',
    kernel: gemm,
    path: 'jam',
    args: () => [seq(35, (k) => k / 7 - 2), seq(42, (k) => 1 - k / 5), new Float64Array(30), 5, 6, 7],
  },
  {
    what: 'gemm, k past the end of a and b (undefined → NaN)',
    kernel: gemm,
    path: 'checked',
    args: () => [seq(35, (k) => k / 7), seq(42, (k) => k), new Float64Array(30), 5, 6, 8],
  },
  {
    what: 'gemm, c shorter than n·m (stores dropped)',
    kernel: gemm,
    path: 'checked',
    args: () => [seq(35, (k) => k), seq(42, (k) => k), new Float64Array(20), 5, 6, 7],
  },
  {
    what: 'gemm, non-integral m (fractional indices read undefined)',
    kernel: gemm,
    path: 'checked',
    args: () => [seq(35, (k) => k), seq(42, (k) => k), new Float64Array(30), 5, 5.5, 7],
  },
  {
    what: 'gemm, NaN size',
    kernel: gemm,
    path: 'checked',
    args: () => [seq(35, (k) => k), seq(42, (k) => k), new Float64Array(30), NaN, 6, 7],
  },
  {
    what: 'gemm, c is a (the same array twice: no jam, same order)',
    kernel: gemm,
    path: 'fast',
    args: () => {
      const a = seq(64, (k) => (k % 5) - 1.5);
      return [a, seq(64, (k) => k / 3), a, 8, 8, 8];
    },
  },
  {
    what: 'gemv in range',
    kernel: gemv,
    path: 'jam',
    args: () => [seq(90, (k) => Math.sin(k)), seq(9, (k) => k - 4), new Float64Array(10), 10, 9],
  },
  {
    what: 'gemv, y overlaps x (no jam)',
    kernel: gemv,
    path: 'fast',
    args: () => {
      const buf = seq(30, (k) => k * 0.25);
      return [seq(100, (k) => k % 7), buf.subarray(0, 10), buf.subarray(5, 15), 10, 10];
    },
  },
  {
    what: 'gemv, rows past y (stores dropped)',
    kernel: gemv,
    path: 'checked',
    args: () => [seq(90, (k) => k), seq(9, (k) => k), new Float64Array(4), 10, 9],
  },
  {
    what: 'shift, out one element after xs in one buffer',
    kernel: shift,
    path: 'fast',
    args: () => {
      const buf = seq(300, (k) => k * 1.5 - 7);
      return [buf.subarray(0, 257), buf.subarray(1, 257), 256];
    },
  },
  {
    what: 'shift, out one element before xs in one buffer',
    kernel: shift,
    path: 'fast',
    args: () => {
      const buf = seq(300, (k) => k * 1.5 - 7);
      return [buf.subarray(1, 258), buf.subarray(0, 257), 256];
    },
  },
  {
    what: 'shift, xs[n] out of range',
    kernel: shift,
    path: 'checked',
    args: () => [seq(256, (k) => k), new Float64Array(256), 256],
  },
  {
    what: 'convert, Float32 → Int32 (wrapping)',
    kernel: convert,
    path: 'fast',
    args: () => [Float32Array.from({ length: 99 }, (_, k) => k / 9 - 5), new Int32Array(99), 99],
  },
  {
    what: 'convert, Int32 view over the Float32 input buffer',
    kernel: convert,
    path: 'fast',
    args: () => {
      const xs = Float32Array.from({ length: 64 }, (_, k) => k / 9 - 3);
      return [xs, new Int32Array(xs.buffer, 8, 40), 40];
    },
  },
  {
    what: 'gather, a permutation in range',
    kernel: gather,
    path: 'fast',
    args: () => [
      seq(16, (k) => k * 1.25 - 3),
      Uint32Array.from({ length: 16 }, (_, k) => (k * 5) % 16),
      new Float64Array(16),
      16,
    ],
  },
  {
    what: 'gather, indices past buf (undefined → NaN), through the fast copy',
    kernel: gather,
    path: 'fast',
    args: () => [
      seq(8, (k) => k),
      Uint32Array.from({ length: 16 }, (_, k) => k * 3),
      new Float64Array(16),
      16,
    ],
  },
  {
    what: 'gather through a local the loop assigns, and a fractional index: the fast copy',
    kernel: viaLocal,
    path: 'fast',
    args: () => [
      seq(12, (k) => k * 0.5 - 2),
      Int32Array.from({ length: 16 }, (_, k) => (k % 3 === 0 ? -k : k * 7) % 20),
      new Float64Array(16),
      new Float64Array(16),
      16,
    ],
  },
  {
    what: 'gather, n past perm: the checked copy',
    kernel: gather,
    path: 'checked',
    args: () => [seq(16, (k) => k), Uint32Array.from({ length: 8 }, (_, k) => k), new Float64Array(16), 16],
  },
  {
    what: 'scatter, f64 indices with fractions, negatives, NaN and ones past out',
    kernel: scatter,
    path: 'fast',
    args: () => [
      seq(12, (k) => k + 0.5),
      Float64Array.from([3, 0.5, -1, NaN, 11, 2, 40, -0, 7, 1.999, Infinity, 5]),
      new Float64Array(12),
      12,
    ],
  },
];

function snapshot(args: readonly KernelArg[], result: unknown): unknown {
  return { result, args: args.map((a) => (typeof a === 'number' ? a : Array.from(a as ArrayLike<number>))) };
}

/** Runs every case; returns the failures (empty when all give the JS result through the expected copy). */
export function versioningCases(addon: Record<string, Fn>): string[] {
  const failures: string[] = [];
  for (const c of cases) {
    const jsArgs = c.args();
    const want = snapshot(jsArgs, loadJs(kernelToJs(c.kernel), c.kernel.name)(...jsArgs));
    const interpArgs = c.args();
    const interp = runKernel(c.kernel, interpArgs);
    const before = pathCounter.read(addon);
    const args = c.args();
    const got = snapshot(args, addon[c.kernel.name]!(...args));
    const d = pathCounter.read(addon).map((x, k) => x - before[k]!);
    const path =
      d[3]! > 0 ? 'interchange' : d[2]! > 0 ? 'jam' : d[1]! > 0 ? 'fast' : d[0]! > 0 ? 'checked' : 'none';
    if (path !== c.path)
      failures.push(`${c.what}: ran the ${path} copy, expected ${c.path} (${d.join(', ')})`);
    try {
      assertSame(got, want);
      assertSame(snapshot(interpArgs, interp.result), want);
    } catch (err) {
      failures.push(
        `${c.what}: ${err instanceof Error ? err.message.split('\n').slice(0, 12).join('\n') : String(err)}`,
      );
    }
  }
  return failures;
}

function assertSame(a: unknown, b: unknown): void {
  // Exact (SameValue: NaN equals NaN, −0 differs from +0): the fast copy reorders nothing.
  const ja = JSON.stringify(a, (_, v: unknown) =>
    typeof v === 'number' ? (Object.is(v, -0) ? '-0' : Number.isNaN(v) ? 'NaN' : v) : v,
  );
  const jb = JSON.stringify(b, (_, v: unknown) =>
    typeof v === 'number' ? (Object.is(v, -0) ? '-0' : Number.isNaN(v) ? 'NaN' : v) : v,
  );
  if (ja !== jb)
    throw new Error(`differs from the original JS:\n got ${ja.slice(0, 400)}\nwant ${jb.slice(0, 400)}`);
}
