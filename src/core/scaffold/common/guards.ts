// Run-time preconditions of a compiled fast path that the kernel's types cannot promise, as TS lines
// for a wrapper: arrays whose element type was inferred from use (no usable types in the source) must
// really be arrays of numbers of the expected kind (without holes), scalars inferred from use must be
// numbers, and run-time loop steps (`stepExpr`) must be
// non-zero integers of the loop's direction. When one fails the wrapper runs the original JS.
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
 * The test that a value is an array of the inferred kind (`number[]` with numbers, or the typed array).
 * `every` skips holes (`Array(n)`), `includes(undefined)` finds them: a copied array would fill them.
 */
function inferredTest(p: ArrayParam): string {
  const v = `(${p.name} as unknown)`;
  if (p.rank === 2) {
    const row =
      p.container === 'array'
        ? `Array.isArray(r) && r.every((x: unknown) => typeof x === 'number') && !r.includes(undefined)`
        : `r instanceof ${TYPED_CTOR[p.dtype]}`;
    return `Array.isArray(${v}) && (${v} as unknown[]).every((r: unknown) => ${row})`;
  }
  return p.container === 'array'
    ? `Array.isArray(${v}) && (${v} as unknown[]).every((x) => typeof x === 'number') && !(${v} as unknown[]).includes(undefined)`
    : `${v} instanceof ${TYPED_CTOR[p.dtype]}`;
}

/** What the arguments of an inferred array must be, for the warning. */
function inferredKind(p: ArrayParam): string {
  const one = p.container === 'array' ? 'an array of numbers' : `a ${TYPED_CTOR[p.dtype]}`;
  return p.rank === 2 ? `an array of rows, each ${one}` : one;
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
    k.params.some((p) => p.typeSource === 'inferred') || runtimeStepLoops(k).length > 0 || sharedRowsMatter(k)
  );
}

/** The check that no array is reachable twice (as an argument or as a row of one). */
function rowsApartCheck(out: Lines, k: Kernel): void {
  const arrays = k.params.filter((p): p is ArrayParam => p.kind === 'array');
  const rows = arrays.filter((p) => p.rank === 2).map((p) => p.name);
  const flat = arrays.filter((p) => p.rank !== 2).map((p) => p.name);
  out.line(`const seen = new Set<unknown>([${flat.join(', ')}]);`);
  out.line(`let count = ${flat.length};`);
  out.block(`for (const rows of [${rows.join(', ')}] as readonly (readonly unknown[])[])`, () => {
    out.line('for (const row of rows) seen.add(row);');
    out.line('count += rows.length;');
  });
  out.line(
    "if (seen.size !== count) return false; // a shared row: its copies would not see each other's writes",
  );
}

/**
 * Module-level declarations of the guard: a `fastPathApplies(args)` function (one warning per process
 * for an inferred argument of another kind). Emit only when {@link hasGuards}.
 */
export function guardFunction(out: Lines, k: Kernel, name: string, signature: string): void {
  const ex = new TsExprEmitter();
  const inferred = k.params.filter((p): p is ArrayParam => p.kind === 'array' && p.typeSource === 'inferred');
  const numbers = k.params.filter((p) => p.kind === 'scalar' && p.typeSource === 'inferred');
  if (inferred.length || numbers.length) out.line('let warnedInferred = false;');
  out.line(
    '/** The preconditions of the fast path that the types of the source could not promise; false: run the original. */',
  );
  out.block(`function fastPathApplies(${signature}): boolean`, () => {
    for (const p of inferred) {
      out.block(`if (!(${inferredTest(p)}))`, () => {
        out.block('if (!warnedInferred)', () => {
          out.line('warnedInferred = true;');
          out.line(
            `console.warn('hotloop: ${name}: \`${p.name}\` is not ${inferredKind(p)} (its type was inferred from how the loop uses it); running the original JavaScript.');`,
          );
        });
        out.line('return false;');
      });
    }
    for (const p of numbers) {
      out.block(`if (typeof (${p.name} as unknown) !== 'number')`, () => {
        out.block('if (!warnedInferred)', () => {
          out.line('warnedInferred = true;');
          out.line(
            `console.warn('hotloop: ${name}: \`${p.name}\` is not a number (its type was inferred from how the loop uses it); running the original JavaScript.');`,
          );
        });
        out.line('return false;');
      });
    }
    runtimeStepLoops(k).forEach((loop, n) => {
      const cmp = loop.step > 0 ? '> 0' : '< 0';
      out.line(`const step${n} = ${ex.num(loop.stepExpr as Expr)};`);
      out.line(
        `if (!(Number.isInteger(step${n}) && step${n} ${cmp})) return false; // the loop over '${loop.index}' would not advance as compiled`,
      );
    });
    if (sharedRowsMatter(k)) rowsApartCheck(out, k);
    out.line('return true;');
  });
}
