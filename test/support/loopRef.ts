// The JS reference of a loop kernel extracted from a bigger function: the loop's own source text,
// wrapped in a function whose parameters are the kernel's (live-in scalars, arrays), with the
// live-outs copied in from their `<name>_in` parameters and handed back as the kernel does (the scalar
// result, or the `liveOuts` array). Differential tests run it against the interpreter.
import { ts } from '../../src/core/analysis/ts.js';
import type { LoopFacts } from '../../src/core/analysis/types.js';
import type { Kernel, KernelArg } from '../../src/core/ir/types.js';
import {
  freshAllocJs,
  freshParams,
  inputParams,
  originalArgs,
  runAsOriginal,
} from '../../src/core/ir/fresh.js';
import { exprToJs } from '../../src/core/ir/toJs.js';
import { KernelBudgetError } from '../../src/core/ir/budget.js';
import { cloneArgs, makeInputs } from '../../src/core/ir/random.js';
import type { InputEdge } from '../../src/core/ir/random.js';
import { loadJs } from './loadJs.js';
import type { JsKernel } from './loadJs.js';

/** True when `kernel` is a loop alone (named `<fn>_loop<k>`), not a whole function. */
export function isLoopKernel(kernel: Kernel): boolean {
  return /_loop\d+(_\d+)?$/.test(kernel.name);
}

/** The live-outs of a loop kernel: leading `let x = x_in` copies. */
function liveIns(kernel: Kernel): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of kernel.body) {
    if (s.kind !== 'let' || s.init.kind !== 'var' || s.init.name !== `${s.name}_in`) break;
    out.set(s.init.name, s.name);
  }
  return out;
}

function loopText(sf: ts.SourceFile, loop: LoopFacts): string {
  const start = sf.getPositionOfLineAndCharacter(loop.range.start.line, loop.range.start.character);
  const end = sf.getPositionOfLineAndCharacter(loop.range.end.line, loop.range.end.character);
  return sf.text.slice(start, end);
}

/** The function (named `fnName`) whose body is the loop's own text, or undefined for a whole-function kernel. */
function referenceSource(
  sf: ts.SourceFile,
  loop: LoopFacts,
  kernel: Kernel,
  fnName: string,
): string | undefined {
  if (!isLoopKernel(kernel)) return undefined;
  const copies = liveIns(kernel);
  const params = inputParams(kernel).map((p) => p.name);
  const body = loopText(sf, loop);
  const isCall = !/^(for|while|do)\b/.test(body);
  // A flag's entry value is a boolean in the original; the inputs stand for false/true with 0/1.
  const truthy = new Set(kernel.params.filter((p) => p.kind === 'scalar' && p.truthy).map((p) => p.name));
  const lines = [...copies].map(([from, to]) =>
    truthy.has(from) ? `let ${to} = Boolean(${from});` : `let ${to} = ${from};`,
  );
  // A fresh output array starts as the original made it: `[]` for a plain one (every index is
  // written, so `new Array(n)` gives the same), a zeroed typed array of its length otherwise.
  for (const p of freshParams(kernel))
    lines.push(`let ${p.name} = ${p.fresh.plain ? '[]' : freshAllocJs(p, exprToJs(p.fresh.length))};`);
  const r = kernel.result;
  if ((r.kind === 'scalar' || freshParams(kernel).length > 0) && copies.size === 0 && isCall)
    lines.push(`return (${body});`);
  else {
    lines.push(isCall ? `${body};` : body);
    if (r.kind === 'scalar' && r.expr.kind === 'var') lines.push(`return ${r.expr.name};`);
    else if (r.kind === 'array') {
      const outs = [...copies.values()];
      if (r.name === 'liveOuts' || r.name.startsWith('liveOuts_'))
        lines.push(...outs.map((n, k) => `${r.name}[${k}] = ${n};`));
      lines.push(`return ${r.name};`);
    }
  }
  return `function ${fnName}(${params.join(', ')}) {\n${lines.join('\n')}\n}`;
}

/** The module with reference functions appended, transpiled once: what `loadJs` evaluates per loop. */
interface Prepared {
  readonly file: string;
  readonly text: string;
  readonly js: string;
  /** `loop id \0 kernel name` → the reference function's name in `js`. */
  readonly names: ReadonlyMap<string, string>;
}

let prepared: Prepared | undefined;
const refKey = (loop: LoopFacts, kernel: Kernel): string => `${loop.id}\0${kernel.name}`;

function transpile(file: string, src: string): string {
  return ts.transpileModule(src, {
    fileName: file,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  }).outputText;
}

/**
 * Parses and transpiles `text` ONCE with the reference functions of all `loops` appended (a 4,400-line
 * file costs seconds to transpile: once per loop made the corpus check take many minutes). Each
 * {@link loopReference} of these loops then still evaluates the module afresh, as before.
 */
export function prepareReferences(
  file: string,
  text: string,
  loops: readonly { readonly loop: LoopFacts; readonly kernel: Kernel }[],
): void {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const names = new Map<string, string>();
  const fns: string[] = [];
  for (const { loop, kernel } of loops) {
    const name = `__hotloopLoopRef${names.size}`;
    const src = referenceSource(sf, loop, kernel, name);
    if (src === undefined) continue;
    names.set(refKey(loop, kernel), name);
    fns.push(src);
  }
  prepared = { file, text, js: transpile(file, `${text}\n${fns.join('\n')}\n`), names };
}

/**
 * A callable reference for the loop kernel `kernel` of `loop` in the file `text`, or undefined when
 * the kernel is not a loop kernel. The function is appended to the module so helpers and constants resolve.
 */
export function loopReference(
  file: string,
  text: string,
  loop: LoopFacts,
  kernel: Kernel,
  requireFn?: (id: string) => unknown,
): JsKernel | undefined {
  if (!isLoopKernel(kernel)) return undefined;
  const ready = prepared?.file === file && prepared.text === text ? prepared : undefined;
  const name = ready?.names.get(refKey(loop, kernel));
  if (ready && name) return loadJs(ready.js, name, requireFn);
  const fnName = '__hotloopLoopRef';
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const src = referenceSource(sf, loop, kernel, fnName)!;
  return loadJs(transpile(file, `${text}\n${src}\n`), fnName, requireFn);
}

/** Iterations the interpreter may take on one differential input (the inputs have ≤ 49 elements). */
const REFERENCE_BUDGET = 2e6;

/** The sizes and edge cases every differential runs: empty, one, plain, NaN, ±Infinity, views, mixed. */
export const RUNS: readonly { n: number; edge: InputEdge }[] = [
  { n: 0, edge: 'empty' },
  { n: 1, edge: 'one' },
  { n: 17, edge: 'none' },
  { n: 33, edge: 'nan' },
  { n: 33, edge: 'inf' },
  { n: 24, edge: 'subarray' },
  { n: 49, edge: 'mixed' },
];

/**
 * The original's arguments with each `truthy` parameter's 0/1 as the boolean the source passes
 * (`false`/`true`); the interpreter and the wrappers take its truthiness.
 */
export function withBooleans(kernel: Kernel, args: readonly KernelArg[]): KernelArg[] {
  const inputs = inputParams(kernel);
  return args.map((a, i) => {
    const p = inputs[i];
    return p?.kind === 'scalar' && p.truthy ? (Boolean(a) as unknown as KernelArg) : a;
  });
}

/** `a` and `b` equal as JS values (arrays and rows element by element, NaN equal to NaN). */
export function same(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || ArrayBuffer.isView(a)) {
    const x = a as ArrayLike<unknown>;
    const y = b as ArrayLike<unknown> | undefined;
    if (!y || x.length !== y.length) return false;
    // Rows of a rank-2 array are compared element by element too (they are copies, never the same object).
    for (let i = 0; i < x.length; i++) if (!same(x[i], y[i])) return false;
    return true;
  }
  return Object.is(a, b);
}

/**
 * Runs a loop kernel and its own source text on the same random inputs (n = 0, 1, odd, NaN, ±Infinity,
 * subarray views): the mismatches found, or undefined when the source cannot be loaded alone (imports).
 */
export function differential(
  file: string,
  text: string,
  loop: LoopFacts,
  kernel: Kernel,
  seed = 1,
): string[] | undefined {
  let ref: JsKernel | undefined;
  try {
    ref = loopReference(file, text, loop, kernel);
  } catch {
    return undefined;
  }
  if (!ref) return undefined;
  const out: string[] = [];
  for (const run of RUNS) {
    const args = withBooleans(
      kernel,
      originalArgs(kernel, makeInputs(kernel, { n: run.n, seed, edge: run.edge })),
    );
    const mine = cloneArgs(args);
    const theirs = cloneArgs(args);
    const what = `n ${run.n}, ${run.edge}`;
    let got: unknown;
    let want: unknown;
    try {
      got = runAsOriginal(kernel, mine, { maxIterations: REFERENCE_BUDGET });
    } catch (e) {
      // A loop that does not end in the budget on these inputs (±Infinity bounds: `k = -Infinity;
      // k < j1; ++k`) would not end in the JS either: the reference is not run (it would hang the test).
      if (e instanceof KernelBudgetError) continue;
      got = `throws ${String(e)}`;
    }
    try {
      want = ref(...theirs);
    } catch (e) {
      want = `throws ${String(e)}`;
    }
    if (kernel.result.kind !== 'void' && !same(got, want))
      out.push(`${what}: result JS ${String(want)}, IR ${String(got)}`);
    mine.forEach((a, i) => {
      if (!same(a, theirs[i])) out.push(`${what}: ${inputParams(kernel)[i]!.name} differs`);
    });
  }
  return out;
}
