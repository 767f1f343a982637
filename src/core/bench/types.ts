// Plain-data types of the benchmark runner: what a variant is, what a run measures, what gets saved.
// Everything here is JSON-serialisable (results are written to `.hotloop/results/` and sent to the
// webview), so the CLI, the extension and the tests share one shape.

import type { Kernel } from '../ir/types.js';

/** How array arguments reach a variant: a JS `number[]` or a typed array (zero-copy for native/wasm). */
export type InputForm = 'array' | 'typed';

/** Element types the input generator can make. */
export type ArgDType = 'f64' | 'f32' | 'i32';

/** One argument of the benchmarked function, generated identically (seeded PRNG) for every variant. */
export type ArgSpec =
  /** An array of `length` (default: the run's n) values drawn uniformly from [min, max), or exactly `values` (captured real inputs). */
  | {
      readonly kind: 'array';
      readonly dtype: ArgDType;
      readonly length?: number;
      readonly min?: number;
      readonly max?: number;
      readonly values?: readonly number[];
      /** Whole numbers only (floor of the draw): an array whose values index another array. */
      readonly integer?: boolean;
      /** An array of `length` rows of `rowLength` values each (`number[][]`; typed rows in the typed form). */
      readonly rowLength?: number;
    }
  /** A number; `'n'` passes the run's size. */
  | { readonly kind: 'scalar'; readonly value: number | 'n' };

/** Where a variant's source lives (for "open source location"). */
export interface SourceLocation {
  readonly file: string;
  /** 1-based line. */
  readonly line: number;
}

/**
 * One contender: a JS module (absolute path, `.js`/`.mjs`/`.cjs`/`.ts`, or `builtin:<suite>` for the
 * suites shipped in the child program) and the export to call, with the form its array inputs take.
 * New targets are new Variants; nothing else in the runner changes.
 */
export interface Variant {
  /** Stable id, e.g. `original`, `wasm`, `native-typed`. */
  readonly id: string;
  /** Shown in tables and charts. */
  readonly label: string;
  readonly module: string;
  /** Export to call; `default` for the default export. */
  readonly export: string;
  readonly input: InputForm;
  /** Evaluates a float reduction in another order (SIMD lanes, threads): compared with a reassociation tolerance. */
  readonly reassociates?: boolean;
  /** Computes in f32 (GPU): compared with an f32 tolerance. */
  readonly f32?: boolean;
  /** Optional split of the call into a marshalling step and a compute step, so the two are timed apart. */
  readonly stages?: { readonly prepare: string; readonly compute: string };
  /**
   * Argument order of the export, as indices into the original's arguments (the library's
   * `gemm(m, n, k, A, B, C)` for a loop `gemm(a, b, c, n, m, k)`: [3, 4, 5, 0, 1, 2]); default: the same.
   */
  readonly argOrder?: readonly number[];
  /** Optional export called once (awaited) before anything else: load wasm, start a pool. */
  readonly init?: string;
  readonly source?: SourceLocation;
}

/** One parameter of the benchmarked call as replayed: a scalar's value or an array's element type and length. */
export type ShapeParam =
  | { readonly name: string; readonly kind: 'scalar'; readonly value: number }
  /** `rowLength`: an array of rows, each of that length. */
  | {
      readonly name: string;
      readonly kind: 'array';
      readonly type: string;
      readonly length: number;
      readonly rowLength?: number;
    };

/**
 * The shape the benchmark replays and where it comes from: `recorded` (the profile's shapes pass saw
 * the kernel called with exactly these parameters; the dominant shape by work) or `guessed` (no
 * recording: sizes derived from one nominal n, e.g. ∛n per dimension for a gemm).
 */
export interface BenchShape {
  readonly source: 'recorded' | 'guessed';
  readonly params: readonly ShapeParam[];
  /** Why it was guessed (no profile, no shapes pass, size cap…). */
  readonly note?: string;
  /** The recorded distribution: each distinct shape's calls and share of the work (most work first). */
  readonly histogram?: readonly {
    readonly params: string;
    readonly calls: number;
    readonly workShare: number;
  }[];
}

/** What to benchmark: variants (the first is the reference, normally the original) over the same inputs. */
export interface BenchSpec {
  /** Kernel name (the results history groups by it). */
  readonly kernel: string;
  readonly variants: readonly Variant[];
  readonly args: readonly ArgSpec[];
  /** Input size n. */
  readonly n: number;
  /** PRNG seed; same seed, same inputs, in every child. */
  readonly seed?: number;
  /** Source of the original (the kernel's loop). */
  readonly source?: SourceLocation;
  /** The loop's Kernel IR, when known: correctness then uses the IR's derived (error-shadow) tolerance. */
  readonly ir?: Kernel;
  /** The parameters' shape and its source (shown by the table and the webview). */
  readonly shape?: BenchShape;
}

export interface BenchOptions {
  /** Samples per variant (default 30). */
  readonly samples?: number;
  /** Samples per interleaving round (default 1: the finest interleaving). */
  readonly samplesPerRound?: number;
  /** Target duration of one sample in ms; the batch size is calibrated to reach it (default 20). */
  readonly sampleMs?: number;
  /** Force the batch size (calls per sample) instead of calibrating it (the talk table: 100,000). */
  readonly batch?: number;
  /** Warm-up time per variant in ms (default 100). */
  readonly warmupMs?: number;
  /**
   * Wall-clock limit of the whole run in ms (default 120,000). Past it the run stops; what was
   * measured by then is kept (a note says the figures are partial) once the reference has samples.
   */
  readonly timeoutMs?: number;
  /**
   * Longest wait for one answer of one variant (its load, check, calibration or one sample), in ms;
   * a variant past it is killed with its processes and reported, and the others go on. Default
   * (0): half of `timeoutMs`, between 5 s and 60 s. Counted once the child program is up.
   */
  readonly stallMs?: number;
  /** Bootstrap resamples (default 2,000). */
  readonly resamples?: number;
  /** Ratios within ±equivalence of 1 count as "no difference" (default 0.03 = 3 %). */
  readonly equivalence?: number;
}

export interface Interval {
  readonly low: number;
  readonly high: number;
}

export type Correctness =
  /** `maxRelError`: the largest |difference| over the largest |reference value| (normwise relative error). */
  | {
      readonly status: 'ok';
      readonly maxError: number;
      readonly tolerance: number;
      readonly maxRelError?: number;
      readonly method?: string;
    }
  | {
      readonly status: 'wrong';
      readonly maxError: number;
      readonly tolerance: number;
      readonly maxRelError?: number;
      readonly detail: string;
      readonly method?: string;
    }
  | { readonly status: 'error'; readonly detail: string };

/** Timing summary of one variant, in nanoseconds per call. */
export interface Timing {
  readonly median: number;
  readonly mad: number;
  readonly ci: Interval;
  /** CI half-width as % of the median. */
  readonly ciHalfWidthPct: number;
  readonly samples: readonly number[];
  readonly batch: number;
  readonly noisy: boolean;
}

export interface VariantResult {
  readonly id: string;
  readonly label: string;
  readonly input: InputForm;
  readonly correctness: Correctness;
  /** Absent when the variant was wrong or failed (it is never timed as a win). */
  readonly timing?: Timing;
  /** Marshalling vs compute, when the variant has `stages`. */
  readonly breakdown?: { readonly marshalNs: number; readonly computeNs: number };
  readonly source?: SourceLocation;
}

/** Speedup of `variant` over the reference: reference time ÷ variant time (> 1 = faster). */
export interface PairVerdict {
  readonly variant: string;
  readonly reference: string;
  readonly ratio: number;
  readonly ci: Interval;
  readonly verdict: 'faster' | 'slower' | 'no difference';
  /** "wasm is 2.3× faster than the original (95 % CI 2.1–2.5×)". */
  readonly text: string;
}

export interface MachineInfo {
  readonly cpu: string;
  readonly cores: number;
  readonly simd: string;
  readonly node: string;
  readonly v8: string;
  readonly platform: string;
  readonly arch: string;
  readonly memoryGiB: number;
}

export interface SweepPoint {
  readonly n: number;
  /** ns per call by variant id (absent: wrong or failed at that n). */
  readonly ns: Readonly<Record<string, number>>;
  /** Cost of turning a `number[]` of n into a Float64Array, ns (the marshalling reference). */
  readonly marshalNs: number;
}

export interface SweepResult {
  readonly points: readonly SweepPoint[];
  /** Smallest n from which each variant stays faster than the reference (null: never). */
  readonly crossover: Readonly<Record<string, number | null>>;
}

export const RESULT_SCHEMA_VERSION = 1;

/** One saved benchmark run. */
export interface BenchResult {
  readonly schemaVersion: typeof RESULT_SCHEMA_VERSION;
  readonly kind: 'bench';
  readonly id: string;
  readonly kernel: string;
  readonly createdAt: string;
  readonly n: number;
  readonly seed: number;
  readonly machine: MachineInfo;
  readonly reference: string;
  readonly variants: readonly VariantResult[];
  readonly verdicts: readonly PairVerdict[];
  /** Fastest correct variant (by median) when its win over the reference is significant; else the reference. */
  readonly winner: string;
  readonly sweep?: SweepResult;
  readonly source?: SourceLocation;
  /** The parameters' shape the run replayed, and whether it was recorded or guessed. */
  readonly shape?: BenchShape;
  readonly notes: readonly string[];
  /** Set by suites like the talk table. */
  readonly table?: TalkTable;
}

/** The talk's table: per operation, ms for `calls` calls per variant and the ratio to plain JS. */
export interface TalkTable {
  readonly n: number;
  readonly calls: number;
  readonly columns: readonly { readonly id: string; readonly label: string }[];
  readonly rows: readonly {
    readonly op: string;
    /** ms for `calls` calls, by column id (null: wrong or unavailable). */
    readonly ms: Readonly<Record<string, number | null>>;
    /** plain-JS ms ÷ this ms (> 1 faster), by column id. */
    readonly ratio: Readonly<Record<string, number | null>>;
  }[];
  readonly lesson: string;
}
