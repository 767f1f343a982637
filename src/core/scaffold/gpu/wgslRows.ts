// A row reduction as one workgroup per row: `for i { let s = s0; for j { …s = s ⊕ t… } …rest }` where
// the loop over j is parallel with `s` its one reduction. The 64 invocations of a workgroup stride
// over j, combine their partials as a tree in workgroup memory, and the first one finishes the row
// (s0 ⊕ total, then the statements after the loop). No invocation loops over a whole row — a row
// may be 64 × llvmpipe's loop limit long — and a GPU's width goes to the row, not to the rows.
import type { Expr } from '../../ir/types.js';
import { hasLoad, readsVar } from '../../ir/walk.js';
import { numLitValue } from '../../ir/numLit.js';
import { Lines } from '../../ir/stmtEmitter.js';
import type { ForStmt } from '../../ir/stmtEmitter.js';
import { WGSL_HELPERS } from './wgslHelpers.js';
import { IDENTITY, WORKGROUP_SIZE, combine, declarations } from './wgslModule.js';
import type { RowMatch } from './wgslMatch.js';
import type { PieceEmitter, ShaderParts } from './wgslModule.js';

/** Matches a row reduction, or undefined (also for rows of a constant length under 64: one invocation per row is better there). */
export function rowPattern(outer: ForStmt): RowMatch | undefined {
  const [first, inner, ...rest] = outer.body;
  if (outer.parallel?.reductions.length || first?.kind !== 'let' || inner?.kind !== 'for') return undefined;
  if (inner.stepExpr || !Number.isInteger(inner.step) || inner.step <= 0) return undefined;
  const reds = inner.parallel?.reductions ?? [];
  const acc = reds[0];
  if (reds.length !== 1 || acc?.name !== first.name || inner.index === outer.index) return undefined;
  const local = (e: Expr): boolean => readsVar(e, outer.index) || readsVar(e, acc.name) || hasLoad(e);
  if (local(inner.start) || local(inner.end)) return undefined;
  if (inner.start.kind === 'const' && inner.end.kind === 'const') {
    const n = (numLitValue(inner.end.value) - numLitValue(inner.start.value)) / inner.step;
    if (n < WORKGROUP_SIZE) return undefined;
  }
  return { outer, inner, acc, init: first.init, rest };
}

/** The texts of a row reduction's pieces. */
export interface RowTexts {
  readonly m: RowMatch;
  /** The initial value, with v_i in scope. */
  readonly init: string;
  /** The body of the loop over j, with v_i and v_j in scope (updates of the accumulator go to r_acc). */
  readonly body: string;
  /** The statements after the loop, with v_i and the f32 variable v_<acc> in scope. */
  readonly rest: string;
}

/** Makes the texts (the emitter records what they use). */
export function rowTexts(em: PieceEmitter, m: RowMatch): RowTexts {
  const [i, j] = [m.outer.index, m.inner.index];
  return {
    m,
    init: em.exprIn([i], m.init),
    body: em.stmtsIn([i, j], [], m.inner.body),
    rest: em.stmtsIn([i], [m.acc.name], m.rest),
  };
}

function lines(out: Lines, text: string): void {
  for (const l of text.trimEnd().split('\n')) if (l.trim()) out.line(l);
}

/** The whole shader: a grid-stride loop over rows by workgroup, a strided loop over j by invocation. */
export function rowModule(t: RowTexts, parts: ShaderParts): string {
  const { acc } = t.m;
  const w = 'w_tree';
  const out = new Lines();
  out.line(WGSL_HELPERS.trimEnd()).line();
  declarations(out, parts);
  out.line(`var<workgroup> ${w}: array<f32, ${WORKGROUP_SIZE}>;`).line();
  out.line(`@compute @workgroup_size(${WORKGROUP_SIZE})`);
  out.line(
    'fn main(@builtin(local_invocation_id) lid: vec3u, @builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u) {',
  );
  out.indent().line('var row: u32 = wid.y * nwg.x + wid.x;');
  out.block('for (; row < P.count; row += P.total)', () => {
    out.line(`let v_${t.m.outer.index}: i32 = P.start + i32(row) * P.step;`);
    out.line(`var r_${acc.name}: f32 = ${IDENTITY[acc.op]};`);
    out.line('var jj: u32 = lid.x;');
    out.block(`for (; jj < P.count2; jj += ${WORKGROUP_SIZE}u)`, () => {
      out.line(`let v_${t.m.inner.index}: i32 = P.start2 + i32(jj) * P.step2;`);
      lines(out, t.body);
    });
    out.line('if (jj < P.count2) { limit_hit(); }');
    out.line(`${w}[lid.x] = r_${acc.name};`).line('workgroupBarrier();');
    for (let off = WORKGROUP_SIZE / 2; off > 0; off >>= 1) {
      out.line(
        `if (lid.x < ${off}u) { ${w}[lid.x] = ${combine(acc, `${w}[lid.x]`, `${w}[lid.x + ${off}u]`)}; }`,
      );
      out.line('workgroupBarrier();');
    }
    out.block('if (lid.x == 0u)', () => {
      out.line(`var v_${acc.name}: f32 = ${combine(acc, t.init, `${w}[0]`)};`);
      lines(out, t.rest);
    });
    out.line('workgroupBarrier();');
  });
  out.line('if (row < P.count) { limit_hit(); }');
  out.dedent().line('}');
  return out.text();
}
