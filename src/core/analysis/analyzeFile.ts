// Analysing one source file of a program: every loop's facts, verdict and kernel.
import type { Kernel } from '../ir/types.js';
import { arraysOf, rangeOf, spanRange, tripCountOf } from './facts.js';
import type { Lowered } from './kernel.js';
import { lowerFunctionKernel, lowerLoopKernel } from './kernel.js';
import { Reject } from './lowerCtx.js';
import type { FoundFunction, FoundLoop } from './loops.js';
import { findLoops } from './loops.js';
import { ts } from './ts.js';
import { isAnyOrUnknown, isArrayLike } from './typeInfo.js';
import type { Diagnostic, FileAnalysis, LoopFacts, Verdict } from './types.js';

const ident = (path: string): string => path.replace(/^<module>$/, 'module').replace(/[^A-Za-z0-9_$]+/g, '_').replace(/^_+|_+$/g, '') || 'fn';

function attempt(f: () => Lowered, diagnostics: Diagnostic[], file: string, where: string): Lowered | Reject {
  try {
    return f();
  } catch (err) {
    if (err instanceof Reject) return err;
    // A bug in the analysis must not hide the rest of the file: report it and move on.
    diagnostics.push({ file, severity: 'warning', message: `internal analysis error at ${where}: ${err instanceof Error ? err.message : String(err)}` });
    return new Reject('unsupported-syntax', 'internal analysis error (see diagnostics)');
  }
}

function verdictOf(r: Lowered | Reject): Verdict {
  return r instanceof Reject
    ? { translatable: false, code: r.code, reason: r.reason }
    : { translatable: true, pattern: r.pattern, orderSensitive: r.orderSensitive };
}

/** Analyses every loop of `sf` with `checker`; `file` is the name used in ids. */
export function analyzeSourceFile(program: ts.Program, sf: ts.SourceFile, file: string): FileAnalysis {
  const checker = program.getTypeChecker();
  const diagnostics: Diagnostic[] = program.getSyntacticDiagnostics(sf).map((d) => ({
    file, severity: 'error' as const, message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
    ...(d.start !== undefined ? { range: spanRange(sf, d.start, d.start + (d.length ?? 0)) } : {}),
  }));
  const isArray = (e: ts.Expression): boolean => {
    const t = checker.getTypeAtLocation(e);
    return isArrayLike(checker, t) || isAnyOrUnknown(t);
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
  try {
    functions = findLoops(sf, isArray);
  } catch (err) {
    diagnostics.push({ file, severity: 'warning', message: `internal analysis error: ${err instanceof Error ? err.message : String(err)}` });
    return { schema: 1, file, loops: [], diagnostics };
  }
  for (const fn of functions) {
    const node = fn.node;
    let fnKernel: Lowered | Reject | undefined;
    if (!ts.isSourceFile(node)) {
      const name = ident(fn.path);
      fnKernel = attempt(() => lowerFunctionKernel(checker, node, name), diagnostics, file, fn.path);
      if (!(fnKernel instanceof Reject)) names.add(name);
    }
    for (const loop of fn.loops) loops.push(loopFacts(checker, sf, file, fn, loop, fnKernel, kernelName, diagnostics));
  }
  return { schema: 1, file, loops, diagnostics };
}

function loopFacts(
  checker: ts.TypeChecker, sf: ts.SourceFile, file: string, fn: FoundFunction, loop: FoundLoop,
  fnKernel: Lowered | Reject | undefined, kernelName: (base: string) => string, diagnostics: Diagnostic[],
): LoopFacts {
  const idOf = (l: FoundLoop): string => `${file}#${l.fn.path}/${l.ordinal}`;
  const name = `${ident(fn.path)}_loop${loop.ordinal}`;
  const own = attempt(() => lowerLoopKernel(checker, loop.node, name), diagnostics, file, idOf(loop));
  let verdict = verdictOf(own);
  let kernel: Kernel | undefined;
  if (verdict.translatable && loop.depth === 0) {
    if (fnKernel && !(fnKernel instanceof Reject)) {
      kernel = fnKernel.kernel;
      verdict = { translatable: true, pattern: fnKernel.pattern, orderSensitive: fnKernel.orderSensitive };
    } else if (!(own instanceof Reject) && own.kernel) {
      kernel = { ...own.kernel, name: kernelName(name) };
    }
  }
  const tripCount = tripCountOf(loop.node);
  let arrays: LoopFacts['arrays'] = [];
  try {
    arrays = arraysOf(checker, loop.node);
  } catch {
    arrays = [];
  }
  return {
    id: idOf(loop), file, kind: loop.kind, range: rangeOf(sf, loop.node), functionName: fn.path, depth: loop.depth,
    ...(loop.parent ? { parentId: idOf(loop.parent) } : {}),
    ...(tripCount !== undefined ? { tripCount } : {}),
    arrays, verdict, ...(kernel ? { kernel } : {}),
  };
}
