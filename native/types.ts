// Public types of the bundled kernel library (native/index.ts). Every backend — the native addon,
// its wasm build and the TypeScript reference — implements `Kernels`.

export type FloatArray = Float64Array | Float32Array;
/** Inputs: zero-copy typed arrays (views honoured) or a `number[]` converted element by element. */
export type NumArray = FloatArray | Int32Array | number[];
/** The result type for an input: Float32Array stays Float32Array, everything else is Float64Array. */
export type FloatOf<X> = X extends Float32Array ? Float32Array : Float64Array;

export interface CallOptions {
  /** Threads for this call (1–256). Default: all hardware threads from `info().parallelThresholdBytes` of input, else 1. */
  threads?: number;
}
export interface OutOptions<T> extends CallOptions {
  /** Write the result here (same element type and length) instead of a new array. */
  out?: T;
}
export interface VarOptions extends CallOptions {
  /** Delta degrees of freedom: divide by n − ddof (0 = population, 1 = sample). */
  ddof?: number;
}
export interface BlasOptions<T> extends OutOptions<T> {
  /** result = alpha·(product) + beta·out (beta is used only when `out` is given). */
  alpha?: number;
  beta?: number;
}

export type SimdLevel = 'scalar' | 'sse2' | 'avx2' | 'avx512' | 'neon' | 'wasm-simd128' | 'none';
export type Backend = 'native' | 'wasm' | 'ts';

export interface KernelInfo {
  backend: Backend;
  /** SIMD level in use and the levels this CPU/build can run. */
  simd: string;
  simdLevels: string[];
  /** Hardware threads the pool uses by default (1 for wasm and ts). */
  threads: number;
  parallelThresholdBytes: number;
  napiVersion?: number;
  sanitizers?: boolean;
  compiler?: string;
  /** Path of the loaded addon or wasm module. */
  path?: string;
}

/** One place the loader looked, and why it was not used. */
export interface LoadAttempt {
  backend: Backend;
  what: string;
  path?: string;
  ok: boolean;
  error?: string;
}

type FA = FloatArray | number[];

export interface Routines {
  sum(x: NumArray, o?: CallOptions): number;
  mean(x: NumArray, o?: CallOptions): number;
  /** Corrected two-pass variance; NaN when n ≤ ddof. */
  variance(x: NumArray, o?: VarOptions): number;
  std(x: NumArray, o?: VarOptions): number;
  /** NaN if any element is NaN; Infinity / -Infinity for an empty input. */
  min(x: NumArray, o?: CallOptions): number;
  max(x: NumArray, o?: CallOptions): number;
  /** Index of the first minimum (or of the first NaN); -1 for an empty input. */
  argmin(x: NumArray, o?: CallOptions): number;
  argmax(x: NumArray, o?: CallOptions): number;
  dot(x: NumArray, y: NumArray, o?: CallOptions): number;
  /** Euclidean norm without overflow or underflow. */
  nrm2(x: NumArray, o?: CallOptions): number;
  /** y ← a·x + y in place; returns y. */
  axpy<Y extends FloatArray>(a: number, x: Y | number[], y: Y, o?: CallOptions): Y;
  scale<X extends FA>(a: number, x: X, o?: OutOptions<FloatOf<X>>): FloatOf<X>;
  add<X extends FA>(x: X, y: X | number[], o?: OutOptions<FloatOf<X>>): FloatOf<X>;
  sub<X extends FA>(x: X, y: X | number[], o?: OutOptions<FloatOf<X>>): FloatOf<X>;
  mul<X extends FA>(x: X, y: X | number[], o?: OutOptions<FloatOf<X>>): FloatOf<X>;
  div<X extends FA>(x: X, y: X | number[], o?: OutOptions<FloatOf<X>>): FloatOf<X>;
  exp<X extends FA>(x: X, o?: OutOptions<FloatOf<X>>): FloatOf<X>;
  log<X extends FA>(x: X, o?: OutOptions<FloatOf<X>>): FloatOf<X>;
  sqrt<X extends FA>(x: X, o?: OutOptions<FloatOf<X>>): FloatOf<X>;
  sin<X extends FA>(x: X, o?: OutOptions<FloatOf<X>>): FloatOf<X>;
  cos<X extends FA>(x: X, o?: OutOptions<FloatOf<X>>): FloatOf<X>;
  /** x[i] ** p (p a number) or x[i] ** p[i]. */
  pow<X extends FA>(x: X, p: number | X | number[], o?: OutOptions<FloatOf<X>>): FloatOf<X>;
  /** Inclusive prefix sum, accumulated in f64. */
  cumsum<X extends FA>(x: X, o?: OutOptions<FloatOf<X>>): FloatOf<X>;
  /** Counts of x in `bins` equal bins over [lo, hi] (hi in the last bin; NaN and outside skipped). */
  histogram(x: NumArray, bins: number, lo: number, hi: number, o?: OutOptions<Float64Array>): Float64Array;
  /** y = alpha·A·x (+ beta·out), A row-major m×n. */
  gemv<X extends FA>(m: number, n: number, A: X, x: X | number[], o?: BlasOptions<FloatOf<X>>): FloatOf<X>;
  /** C = alpha·A·B (+ beta·out), A m×k, B k×n, C m×n, row-major. */
  gemm<X extends FA>(
    m: number,
    n: number,
    k: number,
    A: X,
    B: X | number[],
    o?: BlasOptions<FloatOf<X>>,
  ): FloatOf<X>;
  /** 'valid' correlation: out[i] = Σ_j w[j]·x[i+j], length n − k + 1. */
  conv1d<X extends FA>(x: X, w: X | number[], o?: OutOptions<FloatOf<X>>): FloatOf<X>;
  /** 3×3 (9 weights) or 5×5 (25) stencil, row-major; cells within r of an edge copy src. */
  stencil2d<X extends FA>(
    src: X,
    rows: number,
    cols: number,
    weights: X | number[],
    o?: OutOptions<FloatOf<X>>,
  ): FloatOf<X>;
}

export type RoutineName = keyof Routines;

/** `nameAsync` for every routine: same arguments, a Promise of the result. */
export type AsyncRoutines = {
  [K in RoutineName as `${K}Async`]: (...args: Parameters<Routines[K]>) => Promise<ReturnType<Routines[K]>>;
};

export interface Kernels extends Routines, AsyncRoutines {
  readonly backend: Backend;
  /** Every path the loader tried, in order, with the error of each that failed. */
  readonly tried: readonly LoadAttempt[];
  info(): KernelInfo;
  /** Forces a SIMD level ('best' restores the default); returns the level now active. */
  setSimdLevel(level: string): string;
  /** A call that does nothing: measures the JS→backend call cost. */
  noop(): void;
}

export const ROUTINES: readonly RoutineName[] = [
  'sum',
  'mean',
  'variance',
  'std',
  'min',
  'max',
  'argmin',
  'argmax',
  'dot',
  'nrm2',
  'axpy',
  'scale',
  'add',
  'sub',
  'mul',
  'div',
  'exp',
  'log',
  'sqrt',
  'sin',
  'cos',
  'pow',
  'cumsum',
  'histogram',
  'gemv',
  'gemm',
  'conv1d',
  'stencil2d',
];
