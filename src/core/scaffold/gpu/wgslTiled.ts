// The gemm-shaped nest as a workgroup-tiled shader: `for i { for j { let s = s0; for k { s = s + X·Y }
// …rest } }` with X free of j and Y free of i. Each 64-invocation workgroup computes a 16×16 tile of
// (i, j), each invocation a 2×2 block of it in registers; X and Y are staged through workgroup
// memory 16 values of k at a time, so each is read once per tile instead of once per element. Every
// element still sums its terms in k order, one rounding per step, like the row-per-invocation shader.
import type { Expr } from '../../ir/types.js';
import { hasLoad, readsVar } from '../../ir/walk.js';
import { Lines } from '../../ir/stmtEmitter.js';
import type { ForStmt } from '../../ir/stmtEmitter.js';
import { WGSL_HELPERS } from './wgslHelpers.js';
import { WORKGROUP_SIZE, declarations } from './wgslModule.js';
import type { GemmMatch } from './wgslMatch.js';
import type { PieceEmitter, ShaderParts } from './wgslModule.js';

/** Rows and columns of (i, j) per workgroup, and values of k staged per step. */
export const TILE = 16;

/** Matches the gemm shape inside a collapsed nest (see `collapsible`), or undefined. */
export function gemmPattern(outer: ForStmt, inner: ForStmt): GemmMatch | undefined {
  const [first, k, ...rest] = inner.body;
  if (first?.kind !== 'let' || k?.kind !== 'for' || k.stepExpr || k.body.length !== 1) return undefined;
  if (!Number.isInteger(k.step) || k.step <= 0) return undefined;
  const acc = first.name;
  const [i, j] = [outer.index, inner.index];
  const local = (e: Expr): boolean => [i, j, acc].some((n) => readsVar(e, n));
  if ([k.start, k.end].some((e) => hasLoad(e) || local(e)) || [i, j, acc].includes(k.index)) return undefined;
  const upd = k.body[0]!;
  if (upd.kind !== 'assign' || upd.name !== acc || upd.value.kind !== 'bin' || upd.value.op !== '+')
    return undefined;
  const { left, right } = upd.value;
  const isAcc = (e: Expr): boolean => e.kind === 'var' && e.name === acc;
  const term = isAcc(left) ? right : isAcc(right) ? left : undefined;
  if (!term || term.kind !== 'bin' || term.op !== '*' || readsVar(term, acc)) return undefined;
  // Each factor reads k, one of i / j, and the host's scalars (uniforms): nothing else is in scope.
  for (const [x, y] of [
    [term.left, term.right],
    [term.right, term.left],
  ] as const) {
    if (!readsVar(x, j) && !readsVar(y, i)) return { outer, inner, acc, init: first.init, k, x, y, rest };
  }
  return undefined;
}

/** The texts of a gemm-shaped nest's pieces, made by the loop emitter (which records what they use). */
export interface TiledTexts {
  readonly m: GemmMatch;
  /** The initial value, with v_i and v_j in scope. */
  readonly init: string;
  /** X with v_i and v_k in scope; Y with v_k and v_j. */
  readonly x: string;
  readonly y: string;
  /** The statements after the k loop, with v_i, v_j and the f32 variable v_<acc> in scope. */
  readonly rest: string;
}

/** Makes the texts, each in the scope of the indices it may read (the emitter records what they use). */
export function tiledTexts(em: PieceEmitter, m: GemmMatch): TiledTexts {
  const [i, j, k] = [m.outer.index, m.inner.index, m.k.index];
  return {
    m,
    init: em.exprIn([i, j], m.init),
    x: em.exprIn([i, k], m.x),
    y: em.exprIn([k, j], m.y),
    rest: em.stmtsIn([i, j], [m.acc], m.rest),
  };
}

/** The 2×2 block of an invocation: offsets of its rows and columns within the tile. */
const BLOCK: readonly (readonly [number, number])[] = [
  [0, 0],
  [0, 8],
  [8, 0],
  [8, 8],
];

/** A block of its own (its lets do not clash with the next one's). */
function bare(out: Lines, body: () => void): void {
  out.line('{').indent();
  body();
  out.dedent().line('}');
}

function indexLets(out: Lines, m: GemmMatch, row: string | undefined, col: string | undefined): void {
  if (row) out.line(`let v_${m.outer.index}: i32 = P.start + i32(${row}) * P.step;`);
  if (col) out.line(`let v_${m.inner.index}: i32 = P.start2 + i32(${col}) * P.step2;`);
}

/** Stages X (rows × k) and Y (k × columns) of step k0 into workgroup memory, 4 values each per invocation. */
function stage(out: Lines, t: TiledTexts): void {
  const kk = (e: string): string => `let v_${t.m.k.index}: i32 = P.start3 + i32(${e}) * P.step3;`;
  for (let q = 0; q < (TILE * TILE) / WORKGROUP_SIZE; q++) {
    bare(out, () => {
      out.line(`let l = lid.x + ${q * WORKGROUP_SIZE}u;`);
      out.line(`let rr = l / ${TILE}u;`).line(`let cc = l % ${TILE}u;`);
      out.line('var x: f32 = 0.0;');
      out.block('if (row0 + rr < rows && k0 + cc < P.count3)', () => {
        indexLets(out, t.m, 'row0 + rr', undefined);
        out.line(kk('k0 + cc')).line(`x = ${t.x};`);
      });
      out.line('tX[l] = x;').line('var y: f32 = 0.0;');
      out.block('if (k0 + rr < P.count3 && col0 + cc < P.count2)', () => {
        indexLets(out, t.m, undefined, 'col0 + cc');
        out.line(kk('k0 + rr')).line(`y = ${t.y};`);
      });
      out.line('tY[l] = y;');
    });
  }
}

/** The whole tiled shader (no reductions: the outer loop of a collapsed nest has none). */
export function tiledModule(t: TiledTexts, parts: ShaderParts): string {
  const out = new Lines();
  out.line(WGSL_HELPERS.trimEnd()).line();
  declarations(out, parts);
  out.line(`var<workgroup> tX: array<f32, ${TILE * TILE}>;`);
  out.line(`var<workgroup> tY: array<f32, ${TILE * TILE}>;`).line();
  out.line(`@compute @workgroup_size(${WORKGROUP_SIZE})`);
  out.line(
    'fn main(@builtin(local_invocation_id) lid: vec3u, @builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u) {',
  );
  out.indent();
  out.line('let group = wid.y * nwg.x + wid.x;');
  out.line('let rows = P.count / P.count2;');
  out.line(`let tiles = (P.count2 + ${TILE - 1}u) / ${TILE}u;`);
  out.line(`let row0 = (group / tiles) * ${TILE}u;`).line(`let col0 = (group % tiles) * ${TILE}u;`);
  out.line('let ly = lid.x / 8u;').line('let lx = lid.x % 8u;');
  BLOCK.forEach(([dr, dc], e) => {
    out.line(`var acc${e}: f32 = 0.0;`);
    bare(out, () => {
      indexLets(out, t.m, `row0 + ly + ${dr}u`, `col0 + lx + ${dc}u`);
      out.line(`acc${e} = ${t.init};`);
    });
  });
  out.line(`let ktiles = (P.count3 + ${TILE - 1}u) / ${TILE}u;`);
  out.line('var kt: u32 = 0u;');
  out.block('for (; kt < ktiles; kt++)', () => {
    out.line(`let k0 = kt * ${TILE}u;`);
    stage(out, t);
    out.line('workgroupBarrier();');
    out.line(`let kn = min(${TILE}u, P.count3 - k0);`).line('var kk: u32 = 0u;');
    out.block('for (; kk < kn; kk++)', () => {
      out.line(`let x0 = tX[ly * ${TILE}u + kk];`).line(`let x1 = tX[(ly + 8u) * ${TILE}u + kk];`);
      out.line(`let y0 = tY[kk * ${TILE}u + lx];`).line(`let y1 = tY[kk * ${TILE}u + lx + 8u];`);
      out.line('acc0 = acc0 + x0 * y0;').line('acc1 = acc1 + x0 * y1;');
      out.line('acc2 = acc2 + x1 * y0;').line('acc3 = acc3 + x1 * y1;');
    });
    out.line('if (kk < kn) { limit_hit(); }');
    out.line('workgroupBarrier();');
  });
  out.line('if (kt < ktiles) { limit_hit(); }');
  BLOCK.forEach(([dr, dc], e) => {
    bare(out, () => {
      out.line(`let r = row0 + ly + ${dr}u;`).line(`let c = col0 + lx + ${dc}u;`);
      out.block('if (r < rows && c < P.count2)', () => {
        indexLets(out, t.m, 'r', 'c');
        out.line(`var v_${t.m.acc}: f32 = acc${e};`);
        for (const l of t.rest.trimEnd().split('\n')) if (l.trim()) out.line(l);
      });
    });
  });
  out.dedent().line('}');
  return out.text();
}
