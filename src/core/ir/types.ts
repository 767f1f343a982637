// The Kernel IR: the typed, side-effect-explicit form that translatable loops lower to.
// Everything here is plain JSON-serialisable data: the analysis produces it, the interpreter
// executes it (the reference for every emitter), the emitters and the cost model read it, and
// tests print it as a golden snapshot. Non-finite constants are spelled as strings so that a
// kernel survives JSON.stringify/parse unchanged.

/** Element types of arrays (and of scalar results). `f64` is a JS number. */
export type DType = 'f64' | 'f32' | 'i32' | 'u32' | 'i16' | 'u16' | 'i8' | 'u8' | 'u8c';

/** How an array reaches the kernel: a typed array (zero-copy for native/wasm) or a JS `number[]`. */
export type Container = 'typed' | 'array';

/** What the kernel does with an array parameter. */
export type Access = 'read' | 'write' | 'readwrite';

export interface ArrayParam {
  readonly kind: 'array';
  readonly name: string;
  readonly dtype: DType;
  readonly container: Container;
  readonly access: Access;
  /**
   * 2 for an array of rows (`number[][]`, `Float64Array[]`): indexed as `a[i][j]` through
   * `load`/`store` with `col`, its rows' lengths through `len` with `row`. Absent (1) otherwise.
   * Targets that cannot take rows decline the kernel with a stated reason.
   */
  readonly rank?: 2;
  /**
   * Where the element type came from: the type checker (absent) or use-based inference in code with
   * no usable types (`'inferred'`); a wrapper of an inferred kernel checks its arguments at run time.
   */
  readonly typeSource?: 'inferred';
  /**
   * A fresh output array: the original function allocates it itself (`var ret = []`, `new Array(n)`,
   * `new Float64Array(n)`, `xs.map(cb)`), so it is not an argument of the original. The kernel still
   * takes it as a parameter (a zeroed typed array of `dtype`, container `typed`, never `rank` 2);
   * whoever calls the kernel in the original's place (a wrapper, the reference runner) allocates it
   * with `length` elements first, see `ir/fresh.ts`.
   */
  readonly fresh?: FreshArray;
}

/** How a fresh output array is made before the kernel runs. */
export interface FreshArray {
  /**
   * Its length: an expression of the other parameters only (scalar params, `.length` of non-fresh
   * arrays), evaluated before the body. Not a valid array length at run time → `RangeError`, as
   * `new Array(n)` throws.
   */
  readonly length: Expr;
  /**
   * True when the original returned a plain `Array` (`[]`, `new Array(n)`, `map` over a `number[]`):
   * the wrapper copies the result into a new `number[]` (one pass over it, the boundary cost stated in
   * the scaffold's notes). False for a typed array (`new Float64Array(n)`, `map` over a typed array).
   */
  readonly plain: boolean;
}

export interface ScalarParam {
  readonly kind: 'scalar';
  readonly name: string;
  /** `f64` for a JS number; `i32` where the analysis proved an integer (sizes, strides). */
  readonly dtype: 'f64' | 'i32';
  /**
   * `'inferred'`: untyped code, a number inferred from how the kernel uses it (an index, a bound, a
   * value stored into a numeric array); the wrapper checks `typeof x === 'number'` at run time.
   */
  readonly typeSource?: 'inferred';
  /**
   * A boolean of the source (`negate: boolean`, a flag `let found = false` declared outside a loop
   * kernel) that the kernel only tests for truthiness (`if (f)`, `!f`, `f ? a : b`, set to
   * `true`/`false`). The kernel takes it as the number `value ? 1 : 0` (`dtype` is `'i32'`): every
   * wrapper passes its argument that way (JS truthiness, so a non-boolean argument — `undefined`, a
   * number — behaves exactly as in the original), and the wrapper's signature types it `boolean`.
   */
  readonly truthy?: true;
}

/** A module-level constant table or constant the kernel reads (lifted into an input). */
export interface ConstTable {
  readonly kind: 'const-array';
  readonly name: string;
  readonly dtype: DType;
  readonly values: readonly NumLit[];
}

export type Param = ArrayParam | ScalarParam;

/** A number literal; non-finite values as strings so JSON keeps them. */
export type NumLit = number | 'NaN' | 'Infinity' | '-Infinity';

/** The Math functions a kernel may call (the analysis accepts `Math.f` for exactly these). */
export const MATH_FNS = [
  'abs',
  'sqrt',
  'cbrt',
  'exp',
  'expm1',
  'log',
  'log1p',
  'log2',
  'log10',
  'sin',
  'cos',
  'tan',
  'asin',
  'acos',
  'atan',
  'atan2',
  'sinh',
  'cosh',
  'tanh',
  'pow',
  'min',
  'max',
  'floor',
  'ceil',
  'round',
  'trunc',
  'sign',
  'hypot',
  'fround',
  'imul',
] as const;

export type MathFn = (typeof MATH_FNS)[number];

export type BinOp =
  | '+'
  | '-'
  | '*'
  | '/'
  | '%'
  | '**'
  | '<'
  | '<='
  | '>'
  | '>='
  | '==='
  | '!=='
  | '&&'
  | '||'
  | '&'
  | '|'
  | '^'
  | '<<'
  | '>>'
  | '>>>';

/**
 * `notNull`: JS `x !== null`, a boolean — an element of an array whose type was only inferred, tested
 * against null in the source (regression's `data[l][1] !== null`). Only JS can see a null: the JS
 * forms (the interpreter, a scaffold's original.js, the js target) test it; the compiled targets run
 * on arrays their guard checked to hold numbers only, where it is `true`.
 */
export type UnOp = '-' | '+' | '!' | '~' | 'notNull';

export type Expr =
  | { readonly kind: 'const'; readonly value: NumLit }
  /** A scalar parameter, a local, or a loop index. */
  | { readonly kind: 'var'; readonly name: string }
  /** `a[index]` on an array parameter or const table; out of bounds reads `undefined` → NaN in f64 math. */
  | { readonly kind: 'load'; readonly array: string; readonly index: Expr; readonly col?: Expr }
  /** `a.length`; with `row`, `a[row].length` of a rank-2 array. */
  | { readonly kind: 'len'; readonly array: string; readonly row?: Expr }
  | { readonly kind: 'bin'; readonly op: BinOp; readonly left: Expr; readonly right: Expr }
  | { readonly kind: 'un'; readonly op: UnOp; readonly arg: Expr }
  | { readonly kind: 'call'; readonly fn: MathFn; readonly args: readonly Expr[] }
  /** `cond ? a : b` */
  | { readonly kind: 'select'; readonly cond: Expr; readonly then: Expr; readonly else: Expr };

/** A reduction the analysis recognised on a loop: `acc = acc op f(i)` or `acc = Math.min(acc, …)`. */
export interface Reduction {
  readonly name: string;
  readonly op: 'sum' | 'prod' | 'min' | 'max';
}

export type Stmt =
  /** `let name = init` — a scalar local (f64 unless the analysis proved i32). */
  | { readonly kind: 'let'; readonly name: string; readonly dtype: 'f64' | 'i32'; readonly init: Expr }
  /** `name = value` for a local (accumulators included; `+=` is lowered to this). */
  | { readonly kind: 'assign'; readonly name: string; readonly value: Expr }
  /**
   * `array[index] = value` (the store converts to the array's dtype, as JS typed arrays do);
   * with `col`, `array[index][col] = value` on a rank-2 array.
   */
  | {
      readonly kind: 'store';
      readonly array: string;
      readonly index: Expr;
      readonly value: Expr;
      readonly col?: Expr;
    }
  | {
      readonly kind: 'if';
      readonly cond: Expr;
      readonly then: readonly Stmt[];
      readonly else: readonly Stmt[];
    }
  /**
   * `for (let index = start; index < end; index += step)` for a positive `step`, and
   * `for (let index = start; index > end; index += step)` for a negative one (descending loops;
   * `<=`/`>=` bounds are lowered to `< end + 1` / `> end - 1`). `step` is a non-zero integer constant.
   * With `stepExpr`, the step is that loop-invariant expression (`i += dim`; `i -= dim` is
   * `stepExpr: -dim` with `step: -1`), evaluated once before the loop, and `step` (±1) only gives the
   * direction; when its value is not a non-zero integer of that direction at run time a compiled
   * target does not run the loop (its wrapper falls back to the original JS, which is the reference). `parallel` is set by the analysis when iterations are independent except for the
   * listed reductions, so workers/GPU may shard this loop; never set on a loop with `break`/`return`.
   */
  | {
      readonly kind: 'for';
      readonly index: string;
      readonly start: Expr;
      readonly end: Expr;
      readonly step: number;
      readonly stepExpr?: Expr;
      readonly body: readonly Stmt[];
      readonly parallel?: { readonly reductions: readonly Reduction[] };
    }
  | ControlStmt;

/**
 * Early exits. The validator allows `break`/`continue` only inside a `for`, `return value` only in a
 * kernel whose result is `scalar`, and none of them in (the body of) a `parallel` loop. Targets that
 * cannot exit early decline such kernels with a stated reason.
 */
export type ControlStmt =
  /** Leaves the innermost enclosing `for`. */
  | { readonly kind: 'break' }
  /** Goes on with the next iteration of the innermost enclosing `for`. */
  | { readonly kind: 'continue' }
  /**
   * Ends the kernel at once (early exit: search, first index, guards). With `value` in a kernel whose
   * result is `scalar` (the function returns that value instead of `result.expr`); without it in a
   * `void` or `array` kernel (the function returns as it would at the end).
   */
  | { readonly kind: 'return'; readonly value?: Expr }
  /**
   * `throw new <error>(message)` as a guard (`if (x <= 0) throw new RangeError('…')`): ends the
   * kernel with that error; wrappers rethrow the same class and message, so callers see what the
   * original would throw.
   */
  | {
      readonly kind: 'throw';
      readonly error: 'Error' | 'RangeError' | 'TypeError';
      readonly message: string;
    };

export type Pattern =
  'map' | 'reduce' | 'map-reduce' | 'scan' | 'stencil' | 'gemv' | 'gemm' | 'conv' | 'nested';

/** What the kernel function returns. */
export type KernelResult =
  | { readonly kind: 'void' }
  /**
   * A scalar expression evaluated after the body (typically an accumulator, or `acc / n`). With
   * `truthy`, the original gives back a boolean (a flag the loop sets, its only live-out): the kernel
   * computes it as a number and the wrapper returns `Boolean(value)` — JS truthiness, `true`/`false`.
   */
  | { readonly kind: 'scalar'; readonly expr: Expr; readonly truthy?: true }
  /** One of the array parameters, returned after being written (e.g. `out`). */
  | { readonly kind: 'array'; readonly name: string };

export interface Kernel {
  /** IR schema version; bump on any incompatible change. */
  readonly irVersion: 1;
  /** A valid identifier, unique within its file: the original function's name (or `<fn>_loop<k>`). */
  readonly name: string;
  readonly params: readonly Param[];
  /** Constant tables read by the kernel (module-level `const T = [..]`), passed as extra inputs. */
  readonly consts: readonly ConstTable[];
  readonly body: readonly Stmt[];
  readonly result: KernelResult;
  readonly pattern: Pattern;
  /**
   * True when the result depends on floating-point evaluation order (a float reduction).
   * Emitters that reassociate (SIMD lanes, threads, GPU trees) must state the tolerance.
   */
  readonly orderSensitive: boolean;
  /** Names of helper functions that were inlined into this kernel (for the report). */
  readonly inlined: readonly string[];
}

/** Runtime values a kernel takes, in the order of `params` (then `consts`, filled in by the runner). */
export type KernelArg =
  | number
  | number[]
  | Float64Array
  | Float32Array
  | Int32Array
  | Uint32Array
  | Int16Array
  | Uint16Array
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray;

/** What running a kernel gives back: the scalar/array result plus every array the kernel wrote. */
export interface KernelOutput {
  /** A `truthy` scalar result is a JS boolean (what the original gives back), any other a number. */
  readonly result: number | boolean | KernelArg | undefined;
  readonly written: Readonly<Record<string, KernelArg>>;
}
