// Loop facts: what the analysis says about every loop in a file. Plain JSON data.
import type { Kernel, Pattern } from '../ir/types.js';

/** Zero-based line/character positions, like the LSP and VS Code. */
export interface Position {
  readonly line: number;
  readonly character: number;
}

export interface Range {
  readonly start: Position;
  readonly end: Position;
}

export type LoopKind =
  'for' | 'for-of' | 'for-in' | 'while' | 'do-while' | 'map' | 'reduce' | 'forEach' | 'filter';

/**
 * Element type of an array as the type checker sees it. `ArrayLike<number>` stands for any numeric
 * array (`ArrayLike<number>`, unions such as `number[] | Float64Array`, generics constrained to them);
 * `number[][]`, `Float64Array[]` and `ArrayLike<number>[]` are arrays of rows (rank 2).
 */
export type ElementType =
  | 'number[]'
  | 'Float64Array'
  | 'Float32Array'
  | 'Int32Array'
  | 'Uint32Array'
  | 'Int16Array'
  | 'Uint16Array'
  | 'Int8Array'
  | 'Uint8Array'
  | 'Uint8ClampedArray'
  | 'ArrayLike<number>'
  | 'number[][]'
  | 'Float64Array[]'
  | 'ArrayLike<number>[]'
  | 'unknown';

export interface ArrayUse {
  readonly name: string;
  readonly elementType: ElementType;
  readonly read: boolean;
  readonly written: boolean;
}

/** Why a loop cannot be rewritten. `code` is stable (tests and advisors key on it); `message` is for people. */
export type NotTranslatableCode =
  | 'calls-function' // calls a non-Math function that could not be inlined
  | 'allocates' // new / array or object literal / closure inside the loop
  | 'object-property' // reads or writes object properties (other than .length of an array)
  | 'loop-carried' // loop-carried dependence that is not a recognised reduction/scan
  | 'early-exit' // break / return / continue-with-label / throw inside
  | 'string-work' // string values or operations
  | 'await' // await inside (an IO pattern)
  | 'unknown-types' // element types could not be decided
  | 'unsupported-syntax'; // anything else the lowering does not handle (the message says what)

export type Verdict =
  | {
      readonly translatable: true;
      readonly pattern: Pattern;
      /** True when the result depends on float evaluation order (reassociation needs a tolerance). */
      readonly orderSensitive: boolean;
      /**
       * What the kernel assumed that the code does not state (types inferred from use, object
       * fields passed as parameters, calls inlined through a method), for people; absent when none.
       */
      readonly notes?: readonly string[];
    }
  | {
      readonly translatable: false;
      readonly code: NotTranslatableCode;
      /** A human reason, e.g. "calls parse()". */
      readonly reason: string;
    };

export interface LoopFacts {
  /**
   * Stable id: `<relative file>#<function path>/<ordinal>`, e.g. `src/stats.ts#variance/0`.
   * The ordinal counts loops within the enclosing function in source order, so edits above the
   * function (or in other functions) do not change it.
   */
  readonly id: string;
  readonly file: string;
  readonly kind: LoopKind;
  /** Range of the whole loop statement / call expression (0-based, like the LSP). */
  readonly range: Range;
  /** 1-based line of the loop's first line, as editors and the CLI table print it. */
  readonly line: number;
  /** Name of the innermost enclosing function (`<module>` at top level; `Class.method` for methods). */
  readonly functionName: string;
  /** 0 for an outermost loop. */
  readonly depth: number;
  /** Id of the enclosing loop, if nested. */
  readonly parentId?: string;
  /** Source text of the trip count where it can be stated (`n`, `xs.length`, `rows * cols`), else undefined. */
  readonly tripCount?: string;
  readonly arrays: readonly ArrayUse[];
  readonly verdict: Verdict;
  /** For translatable outermost loops: the kernel (the enclosing function when it is a pure kernel). */
  readonly kernel?: Kernel;
}

export interface Diagnostic {
  readonly file: string;
  readonly message: string;
  readonly range?: Range;
  readonly severity: 'error' | 'warning' | 'info';
}

export interface FileAnalysis {
  /** JSON schema version of analysis output. */
  readonly schema: 1;
  readonly file: string;
  readonly loops: readonly LoopFacts[];
  readonly diagnostics: readonly Diagnostic[];
}
