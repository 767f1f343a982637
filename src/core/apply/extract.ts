// Extract-then-replace: a loop that is only part of its function (after a guard, a `mean()` call…)
// is first extracted into its own function — live-ins as parameters, the one live-out returned —
// and that function's body is the wrapper call. The loop statement becomes `acc = f(xs, m, acc);`;
// with several live-outs, the kernel writes them into a small array the call site passes and reads
// back: `{ const out = new Float64Array(2); f(xs, re, im, out); re = out[0]; im = out[1]; }`.
// The kernel's lowering already computed the live-ins (its params: arrays, scalars read, the
// accumulator's value on entry) and the live-out (its scalar result, or the arrays it writes).
import type { Kernel } from '../ir/types.js';
import { ts } from '../analysis/ts.js';
import { freshParams, inputParams } from '../ir/fresh.js';
import { paramType, returnType } from '../scaffold/common/tsEmit.js';
import { outerReturn } from '../scaffold/freshWrapper.js';
import {
  importEdit,
  indentAt,
  localNameFor,
  moduleKind,
  wrapperImportLine,
  type ApplyPlan,
  type ApplyWrapper,
  type TextEdit,
} from '../advice/apply.js';
import { assignedFirst, deadAfter, undefinedAndDead } from './entryValue.js';

export interface ExtractRequest {
  readonly sf: ts.SourceFile;
  readonly text: string;
  /** Offset of the loop's first character. */
  readonly pos: number;
  /** The function-like node around the loop. */
  readonly fn: ts.Node;
  readonly kernel: Kernel;
  readonly functionName: string;
  readonly wrapper: ApplyWrapper;
  /**
   * Parameters the analysis read from a property once, before the loop (`this.w` as `w`), with the
   * expression: the call site passes the expression (`this` is the enclosing function's there).
   */
  readonly hoisted?: ReadonlyMap<string, string>;
  /**
   * Number properties the loop writes (`this.peak` as `peak`), with the expression: the call site
   * passes the property's value before the loop and assigns its final value back to it.
   */
  readonly fields?: ReadonlyMap<string, string>;
}

/** A dotted property path (`this.w`, `DSP.TWO_PI`, `d.buf`): safe to paste at the call site. */
const PATH = /^(this|[A-Za-z_$][\w$]*)(\.[A-Za-z_$][\w$]*)+$/;

/**
 * The analysis's property reads hoisted out of the loop, from its verdict notes ("this.w is read
 * once, before the loop, as parameter w (the loop does not write it)"): parameter → expression.
 */
export function hoistedReads(notes: readonly string[] | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const n of notes ?? []) {
    const m = /^(\S+) is read once, before the loop, as parameter (\S+) \(the loop does not write it\)/.exec(
      n,
    );
    if (m && PATH.test(m[1]!)) out.set(m[2]!, m[1]!);
  }
  return out;
}

/**
 * The properties the loop writes, from the analysis's notes ("this.peak is written by the loop: its
 * value before the loop is parameter peak and …"): parameter → expression.
 */
export function writtenFields(notes: readonly string[] | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const n of notes ?? []) {
    const m = /^(\S+) is written by the loop: its value before the loop is parameter (\S+) /.exec(n);
    if (m && PATH.test(m[1]!)) out.set(m[2]!, m[1]!);
  }
  return out;
}

/** True when the `this` node `n` starts a property path the call site passes (`this.w`, `this.w.length`). */
function thisHoisted(n: ts.Node, paths: ReadonlySet<string>): boolean {
  let cur = n;
  while (ts.isPropertyAccessExpression(cur.parent) && cur.parent.expression === cur) {
    cur = cur.parent;
    if (paths.has(cur.getText())) return true;
  }
  return false;
}

/** The loop statement that starts at `pos` (with its label, when it has one), or undefined. */
function loopStatementAt(sf: ts.SourceFile, pos: number): ts.Statement | undefined {
  let found: ts.Statement | undefined;
  const visit = (n: ts.Node): void => {
    if (found || pos < n.getStart(sf) || pos >= n.end) return;
    if (ts.isIterationStatement(n, false) && n.getStart(sf) === pos) {
      found = ts.isLabeledStatement(n.parent) ? n.parent : n;
      return;
    }
    n.forEachChild(visit);
  };
  sf.forEachChild(visit);
  return found;
}

/** Why the loop's text cannot move into another function (it leaves the function, uses `this`…), or undefined. */
function immovable(stmt: ts.Statement, paths: ReadonlySet<string>): string | undefined {
  let why: string | undefined;
  const visit = (n: ts.Node, inFn: boolean): void => {
    if (why) return;
    const fnLike = inFn || ts.isFunctionLike(n);
    if (!inFn && ts.isReturnStatement(n)) why = 'the loop returns from its function';
    else if (
      (ts.isBreakStatement(n) || ts.isContinueStatement(n)) &&
      n.label &&
      !(ts.isLabeledStatement(stmt) && stmt.label.text === n.label.text)
    )
      why = `the loop jumps to the label ${n.label.text} outside it`;
    else if (n.kind === ts.SyntaxKind.ThisKeyword && !inFn && !thisHoisted(n, paths))
      why = 'the loop uses `this` (other than a property the analysis reads once before the loop)';
    else if (!inFn && (ts.isAwaitExpression(n) || ts.isYieldExpression(n))) why = 'the loop awaits or yields';
    n.forEachChild((c) => {
      visit(c, fnLike && !ts.isArrowFunction(n) ? true : inFn);
    });
  };
  visit(stmt, false);
  return why;
}

/**
 * Why the kernel's parameters cannot be passed from the call site, or undefined: each must be a
 * variable the loop names. A parameter the analysis made up — a property read (`d_buf` for `d.buf`),
 * the array of several live-outs (`liveOuts`) — has no variable to pass or assign back.
 */
function unboundParams(stmt: ts.Statement, names: readonly string[]): string | undefined {
  const ids = new Set<string>();
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n)) ids.add(n.text);
    n.forEachChild(visit);
  };
  visit(stmt);
  const missing = names.filter((n) => !ids.has(n));
  return missing.length
    ? `its kernel takes ${missing.join(', ')}, which ${missing.length > 1 ? 'are' : 'is'} not a variable of the loop (a property read or several live-outs); extract it by hand`
    : undefined;
}

/**
 * Why a written `number[]` parameter may be written past its end or hold holes, or undefined: one the enclosing
 * function declares with an array literal (`const coefficients = [order]`) and that nothing between
 * the declaration and the loop names has the literal's length, not one the loop's bounds promise. A
 * JS array grows when written past its end; the compiled kernel works on a copy of the elements it
 * had (writes past it are dropped), so the results would differ. (An array an earlier loop filled,
 * `var ret = []; for (…) ret[i] = …;`, is not refused.) Likewise one made by `new Array(n)` just
 * before the loop: n holes, which the wrapper's guard (arrays of numbers) refuses at every call.
 */
function growableWrites(stmt: ts.Statement, fn: ts.Node, k: Kernel, js: boolean): string | undefined {
  const written = new Set(
    inputParams(k)
      .filter((p) => p.kind === 'array' && p.container === 'array' && p.rank !== 2 && p.access !== 'read')
      .map((p) => p.name),
  );
  for (let n: ts.Node = stmt; n !== fn && !ts.isSourceFile(n); n = n.parent) {
    const block = n.parent;
    if (!ts.isBlock(block) && !ts.isSourceFile(block)) continue;
    for (const s of block.statements) {
      if (s.pos >= n.pos) continue;
      for (const { name, value, end } of arrayAssignments(s)) {
        if (!written.has(name) || namedBetween(fn, name, end, stmt.getStart())) continue;
        const literal = literalIn(value);
        if (literal && !js)
          return `the loop writes \`${name}\`, which may be an array literal of ${literal.elements.length} element(s) (\`${value.getText()}\`) that a JS loop may grow by writing past its end; the compiled kernel writes into a copy of the elements it had, so the results would differ (size it first, e.g. new Float64Array(n), then apply — or apply the js target, which keeps JS arrays)`;
        if (holeyArray(value))
          return `the loop writes \`${name}\`, made by \`${value.getText()}\` just before it: an array of holes (no numbers yet), which the compiled wrappers' guard refuses (it takes arrays of numbers), so the rewrite would not run there (make it new Float64Array(n), then apply)`;
      }
    }
  }
  return undefined;
}

/** The `name = value` of a statement: its declarations with an initializer, or an assignment statement. */
function arrayAssignments(s: ts.Statement): { name: string; value: ts.Expression; end: number }[] {
  if (ts.isVariableStatement(s))
    return s.declarationList.declarations.flatMap((d) =>
      ts.isIdentifier(d.name) && d.initializer
        ? [{ name: d.name.text, value: d.initializer, end: d.end }]
        : [],
    );
  const e = ts.isExpressionStatement(s) ? s.expression : undefined;
  if (
    e &&
    ts.isBinaryExpression(e) &&
    e.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    ts.isIdentifier(e.left)
  )
    return [{ name: e.left.text, value: e.right, end: e.end }];
  return [];
}

/** The array literal `value` may evaluate to: `[…]`, `x || []`, `x ?? []`, `c ? [] : x` (parentheses too). */
function literalIn(value: ts.Expression): ts.ArrayLiteralExpression | undefined {
  let e = value;
  while (ts.isParenthesizedExpression(e)) e = e.expression;
  if (ts.isArrayLiteralExpression(e)) return e;
  if (
    ts.isBinaryExpression(e) &&
    (e.operatorToken.kind === ts.SyntaxKind.BarBarToken ||
      e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)
  )
    return literalIn(e.right) ?? literalIn(e.left);
  if (ts.isConditionalExpression(e)) return literalIn(e.whenTrue) ?? literalIn(e.whenFalse);
  return undefined;
}

/** `new Array(n)` / `Array(n)`: an array of n holes. */
function holeyArray(e: ts.Expression): boolean {
  if (!ts.isNewExpression(e) && !ts.isCallExpression(e)) return false;
  return ts.isIdentifier(e.expression) && e.expression.text === 'Array' && (e.arguments?.length ?? 0) === 1;
}

/** True when an identifier `name` occurs in `root` between the offsets `from` and `to`. */
function namedBetween(root: ts.Node, name: string, from: number, to: number): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found || n.end <= from || n.pos >= to) return;
    if (ts.isIdentifier(n) && n.text === name && n.getStart() >= from && n.end <= to) found = true;
    else n.forEachChild(visit);
  };
  visit(root);
  return found;
}

/**
 * The `var`s declared only inside the loop (function-scoped) that the rest of its function also
 * names. One named only after the loop, and dead there (written before any read: dsp.js's
 * `RFFT.forward` reuses its first loop's `var i0` as a later loop's index), is declared again at the
 * call site (`redeclare`). Any other is why the loop cannot move (density-clustering's `KMEANS.run`:
 * `var maxDim` in the loop, read by the loops around it — a ReferenceError once moved).
 */
function varsLeaving(stmt: ts.Statement, fn: ts.Node): { why: string } | { redeclare: string[] } {
  const inside = new Set<string>();
  const outside = new Set<string>();
  const declared = (n: ts.Node, into: Set<string>, inFn: boolean): void => {
    if (inFn) return;
    if (ts.isVariableDeclarationList(n) && (n.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const)) === 0)
      for (const d of n.declarations) if (ts.isIdentifier(d.name)) into.add(d.name.text);
    n.forEachChild((c) => {
      declared(c, n === stmt ? inside : into, ts.isFunctionLike(c));
    });
  };
  fn.forEachChild((c) => {
    declared(c, c === stmt ? inside : outside, false);
  });
  const redeclare: string[] = [];
  for (const name of inside) {
    if (outside.has(name)) continue;
    const before = namedBetween(fn, name, fn.getStart(), stmt.getStart());
    const after = namedBetween(fn, name, stmt.end, fn.end);
    if (!before && !after) continue;
    if (!before && deadAfter(fn, stmt, name)) redeclare.push(name);
    else
      return {
        why: `the loop declares \`var ${name}\`, which the rest of the function also uses: moved out with the loop, it would be undeclared there`,
      };
  }
  return { redeclare };
}

/** The `const` keyword of the declaration of `name` before `stmt` in its block, when it is `const`. */
function constDeclaration(stmt: ts.Statement, name: string): { start: number; end: number } | undefined {
  const block = stmt.parent;
  if (!ts.isBlock(block) && !ts.isSourceFile(block)) return undefined;
  for (const s of block.statements) {
    if (s.pos >= stmt.pos || !ts.isVariableStatement(s)) continue;
    const list = s.declarationList;
    if (!list.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === name)) continue;
    if ((list.flags & ts.NodeFlags.Const) === 0) return undefined;
    const start = list.getStart();
    return { start, end: start + 'const'.length };
  }
  return undefined;
}

/** The top-level statement that holds `node` (where the extracted function goes after). */
function topLevelOf(sf: ts.SourceFile, node: ts.Node): ts.Node {
  let n = node;
  while (n.parent !== sf) n = n.parent;
  return n;
}

/**
 * The source variable each parameter stands for: its own name, except an accumulator's value on
 * entry (`acc_in`, declared in the body as `let acc = acc_in`), which is the variable `acc`.
 */
function sourceNames(k: Kernel): string[] {
  const entry = new Map<string, string>();
  // Only the lowering's `let acc = acc_in` (a run-time step's `let i0_0 = ix` copies a parameter too).
  for (const s of k.body)
    if (s.kind === 'let' && s.init.kind === 'var' && isEntryOf(s.init.name, s.name))
      entry.set(s.init.name, s.name);
  // A fresh output array is no argument: the wrapper allocates it and returns it.
  return inputParams(k).map((p) => entry.get(p.name) ?? p.name);
}

/** `acc_in`, `acc_in_2`… for `acc` (the lowering's uniqueName of `${name}_in`); `$` and all. */
const isEntryOf = (param: string, name: string): boolean =>
  param.startsWith(`${name}_in`) && /^(_\d+)?$/.test(param.slice(name.length + 3));

/** The live-out the call site assigns: the accumulator the kernel takes in and returns, the new array it fills, or none. */
function liveOut(k: Kernel): { name: string } | { none: true } | string {
  switch (k.result.kind) {
    case 'void':
      return { none: true };
    case 'array': {
      const name = k.result.name;
      return freshParams(k).some((p) => p.name === name) ? { name } : { none: true };
    }
    case 'scalar': {
      const e = k.result.expr;
      if (e.kind === 'var' && sourceNames(k).includes(e.name)) return { name: e.name };
      return `the loop's result is not one variable that it takes in and updates (${e.kind}); extract it by hand`;
    }
    default: {
      const never: never = k.result;
      return `unknown result ${String(never)}`;
    }
  }
}

/**
 * Several live-outs: the array parameter the kernel writes them into and returns (`liveOuts`, the
 * lowering's name, written at the end of the body as `liveOuts[j] = x`), and the variables in order.
 */
function liveOutArray(k: Kernel): { readonly param: string; readonly names: string[] } | undefined {
  if (k.result.kind !== 'array') return undefined;
  const param = k.result.name;
  const p = k.params.find((x) => x.name === param);
  if (!p || p.kind !== 'array' || p.container !== 'typed' || p.access !== 'write' || !/^liveOuts/.test(param))
    return undefined;
  const locals = new Set(
    k.body.flatMap((st) => (st.kind === 'let' && st.init.kind === 'var' ? [st.name] : [])),
  );
  const names: string[] = [];
  for (const st of k.body) {
    if (st.kind !== 'store' || st.array !== param) continue;
    if (st.index.kind !== 'const' || st.value.kind !== 'var' || !locals.has(st.value.name)) return undefined;
    names[st.index.value] = st.value.name;
  }
  return names.length > 1 && names.every((n) => typeof n === 'string') ? { param, names } : undefined;
}

/**
 * Plans extract-then-replace for a loop inside a larger function: the loop statement → a call of a
 * new function `<kernel>` (after the enclosing top-level statement) whose body calls the wrapper.
 */
export function planExtractedApply(req: ExtractRequest): ApplyPlan {
  const { sf, text, kernel: k, wrapper, functionName } = req;
  const refuse = (reason: string): ApplyPlan => ({
    ok: false,
    reason: `${functionName} does more than the loop, and the loop cannot be extracted into its own function: ${reason}`,
  });
  const stmt = loopStatementAt(sf, req.pos);
  if (!stmt) return refuse('the loop is an expression (.reduce/.map/.forEach call), not a loop statement');
  const hoisted = req.hoisted ?? new Map<string, string>();
  const fields = req.fields ?? new Map<string, string>();
  const why = immovable(stmt, new Set([...hoisted.values(), ...fields.values()]));
  if (why) return refuse(why);
  const leaving = varsLeaving(stmt, req.fn);
  if ('why' in leaving) return refuse(leaving.why);
  const out = liveOut(k);
  if (typeof out === 'string') return refuse(out);
  const params0 = inputParams(k);
  const multi = liveOutArray(k);
  const unbound = unboundParams(
    stmt,
    sourceNames(k).filter(
      (n, i) => !hoisted.has(params0[i]!.name) && !fields.has(n) && params0[i]!.name !== multi?.param,
    ),
  );
  if (unbound) return refuse(unbound);
  // The js target runs the loop on the caller's own arrays (a JS array still grows).
  const grows = growableWrites(stmt, req.fn, k, wrapper.target === 'js');
  if (grows) return refuse(grows);
  const isAsync =
    ts
      .getModifiers(req.fn as ts.FunctionLikeDeclaration)
      ?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword) ?? false;
  if (wrapper.async && !isAsync)
    return refuse(`the ${wrapper.target} wrapper returns a Promise but ${functionName} is not async`);
  const js = /\.(m|c)?jsx?$/i.test(sf.fileName);
  const nl = text.includes('\r\n') ? '\r\n' : '\n';
  const extracted = localNameFor(text, k.name, '');
  const local = localNameFor(text, k.name, wrapper.target);
  // The extracted function's parameters (a hoisted property read is named by its parameter), and the
  // call site's arguments (the property path itself, read where the loop read it: just before it).
  const names = sourceNames(k).map((n, i) => (hoisted.has(params0[i]!.name) ? params0[i]!.name : n));
  const args = names.join(', ');
  // A live-out `undefined` on entry and dead after the loop, or one the loop's initializer assigns
  // before anything reads it, is passed as NaN (see undefinedAndDead, assignedFirst); one only dead
  // after the loop is passed as itself, `undefined` as NaN (deadAfter: a native entry rejects it).
  // With them, the outer variables the loop writes that are dead after it (no result of the kernel,
  // but their value on entry is still a parameter).
  const entryOnly = sourceNames(k).filter((n, i) => n !== params0[i]!.name);
  const outs = [...new Set([...(multi?.names ?? ('name' in out ? [out.name] : [])), ...entryOnly])].filter(
    (n) => !fields.has(n),
  );
  const entryUndefined = new Set(
    outs.filter((n) => undefinedAndDead(req.fn, stmt, n) || assignedFirst(stmt, n)),
  );
  const entryDead = new Set(outs.filter((n) => !entryUndefined.has(n) && deadAfter(req.fn, stmt, n)));
  const outArray = multi ? localNameFor(text, multi.param, '') : '';
  const siteArgs = names
    .map(
      (n, i) =>
        hoisted.get(params0[i]!.name) ??
        fields.get(n) ??
        (multi && params0[i]!.name === multi.param
          ? outArray
          : entryUndefined.has(n)
            ? 'NaN'
            : entryDead.has(n)
              ? `(${n} === undefined ? NaN : ${n})`
              : n),
    )
    .join(', ');
  const awaitKw = wrapper.async ? 'await ' : '';
  const callText = `${awaitKw}${extracted}(${siteArgs})`;
  // `var`s the loop declared that later code reuses (dead after it) stay declared where it was.
  const redeclared = leaving.redeclare.length ? `var ${leaving.redeclare.join(', ')}; ` : '';
  // A synchronous rewrite writes its live-outs into one module-level array, made on the first call and
  // read back at once: a small Float64Array made per call cost a native call more than its arguments
  // (V8 keeps ≤ 64-byte typed arrays on its heap and moves each to a backing store when the addon asks
  // for its elements). An async one gets its own per call: calls may overlap.
  const scratch = multi !== undefined && !wrapper.async;
  const assignBack = multi
    ? multi.names.map((n, j) => `${fields.get(n) ?? n} = ${outArray}[${j}];`).join(' ')
    : '';
  const site =
    redeclared +
    (multi
      ? scratch
        ? `{ ${outArray} = ${outArray} || new Float64Array(${multi.names.length}); ${callText}; ${assignBack} }`
        : `{ ${js ? 'var' : 'const'} ${outArray} = new Float64Array(${multi.names.length}); ${callText}; ${assignBack} }`
      : 'name' in out
        ? `${fields.get(out.name) ?? out.name} = ${callText};`
        : `${callText};`);
  const params = inputParams(k)
    .map((p, i) => (js ? names[i]! : `${names[i]!}: ${paramType(p)}`))
    .join(', ');
  const rt = freshParams(k).length ? outerReturn(k) : returnType(k);
  const ret = js ? '' : `: ${wrapper.async ? `Promise<${rt}>` : rt}`;
  const keptIn = wrapper.originalPath ? `; the original is kept in ${wrapper.originalPath}` : '';
  const what = multi
    ? `${multi.names.map((n) => `\`${n}\``).join(', ')} returned in \`${multi.param}\``
    : 'name' in out
      ? `\`${out.name}\` returned`
      : 'the arrays it writes updated in place';
  const fnText = [
    `/** The loop of \`${functionName}\`, extracted by Hotloop (live-ins as parameters, ${what}). */`,
    `${wrapper.async ? 'async ' : ''}function ${extracted}(${params})${ret} {`,
    `  // Hotloop: ${wrapper.target} rewrite (undo to restore the loop${keptIn}).`,
    `  ${k.result.kind === 'void' ? '' : 'return '}${wrapper.async && k.result.kind === 'void' ? 'await ' : ''}${local}(${args});`,
    '}',
  ].join(nl);
  const top = topLevelOf(sf, req.fn);
  const decl = 'name' in out && freshParams(k).length ? constDeclaration(stmt, out.name) : undefined;
  const edits: TextEdit[] = [
    // `const ret = []` is assigned the wrapper's new array now: it becomes `let`.
    ...(decl ? [{ start: decl.start, end: decl.end, newText: 'let' }] : []),
    importEdit(
      sf,
      text,
      wrapperImportLine(moduleKind(sf, sf.fileName), wrapper, local) +
        (scratch
          ? `${nl}/** Hotloop: where ${extracted} leaves ${multi.names.map((n) => `\`${n}\``).join(', ')}. */${nl}${js ? `var ${outArray};` : `let ${outArray}: Float64Array | undefined;`}`
          : ''),
    ),
    { start: stmt.getStart(sf), end: stmt.end, newText: site },
    { start: top.end, end: top.end, newText: `${nl}${nl}${indentAt(text, top.getStart(sf))}${fnText}` },
  ].sort((a, b) => a.start - b.start);
  for (let i = 1; i < edits.length; i++) {
    if (edits[i]!.start < edits[i - 1]!.end) return refuse('internal: the edits overlap');
  }
  return {
    ok: true,
    edits,
    functionName,
    localName: local,
    summary: `extracted the loop of ${functionName} into ${extracted}(${siteArgs}), which calls the ${wrapper.target} rewrite (${wrapper.importPath})`,
  };
}
