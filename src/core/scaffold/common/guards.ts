// Run-time preconditions of a compiled fast path that the kernel's types cannot promise, as TS lines
// for a wrapper: arrays whose element type was inferred from use (no usable types in the source) must
// really be arrays of numbers (without holes) or numeric typed arrays the target takes, scalars
// inferred from use must be numbers, and run-time loop steps (`stepExpr`) must be non-zero integers of
// the loop's direction. When one fails the wrapper runs the original JS and reports it through
// `fallback` (locate.ts): a warning, or an error under HOTLOOP_STRICT=1 — never silent.
import type { ArrayParam, Expr, Kernel, Stmt } from '../../ir/types.js';
import { TYPED_CTOR } from '../../ir/jsSyntax.js';
import { exprVars, visitStmts } from '../../ir/walk.js';
import { TsExprEmitter } from './tsEmit.js';
import type { Lines } from './tsEmit.js';

type ForStmt = Extract<Stmt, { kind: 'for' }>;

/** Loops with a run-time step, in source order. */
export function runtimeStepLoops(k: Kernel): ForStmt[] {
  const out: ForStmt[] = [];
  visitStmts(k.body, (s) => {
    if (s.kind === 'for' && s.stepExpr) out.push(s);
  });
  return out;
}

/** True when the step of `loop` reads only scalar parameters of `k` (a wrapper can check it before the call). */
export function paramStep(k: Kernel, loop: ForStmt): boolean {
  const scalars = new Set(k.params.filter((p) => p.kind === 'scalar').map((p) => p.name));
  return [...exprVars(loop.stepExpr as Expr)].every((n) => scalars.has(n));
}

/** The run-time steps a wrapper checks: those of parameters (a target that takes others runs them as JS does). */
function checkedStepLoops(k: Kernel): ForStmt[] {
  return runtimeStepLoops(k).filter((loop) => paramStep(k, loop));
}

/**
 * Why a compiled target cannot check a run-time step in its wrapper (it reads a local or a loop
 * index, known only inside the kernel), or undefined when every step reads only scalar parameters.
 */
export function uncheckableStep(k: Kernel, target: string): string | undefined {
  const scalars = new Set(k.params.filter((p) => p.kind === 'scalar').map((p) => p.name));
  for (const loop of runtimeStepLoops(k)) {
    const locals = [...exprVars(loop.stepExpr as Expr)].filter((n) => !scalars.has(n));
    if (locals.length) {
      return `the step of the loop over '${loop.index}' reads ${locals.map((n) => `'${n}'`).join(', ')}, known only inside the loop nest, so the ${target} wrapper cannot check it before the call`;
    }
  }
  return undefined;
}

/**
 * Which typed arrays a target's wrapper takes where an inferred `number[]` is (a Float64Array always,
 * in place where the target can): 'numeric' any non-BigInt typed array (converted: wasm, worker, GPU),
 * 'numeric-unless-readwrite' the same except for an array read and written (native: only a
 * Float64Array there), 'float64' only a Float64Array (the cluster ships raw f64 bytes).
 */
export type TypedForNumbers = 'numeric' | 'numeric-unless-readwrite' | 'float64';

/** The wrapper's target, for the fallback report, and the typed arrays it takes for `number[]`. */
export interface GuardTarget {
  readonly target: string;
  readonly typed: TypedForNumbers;
}

/** The import the wrapper needs for {@link guardFunction} (its `fallback` report). */
export const GUARD_IMPORT = "import { fallback } from './locate.js';";

/** The test that `v` is a typed array the target takes for the inferred `number[]` `p`. */
function typedTest(p: ArrayParam, v: string, typed: TypedForNumbers): string {
  const f64Only = typed === 'float64' || (typed === 'numeric-unless-readwrite' && p.access === 'readwrite');
  return f64Only ? `typedKind(${v}) === 'Float64Array'` : `NUMERIC_TYPED.has(typedKind(${v}))`;
}

/**
 * The test that a value is an array of the inferred kind (`number[]` with numbers or a typed array the
 * target takes, or the typed array). `every` skips holes (`Array(n)`), `includes(undefined)` finds
 * them: a copied array would fill them. Rows of a `number[][]` may be Float64Arrays (every target).
 */
function inferredTest(p: ArrayParam, typed: TypedForNumbers): string {
  const v = `(${p.name} as unknown)`;
  const numbers = (a: string): string =>
    `(${a} as unknown[]).every((x) => typeof x === 'number') && !(${a} as unknown[]).includes(undefined)`;
  if (p.rank === 2) {
    const row =
      p.container === 'array'
        ? `(Array.isArray(r) ? ${numbers('r')} : typedKind(r) === 'Float64Array')`
        : `r instanceof ${TYPED_CTOR[p.dtype]}`;
    return `Array.isArray(${v}) && (${v} as unknown[]).every((r: unknown) => ${row})`;
  }
  return p.container === 'array'
    ? `(Array.isArray(${v}) ? ${numbers(v)} : ${typedTest(p, v, typed)})`
    : `${v} instanceof ${TYPED_CTOR[p.dtype]}`;
}

/** What the arguments of an inferred array must be, for the report. */
function inferredKind(p: ArrayParam, typed: TypedForNumbers): string {
  if (p.container !== 'array') {
    const one = `a ${TYPED_CTOR[p.dtype]}`;
    return p.rank === 2 ? `an array of rows, each ${one}` : one;
  }
  if (p.rank === 2) return 'an array of rows, each an array of numbers or a Float64Array';
  const f64Only = typed === 'float64' || (typed === 'numeric-unless-readwrite' && p.access === 'readwrite');
  return f64Only ? 'an array of numbers or a Float64Array' : 'an array of numbers or a numeric typed array';
}

/**
 * Module-level helpers of the inferred-array tests (one tag read per argument, no allocation). The tag
 * is read with %TypedArray%.prototype's own `Symbol.toStringTag` getter: a typed array's class name
 * (from its internal slot, so it holds for typed arrays of another realm: jest's vm contexts), and
 * undefined for anything else. `Object.prototype.toString.call` gave the same answer at ≈ 180 ns an
 * argument (its generic walk), ≈ 9 ns for this getter: the difference was a third of a native call
 * of a small loop.
 */
function typedHelpers(out: Lines): void {
  out.line(
    'const TYPED_TAG = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Int8Array.prototype) as object, Symbol.toStringTag)?.get;',
  );
  out.line("/** The class name of a typed array `v` ('Float64Array', …), or '' for anything else. */");
  out.block('function typedKind(v: unknown): string', () => {
    out.line('const tag: unknown = TYPED_TAG?.call(v);');
    out.line("return typeof tag === 'string' ? tag : '';");
  });
  const tags = [
    'Float64Array',
    'Float32Array',
    'Int32Array',
    'Uint32Array',
    'Int16Array',
    'Uint16Array',
    'Int8Array',
    'Uint8Array',
    'Uint8ClampedArray',
  ].map((t) => `'${t}'`);
  out.line(`const NUMERIC_TYPED: ReadonlySet<string> = new Set([${tags.join(', ')}]);`);
}

/**
 * Arrays of rows when the kernel writes some array: compiled targets copy rows (into one buffer), so a
 * row that is also another row or another argument would not see the writes made through the other.
 */
function sharedRowsMatter(k: Kernel): boolean {
  return (
    k.params.some((p) => p.kind === 'array' && p.rank === 2) &&
    k.params.some((p) => p.kind === 'array' && p.access !== 'read')
  );
}

/** True when the wrapper of `k` has run-time preconditions to check. */
export function hasGuards(k: Kernel): boolean {
  return (
    k.params.some((p) => p.typeSource === 'inferred') || checkedStepLoops(k).length > 0 || sharedRowsMatter(k)
  );
}

/** The check that no array is reachable twice (as an argument or as a row of one). */
function rowsApartCheck(out: Lines, k: Kernel, report: (why: string) => string): void {
  const arrays = k.params.filter((p): p is ArrayParam => p.kind === 'array');
  const rows = arrays.filter((p) => p.rank === 2).map((p) => p.name);
  const flat = arrays.filter((p) => p.rank !== 2).map((p) => p.name);
  // hl_ names: a kernel parameter may be called `count` or `rows` (skmeans's `count`).
  out.line(`const hl_seen = new Set<unknown>([${flat.join(', ')}]);`);
  out.line(`let hl_count = ${flat.length};`);
  out.block(`for (const hl_rows of [${rows.join(', ')}] as readonly (readonly unknown[])[])`, () => {
    out.line('for (const hl_row of hl_rows) hl_seen.add(hl_row);');
    out.line('hl_count += hl_rows.length;');
  });
  // A shared row: its copies would not see each other's writes.
  out.block('if (hl_seen.size !== hl_count)', () => {
    out.line(
      report('an array that is also a row of another argument (or a row given twice), one of them written'),
    );
    out.line('return false;');
  });
}

/**
 * Module-level declarations of the guard: a `fastPathApplies(args)` function that reports each
 * failed precondition through `fallback` (import {@link GUARD_IMPORT}). Emit only when {@link hasGuards}.
 */
export function guardFunction(out: Lines, k: Kernel, name: string, signature: string, at: GuardTarget): void {
  const ex = new TsExprEmitter();
  const inferred = k.params.filter((p): p is ArrayParam => p.kind === 'array' && p.typeSource === 'inferred');
  const numbers = k.params.filter((p) => p.kind === 'scalar' && p.typeSource === 'inferred');
  const report = (why: string): string => `fallback('${name}', '${at.target}', ${JSON.stringify(why)});`;
  if (inferred.some((p) => p.container === 'array')) typedHelpers(out);
  out.line(
    '/** The preconditions of the fast path that the types of the source could not promise; false: run the original (reported). */',
  );
  out.block(`function fastPathApplies(${signature}): boolean`, () => {
    for (const p of inferred) {
      out.block(`if (!(${inferredTest(p, at.typed)}))`, () => {
        out.line(
          report(
            `\`${p.name}\` is not ${inferredKind(p, at.typed)}; its type was inferred from how the loop uses it`,
          ),
        );
        out.line('return false;');
      });
    }
    for (const p of numbers) {
      out.block(`if (typeof (${p.name} as unknown) !== 'number')`, () => {
        out.line(report(`\`${p.name}\` is not a number; its type was inferred from how the loop uses it`));
        out.line('return false;');
      });
    }
    checkedStepLoops(k).forEach((loop, n) => {
      const cmp = loop.step > 0 ? '> 0' : '< 0';
      out.line(`const hl_step${n} = ${ex.num(loop.stepExpr as Expr)};`);
      out.block(`if (!(Number.isInteger(hl_step${n}) && hl_step${n} ${cmp}))`, () => {
        out.line(
          report(
            `the step of the loop over '${loop.index}' is not an integer ${cmp}, so the loop would not advance as compiled`,
          ),
        );
        out.line('return false;');
      });
    });
    if (sharedRowsMatter(k)) rowsApartCheck(out, k, report);
    out.line('return true;');
  });
}
