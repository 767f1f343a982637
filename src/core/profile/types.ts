// Profile results: what a profiled run (or an imported .cpuprofile) says about loops and functions.
// Plain JSON data, schema-versioned, stored under `.hotloop/profiles/`.
import type { Range } from '../analysis/types.js';

/** What to run under the profiler. Every variant runs in a child process with an argument array. */
export type ProfileTarget =
  /** A TS/JS file: TypeScript (and JS) is bundled with esbuild (source maps) into a temp dir first. */
  | { readonly kind: 'file'; readonly file: string; readonly args?: readonly string[] }
  /** A JS script run as is (e.g. the project's own build with its source maps). */
  | { readonly kind: 'script'; readonly file: string; readonly args?: readonly string[] }
  /** `npm run <script>` in the workspace. */
  | { readonly kind: 'npm'; readonly script: string; readonly args?: readonly string[] }
  /** Any command (a test runner…), as an argument array: `['npx', 'mocha']`. */
  | { readonly kind: 'command'; readonly command: readonly string[] };

/** Where a sample's time went. `user` = the program's own code (attributed to lines and loops). */
export type SampleCategory = 'user' | 'dependency' | 'node' | 'gc' | 'idle' | 'program';

export type Shares = Readonly<Record<SampleCategory, number>>;

/** CPU-bound: the run mostly computes; IO-bound: it mostly waits (idle); mixed in between. */
export type Boundness = 'cpu-bound' | 'io-bound' | 'mixed';

export interface RunVerdict {
  readonly kind: Boundness;
  /** Share of wall time spent on the CPU (everything but idle), 0..1. */
  readonly cpuShare: number;
  readonly gcShare: number;
  readonly idleShare: number;
  /** One sentence for people: what the numbers mean and what to do. */
  readonly advice: string;
}

/** Array shape seen at a loop during the shapes pass. */
export interface ArrayShape {
  readonly name: string;
  /** Constructor name: `Float64Array`, `Array`… */
  readonly kind: string;
  /** For `Array`: the element kind seen (`number`, `object`, `mixed`…). */
  readonly elementKind?: string;
  readonly minLength: number;
  readonly maxLength: number;
}

/** One parameter of the kernel as seen at the loop's entry (a call of the kernel). */
export type ParamShape =
  | { readonly name: string; readonly kind: 'scalar'; readonly value: number }
  /** `type`: constructor name (`Float64Array`, `Array`); `elementKind` for `Array` (`number`, `mixed`…). */
  | {
      readonly name: string;
      readonly kind: 'array';
      readonly type: string;
      readonly length: number;
      readonly elementKind?: string;
      /** An array of rows (`number[][]`, `Float64Array[]`): the first row's length and constructor. */
      readonly rowLength?: number;
      readonly rowType?: string;
    }
  /** Anything else (an object, a string, undefined): its `typeof`. */
  | { readonly name: string; readonly kind: 'other'; readonly type: string };

/** One distinct shape of the kernel's parameters and how often (and how much work) it came with. */
export interface ShapeBucket {
  readonly params: readonly ParamShape[];
  /** Calls (loop entries) with this shape, estimated from the sampled entries. */
  readonly calls: number;
  /** Loop iterations under this shape, estimated the same way. */
  readonly iterations: number;
  /** Share of the loop's estimated work (calls × per-call size) under this shape, 0..1. */
  readonly workShare: number;
}

export interface LoopShape {
  /** Times the loop statement was entered. */
  readonly entries: number;
  /** Iterations in total (loop body executions). */
  readonly iterations: number;
  readonly arrays: readonly ArrayShape[];
  /** Every parameter of the kernel at its dominant shape (most work), when the kernel's parameters were recorded. */
  readonly params?: readonly ParamShape[];
  /** Distinct parameter shapes, most work first (at most 32 kept per process; the rest counted in `otherCalls`). */
  readonly histogram?: readonly ShapeBucket[];
  readonly otherCalls?: number;
}

export interface LoopHeat {
  /** Loop-fact id (stable): `<relative file>#<function path>/<ordinal>`. */
  readonly loopId: string;
  readonly file: string;
  readonly range: Range;
  readonly functionName: string;
  /** Time on lines of this loop and not of a nested loop, ms. */
  readonly selfMs: number;
  /** Time on lines of this loop including nested loops, ms. */
  readonly totalMs: number;
  /** Lexical time plus the time of functions called from inside the loop (by call-site name), ms. */
  readonly inclusiveMs: number;
  /** selfMs / totalMs of the run's CPU time (0..1). */
  readonly selfShare: number;
  readonly totalShare: number;
  /** GC time charged to this loop (GC samples right after a sample in the loop), ms; part of totalMs. */
  readonly gcMs: number;
  /** Idle time right after a sample in the loop (waiting on IO/timers, e.g. `await` in the loop), ms; not in totalMs. */
  readonly waitMs: number;
  /** Threads it ran on: 0 = main, n = worker thread id. */
  readonly threads: readonly number[];
  /** Iterations per second of loop time, when the shapes pass ran. */
  readonly iterationsPerSecond?: number;
  readonly shape?: LoopShape;
}

export interface FunctionHeat {
  readonly functionName: string;
  /** Original file (after source maps), relative to the root where it is inside it. */
  readonly file: string;
  /** Zero-based original line of the function's start. */
  readonly line: number;
  readonly selfMs: number;
  readonly totalMs: number;
  readonly selfShare: number;
  readonly totalShare: number;
  readonly gcMs: number;
  /** Idle time right after a sample in this function (waiting), ms. */
  readonly idleMs: number;
  readonly category: SampleCategory;
  /** Shares of this function's time (total + charged GC + charged idle): computing, GC, waiting. */
  readonly cpuShare: number;
  readonly gcShare: number;
  readonly idleShare: number;
  readonly threads: readonly number[];
}

/** Per-line self time for heat decorations: file → zero-based line → ms. */
export type LineHeat = Readonly<Record<string, Readonly<Record<number, number>>>>;

export interface ThreadSummary {
  readonly pid: number;
  /** 0 = main thread of the process. */
  readonly threadId: number;
  readonly samples: number;
  readonly durationMs: number;
  readonly userMs: number;
}

export interface ChildProcessInfo {
  readonly pid?: number;
  readonly parentPid: number;
  readonly command: string;
  /** Whether a profile of it was collected (node children inherit the profiler). */
  readonly profiled: boolean;
}

export interface RunOutcome {
  /** Pid of the target (leader of its process group), for logs and checks. */
  readonly pid?: number;
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly timedOut: boolean;
  readonly cancelled: boolean;
  readonly wallMs: number;
  /** Bytes of stdout+stderr the target printed (all of it, also what was dropped from the log). */
  readonly outputBytes: number;
  readonly outputTruncated: boolean;
  /** Clear words for anything unusual (crash, timeout, no profile…). */
  readonly message?: string;
}

export interface SourceFileStamp {
  /** Path relative to the root (or absolute where outside). */
  readonly file: string;
  /** sha256 of the file text at profile time; a different hash now = stale. */
  readonly sha256: string;
}

export interface ProfileResult {
  readonly schema: 1;
  readonly id: string;
  readonly createdAt: string;
  /** Human label of what ran: `examples/src/main.ts all`, `npm run bench`, an imported file name. */
  readonly label: string;
  readonly source: 'run' | 'import';
  readonly target?: ProfileTarget;
  readonly intervalUs: number;
  readonly outcome?: RunOutcome;
  /** Total sampled time over every thread, ms. */
  readonly totalMs: number;
  readonly shares: Shares;
  readonly verdict: RunVerdict;
  readonly loops: readonly LoopHeat[];
  readonly functions: readonly FunctionHeat[];
  readonly lines: LineHeat;
  readonly threads: readonly ThreadSummary[];
  readonly children: readonly ChildProcessInfo[];
  readonly sources: readonly SourceFileStamp[];
  /** Shapes-pass overhead: wall time with shapes / without (only when it ran). */
  readonly shapesOverhead?: number;
  readonly warnings: readonly string[];
}
