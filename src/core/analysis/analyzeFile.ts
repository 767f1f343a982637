// Analysing one source file of a program: every loop's facts, verdict and kernel.
import type { Kernel } from '../ir/types.js';
import { arraysOf, rangeOf, spanRange, tripCountOf } from './facts.js';
import type { Lowered } from './kernel.js';
import { lowerFunctionKernel, lowerLoopKernel } from './kernel.js';
import { Reject } from './lowerCtx.js';
import type { FoundFunction, FoundLoop } from './loops.js';
import type { FunctionCache } from './fnCache.js';
import { ContextIndex } from './fnCache.js';
import { MAX_LOOP_DEPTH, loopDepth } from './fileGuard.js';
import { findLoops } from './loops.js';
import { ts } from './ts.js';
import { isAnyOrUnknown, isArrayLike } from './typeInfo.js';
import type { Diagnostic, FileAnalysis, LoopFacts, Verdict } from './types.js';

const ident = (path: string): string =>
  path
    .replace(/^<module>$/, 'module')
    .replace(/[^A-Za-z0-9_$]+/g, '_')
    .replace(/^_+|_+$/g, '') || 'fn';

function attempt(f: () => Lowered, diagnostics: Diagnostic[], file: string, where: string): Lowered | Reject {
  try {
    return f();
  } catch (err) {
    if (err instanceof Reject) return err;
    // A bug in the analysis must not hide the rest of the file: report it and move on.
    diagnostics.push({
      file,
      severity: 'warning',
      message: `internal analysis error at ${where}: ${err instanceof Error ? err.message : String(err)}`,
    });
    return new Reject('unsupported-syntax', 'internal analysis error (see diagnostics)');
  }
}

function verdictOf(r: Lowered | Reject): Verdict {
  return r instanceof Reject
    ? { translatable: false, code: r.code, reason: r.reason }
    : {
        translatable: true,
        pattern: r.pattern,
        orderSensitive: r.orderSensitive,
        ...(r.notes?.length ? { notes: r.notes } : {}),
      };
}

export interface AnalyzeFileOptions {
  /** Facts of unchanged functions from earlier versions (the analysis service keeps one per file). */
  readonly cache?: FunctionCache;
  /** Where this run puts the entries it used or made (so stale ones are dropped). */
  readonly store?: FunctionCache;
  /** Memo of "is this receiver an array" answers, keyed by statement and receiver text. */
  readonly arrayMemo?: Map<string, boolean>;
  readonly arrayStore?: Map<string, boolean>;
  /** Identifiers used by each top-level statement text (kept across versions by the service). */
  readonly namesMemo?: Map<string, readonly string[]>;
  /** Identifies the versions of the other files of the program (imported helpers): part of every cache key. */
  readonly dependencyStamp?: string;
  /** Date.now() after which no further loop is analysed (a diagnostic says how many were left). */
  readonly deadline?: number;
}

/** Analyses every loop of `sf`; `file` is the name used in ids. */
export function analyzeSourceFile(
  program: ts.Program,
  sf: ts.SourceFile,
  file: string,
  options: AnalyzeFileOptions = {},
): FileAnalysis {
  let checkerMemo: ts.TypeChecker | undefined;
  // The checker is created lazily: a warm run where every function is cached never needs it.
  const checker = (): ts.TypeChecker => (checkerMemo ??= program.getTypeChecker());
  const diagnostics: Diagnostic[] = program.getSyntacticDiagnostics(sf).map((d) => ({
    file,
    severity: 'error' as const,
    message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
    range: spanRange(sf, d.start, d.start + d.length),
  }));
  const index = new ContextIndex(sf, options.namesMemo);
  const memo = options.arrayMemo;
  const isArray = (e: ts.Expression): boolean => {
    const top = index.topLevelOf(e);
    const key = top ? `${index.keyOf(top)}\u0001${e.pos - top.pos}:${e.getText(sf)}` : undefined;
    const hit = key !== undefined ? memo?.get(key) : undefined;
    const t = hit === undefined ? checker().getTypeAtLocation(e) : undefined;
    const yes = hit ?? (isArrayLike(checker(), t!) || isAnyOrUnknown(t!));
    if (key !== undefined) options.arrayStore?.set(key, yes);
    return yes;
  };
  const loops: LoopFacts[] = [];
  const names = new Set<string>();
  const kernelName = (base: string): string => {
    let n = base;
    for (let k = 2; names.has(n); k++) n = `${base}_${k}`;
    names.add(n);
    return n;
  };
  let functions: FoundFunction[];
  const depth = loopDepth(sf);
  if (depth > MAX_LOOP_DEPTH) {
    diagnostics.push({
      file,
      severity: 'warning',
      message: `skipped: loops nested ${depth} deep (limit ${MAX_LOOP_DEPTH}); no loop of this file was analysed`,
    });
    return { schema: 1, file, loops: [], diagnostics };
  }
  try {
    functions = findLoops(sf, isArray);
  } catch (err) {
    diagnostics.push({
      file,
      severity: 'warning',
      message: `internal analysis error: ${err instanceof Error ? err.message : String(err)}`,
    });
    return { schema: 1, file, loops: [], diagnostics };
  }
  for (const fn of functions) {
    const node = fn.node;
    const top = ts.isSourceFile(node) ? undefined : index.topLevelOf(node);
    const key = top
      ? `${options.dependencyStamp ?? ''}\u0002${file}\u0002${fn.path}\u0002${index.keyOf(top)}`
      : undefined;
    const cached = key !== undefined ? options.cache?.get(key) : undefined;
    if (cached && top) {
      const base = top.getStart(sf);
      for (const c of cached.loops) {
        const range = spanRange(sf, base + c.start, base + c.end);
        loops.push({ ...c.facts, range, line: range.start.line + 1 });
      }
      for (const k of cached.kernels) names.add(k);
      options.store?.set(key!, cached);
      continue;
    }
    let fnKernel: Lowered | Reject | undefined;
    if (!ts.isSourceFile(node)) {
      const name = ident(fn.path);
      fnKernel = attempt(() => lowerFunctionKernel(checker(), node, name), diagnostics, file, fn.path);
      if (!(fnKernel instanceof Reject)) names.add(name);
    }
    // A loop nested in a translatable loop is part of that loop's kernel; any other translatable loop has its own.
    const translatable = new Set<FoundLoop>();
    const mine: LoopFacts[] = [];
    for (const loop of fn.loops) {
      if (options.deadline !== undefined && Date.now() > options.deadline)
        return outOfTime(file, [...loops, ...mine], diagnostics, functions);
      const facts = loopFacts(
        checker(),
        sf,
        file,
        fn,
        loop,
        fnKernel,
        kernelName,
        diagnostics,
        loop.parent !== undefined && translatable.has(loop.parent),
      );
      if (facts.verdict.translatable) translatable.add(loop);
      mine.push(facts);
    }
    loops.push(...mine);
    if (key !== undefined && top && options.store) {
      const base = top.getStart(sf);
      options.store.set(key, {
        loops: mine.map((facts, k) => ({
          facts,
          start: fn.loops[k]!.node.getStart(sf) - base,
          end: fn.loops[k]!.node.end - base,
        })),
        kernels: [...new Set(mine.flatMap((f) => (f.kernel ? [f.kernel.name] : [])))],
      });
    }
  }
  return { schema: 1, file, loops, diagnostics };
}

function outOfTime(
  file: string,
  loops: LoopFacts[],
  diagnostics: Diagnostic[],
  functions: readonly FoundFunction[],
): FileAnalysis {
  const total = functions.reduce((n, f) => n + f.loops.length, 0);
  diagnostics.push({
    file,
    severity: 'warning',
    message: `analysis stopped: per-file time budget spent; ${total - loops.length} of ${total} loop(s) not analysed`,
  });
  return { schema: 1, file, loops, diagnostics };
}

function loopFacts(
  checker: ts.TypeChecker,
  sf: ts.SourceFile,
  file: string,
  fn: FoundFunction,
  loop: FoundLoop,
  fnKernel: Lowered | Reject | undefined,
  kernelName: (base: string) => string,
  diagnostics: Diagnostic[],
  insideTranslatable: boolean,
): LoopFacts {
  const idOf = (l: FoundLoop): string => `${file}#${l.fn.path}/${l.ordinal}`;
  const name = `${ident(fn.path)}_loop${loop.ordinal}`;
  const own = attempt(() => lowerLoopKernel(checker, loop.node, name), diagnostics, file, idOf(loop));
  // A loop that cannot stand alone (a `return` inside) may still be part of its function's kernel.
  const fnOk = fnKernel && !(fnKernel instanceof Reject) ? fnKernel : undefined;
  let verdict = own instanceof Reject && fnOk ? verdictOf(fnOk) : verdictOf(own);
  let kernel: Kernel | undefined;
  if (verdict.translatable && !insideTranslatable) {
    if (fnKernel && !(fnKernel instanceof Reject) && loop.depth === 0) {
      kernel = fnKernel.kernel;
      verdict = verdictOf(fnKernel);
    } else if (!(own instanceof Reject)) {
      kernel = { ...own.kernel, name: kernelName(name) };
    }
  }
  const tripCount = tripCountOf(loop.node);
  const arrays = ((): LoopFacts['arrays'] => {
    try {
      return arraysOf(checker, loop.node);
    } catch {
      return [];
    }
  })();
  const range = rangeOf(sf, loop.node);
  return {
    id: idOf(loop),
    file,
    kind: loop.kind,
    range,
    line: range.start.line + 1,
    functionName: fn.path,
    depth: loop.depth,
    ...(loop.parent ? { parentId: idOf(loop.parent) } : {}),
    ...(tripCount !== undefined ? { tripCount } : {}),
    arrays,
    verdict,
    ...(kernel ? { kernel } : {}),
  };
}
