// The fast copy of a versioned loop nest (versioning.ts has the analysis): the run-time guard,
// the hoisted int64 sizes, data pointers and lengths, loops with int64 bounds and unchecked element
// access, and unroll-and-jam of dot-product loops; the bounds-checked copy as the `else` branch.
import type { Expr } from '../../ir/types.js';
import { Lines } from '../common/tsEmit.js';
import { cppName } from './cppEmit.js';
import type { CppEmitter, Ty } from './cppEmit.js';
import { intervalCode, invName, MIN_STRIDED_TRIPS, planJam } from './versioning.js';
import type { ForStmt, NestPlan } from './versioning.js';
import { MIN_BLOCK, planInterchange } from './interchange.js';
import type { InterchangePlan } from './interchange.js';
import { planFission } from './fission.js';

/** A nest with a run-time guard: the fast copy when every access is proven in range, else the checked one. */
export function emitVersioned(em: CppEmitter, out: Lines, plan: NestPlan): void {
  const id = em.uid++;
  const lenOf = (a: string): string => `${em.arr(a).cname}.length`;
  const iv = (e: Expr): string => intervalCode(e, plan, cppName, (n) => `hl_iv${id}_${cppName(n)}`, lenOf);
  out.line('{').indent();
  const conds = new Set<string>();
  // Run-time steps: read once, whole numbers ≥ 1; a root loop with one must run enough iterations to
  // pay for the guard (checked first: a short loop skips the rest of the guard).
  const stepName = new Map<ForStmt, string>();
  for (const [l, e] of plan.steps) {
    const st = `hl_st${id}_${cppName(l.index)}`;
    stepName.set(l, st);
    out.line(`const double ${st} = ${em.num(e)};`);
    const trips =
      l === plan.root ? ` && ${em.num(l.end)} - ${em.num(l.start)} >= ${MIN_STRIDED_TRIPS} * ${st}` : '';
    conds.add(`${st} == std::trunc(${st}) && ${st} >= 1 && ${st} < 4.5e15${trips}`);
  }
  for (const l of plan.loops) {
    const st = stepName.get(l);
    out.line(
      st
        ? `const hotloop::Iv hl_iv${id}_${cppName(l.index)} = hotloop::ivLoopStep(${iv(l.start)}, ${iv(l.end)}, ${st});`
        : `const hotloop::Iv hl_iv${id}_${cppName(l.index)} = hotloop::ivLoop(${iv(l.start)}, ${iv(l.end)});`,
    );
  }
  for (const l of plan.loops) conds.add(`!std::isnan(hl_iv${id}_${cppName(l.index)}.lo)`);
  for (const n of plan.invariants) conds.add(`!std::isnan(hotloop::ivPoint(${cppName(n)}).lo)`);
  for (const a of plan.accesses) conds.add(`hotloop::ivIn(${iv(a.index)}, ${lenOf(a.array)})`);
  const list = [...conds];
  list.forEach((c, j) => out.line(`${j ? '    ' : 'if ('}${c}${j < list.length - 1 ? ' &&' : ') {'}`));
  out.indent();
  // The fast copy, emitted first so that its hoisted pointers/lengths are known.
  const body = new Lines();
  const outerHoisted = em.hoisted;
  em.hoisted = new Set();
  em.fast = plan;
  for (const [l, st] of stepName) em.fastSteps.set(l, `${st}_i`);
  em.stmt(body, plan.root);
  em.fast = undefined;
  out.line('HOTLOOP_PATH(1);');
  for (const st of stepName.values()) out.line(`const int64_t ${st}_i = static_cast<int64_t>(${st});`);
  for (const n of plan.invariants)
    out.line(`const int64_t ${invName(n, cppName)} = static_cast<int64_t>(${cppName(n)});`);
  for (const a of em.hoisted) {
    const { cname } = em.arr(a);
    out.line(`auto* const hl_p_${cname} = ${cname}.data;`);
    out.line(`const size_t hl_l_${cname} = ${cname}.length;`);
    out.line(`static_cast<void>(hl_p_${cname});`);
    out.line(`static_cast<void>(hl_l_${cname});`);
  }
  em.hoisted = outerHoisted;
  splice(out, body);
  out.dedent().line('} else {').indent();
  out.line('HOTLOOP_PATH(0);');
  em.checkedOnly++;
  em.stmt(out, plan.root);
  em.checkedOnly--;
  out.dedent().line('}');
  out.dedent().line('}');
}

/**
 * A loop of a fast copy: int64 index, bounds as int64 (exact), unchecked body; interchanged
 * (interchange.ts) when its run-time check holds, unroll-and-jam when it fits.
 */
export function emitFastFor(em: CppEmitter, out: Lines, st: ForStmt): void {
  const ic = em.interchange ? planInterchange(st, em.fast!, em.kernel, (a) => em.isConst(a)) : undefined;
  if (!ic) {
    emitPlainFastFor(em, out, st);
    return;
  }
  emitInterchanged(em, out, st, ic);
}

/**
 * The interchanged nest behind its run-time check (enough j, offsets apart, arrays disjoint), the
 * plain fast loop otherwise.
 */
function emitInterchanged(em: CppEmitter, out: Lines, J: ForStmt, ic: InterchangePlan): void {
  const x = `hl_x${em.uid++}`;
  const j = cppName(J.index);
  const I = ic.inner;
  const end = em.index(J.end);
  const S = em.fastSteps.get(I) ?? `INT64_C(${I.step})`;
  out.line('{').indent();
  out.line(`const int64_t ${x}_j0 = ${em.index(J.start)};`);
  out.line(`const int64_t ${x}_L = ${end} - ${x}_j0;`);
  out.line(`const int64_t ${x}_E = ${em.index(I.end)};`);
  out.line(`int64_t ${x}_o[] = {${ic.offsets.map((o) => em.index(o)).join(', ')}};`);
  // L ≤ E - j0 bounds the per-j buffer by the arrays' own sizes (the guard proved i < E in range).
  const conds = [
    `${x}_L >= ${MIN_BLOCK}`,
    `${x}_L <= ${x}_E - ${x}_j0`,
    `hotloop::blockFree(${x}_o, ${ic.offsets.length}, ${x}_L, ${S})`,
    ...ic.disjoint.map(([a, b]) => `hotloop::disjoint(${em.arr(a).cname}, ${em.arr(b).cname})`),
  ];
  out.line(`if (${conds.join(' && ')}) {`).indent();
  out.line('HOTLOOP_PATH(3);');
  const k = ic.snaps.length;
  if (k) {
    out.line(`static thread_local std::vector<double> ${x}_buf;`);
    out.line(`${x}_buf.resize(static_cast<size_t>(${x}_L) * ${k});`);
    out.line(`double* const ${x}_sb = ${x}_buf.data();`);
  }
  // Pass 1: pre and post for every j, in order; the values the body reads kept per j.
  out.line(`for (int64_t ${j} = ${x}_j0; ${j} < ${end}; ${j} += 1) {`).indent();
  em.withScope(new Map([[J.index, 'i64']]), () => {
    em.topLevel(out, ic.pre);
    ic.snaps.forEach((n, t) => out.line(`${x}_sb[${t} * ${x}_L + (${j} - ${x}_j0)] = ${cppName(n)};`));
    em.topLevel(out, ic.post);
  });
  out.dedent().line('}');
  // Pass 2: the body, one block of S indices at a time, j contiguous within it.
  out.line(`for (int64_t ${x}_b = ${x}_j0; ${x}_b < ${x}_E; ${x}_b += ${S}) {`).indent();
  out.line(
    `const int64_t ${x}_jn = ${x}_E - ${x}_b + ${x}_j0 < ${end} ? ${x}_E - ${x}_b + ${x}_j0 : ${end};`,
  );
  out.line(`for (int64_t ${j} = ${x}_j0; ${j} < ${x}_jn; ${j} += 1) {`).indent();
  out.line(`const int64_t ${cppName(I.index)} = ${x}_b + (${j} - ${x}_j0);`);
  const scope = new Map<string, Ty>([
    [J.index, 'i64'],
    [I.index, 'i64'],
  ]);
  ic.snaps.forEach((n, t) => {
    out.line(`const double ${cppName(n)} = ${x}_sb[${t} * ${x}_L + (${j} - ${x}_j0)];`);
    scope.set(n, 'f64');
  });
  em.withScope(scope, () => {
    em.stmts(out, I.body);
  });
  out.dedent().line('}');
  out.dedent().line('}');
  out.dedent().line('} else {').indent();
  emitPlainFastFor(em, out, J);
  out.dedent().line('}');
  out.dedent().line('}');
}

/** A loop of a fast copy without interchange. */
function emitPlainFastFor(em: CppEmitter, out: Lines, st: ForStmt): void {
  const i = cppName(st.index);
  const start = em.index(st.start);
  const end = em.index(st.end);
  const jam = em.jam > 1 ? planJam(st) : undefined;
  if (!jam) {
    const by = em.fastSteps.get(st) ?? String(st.step);
    const head = `for (int64_t ${i} = ${start}; ${i} < ${end}; ${i} += ${by}) {`;
    const fis = em.fission ? planFission(st, (a) => em.exactStore(a)) : undefined;
    out.line(head).indent();
    em.withScope(new Map([[st.index, 'i64']]), () => {
      em.stmts(out, fis ? fis.first : st.body);
    });
    out.dedent().line('}');
    if (!fis) return;
    // Fission (fission.ts): the running comparison over the values the first loop stored.
    out.line(`${head} // the arg-max of the stored values (fission)`).indent();
    em.withScope(new Map([[st.index, 'i64']]), () => {
      const v = em.num({ kind: 'load', array: fis.array, index: { kind: 'var', name: st.index } });
      out.line(`const double ${cppName(fis.value)} = ${v};`);
      em.withScope(new Map([[fis.value, 'f64']]), () => {
        em.stmt(out, fis.test);
      });
    });
    out.dedent().line('}');
    return;
  }
  const u = em.jam;
  const j0 = `hl_j${em.uid++}`;
  const a = (n: string): string => `hl_a_${cppName(n)}`;
  out.line('{').indent();
  out.line(`int64_t ${j0} = ${start};`);
  const dis = jam.disjoint.map(([x, y]) => `hotloop::disjoint(${em.arr(x).cname}, ${em.arr(y).cname})`);
  out.line(`if (${dis.join(' && ') || 'true'}) {`).indent();
  out.line('HOTLOOP_PATH(2);');
  out.line(`for (; ${j0} + ${(u - 1) * st.step} < ${end}; ${j0} += ${u * st.step}) {`).indent();
  for (const l of jam.pre) out.line(`double ${a(l.name)}[${u}];`);
  // Each phase runs the U iterations in order, with the index and the per-iteration locals rebound.
  const each = (emit: () => void): void => {
    out.line(`for (int hl_u = 0; hl_u < ${u}; hl_u++) {`).indent();
    out.line(`const int64_t ${i} = ${j0} + hl_u * ${st.step};`);
    out.line(`static_cast<void>(${i});`);
    const scope = new Map<string, Ty>([[st.index, 'i64']]);
    for (const l of jam.pre) {
      out.line(`double& ${cppName(l.name)} = ${a(l.name)}[hl_u];`);
      scope.set(l.name, 'f64');
    }
    em.withScope(scope, emit);
    out.dedent().line('}');
  };
  each(() => {
    for (const l of jam.pre) out.line(`${cppName(l.name)} = ${em.num(l.init)};`);
  });
  const p = jam.inner;
  const pi = cppName(p.index);
  out
    .line(`for (int64_t ${pi} = ${em.index(p.start)}; ${pi} < ${em.index(p.end)}; ${pi} += ${p.step}) {`)
    .indent();
  em.withScope(new Map([[p.index, 'i64']]), () => {
    each(() => {
      em.stmts(out, p.body);
    });
  });
  out.dedent().line('}');
  each(() => {
    em.stmts(out, jam.post);
  });
  out.dedent().line('}');
  out.dedent().line('}');
  // The remaining iterations (all of them when the arrays overlap), one at a time.
  out.line(`for (int64_t ${i} = ${j0}; ${i} < ${end}; ${i} += ${st.step}) {`).indent();
  em.withScope(new Map([[st.index, 'i64']]), () => {
    em.stmts(out, st.body);
  });
  out.dedent().line('}');
  out.dedent().line('}');
}

/** Appends lines emitted separately (relative indentation kept). */
function splice(out: Lines, body: Lines): void {
  for (const line of body.text().replace(/\n$/, '').split('\n')) out.line(line);
}
