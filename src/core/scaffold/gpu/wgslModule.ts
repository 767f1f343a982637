// The WGSL module around one loop's statements: the helpers, the uniform block, the storage
// bindings with bounds-checked access, the grid-stride loop (over one index, or over the pairs of a
// collapsed 2-deep nest), the loop-limit flag and the workgroup tree reduction.
import type { Expr, Reduction, Stmt } from '../../ir/types.js';
import { Lines } from '../../ir/stmtEmitter.js';
import { WGSL_HELPERS } from './wgslHelpers.js';
import type { ForStmt } from '../../ir/stmtEmitter.js';
import type { GemmMatch, RowMatch } from './wgslMatch.js';

export const WORKGROUP_SIZE = 64;

export const IDENTITY: Readonly<Record<Reduction['op'], string>> = {
  sum: '0.0',
  prod: '1.0',
  min: 'inf_f()',
  max: '(-inf_f())',
};

/** What the shader of one loop needs from the host. */
export interface LoopShader {
  readonly wgsl: string;
  /** Arrays in binding order (binding 1 + k), and whether the shader writes them. */
  readonly arrays: readonly { readonly name: string; readonly write: boolean }[];
  /** Float scalars (params and host locals) passed in the uniform block, in order. */
  readonly floats: readonly string[];
  /** Integer scalars (sizes, indices) passed in the uniform block, in order. */
  readonly ints: readonly string[];
  readonly reductions: readonly Reduction[];
  /** How the loop's iterations map to invocations (see {@link Shape}). */
  readonly layout: Shape['kind'];
}

/**
 * How a loop is laid out on the device: one invocation per index (the inner loops run inside it);
 * one per (i, j) of a collapsed 2-deep nest (`collapsible`); a workgroup-tiled gemm-shaped nest
 * (`gemmPattern`); one workgroup per row of a row reduction (`rowPattern`).
 */
export type Shape =
  | { readonly kind: 'index' }
  | { readonly kind: 'pair'; readonly inner: ForStmt }
  | { readonly kind: 'tile'; readonly gemm: GemmMatch }
  | { readonly kind: 'row'; readonly row: RowMatch };

/** What the shape-specific modules need of the loop emitter: texts of pieces of the loop, in scope. */
export interface PieceEmitter {
  /** `e` as an f32 expression, with the loop `indices` (i32) in scope. */
  exprIn(indices: readonly string[], e: Expr): string;
  /** Statements, unindented, with the loop `indices` (i32) and the f32 `locals` in scope. */
  stmtsIn(indices: readonly string[], locals: readonly string[], list: readonly Stmt[]): string;
}

/** What goes into one loop's module: the loop index, its statements' text and what they use. */
export interface ShaderParts {
  readonly index: string;
  /** The inner loop's index of a collapsed 2-deep nest: one invocation per (index, index2) pair. */
  readonly index2?: string;
  /** The loop body, already indented two levels. */
  readonly body: string;
  readonly arrays: readonly { readonly name: string; readonly write: boolean }[];
  readonly floats: readonly string[];
  readonly ints: readonly string[];
  readonly reductions: readonly Reduction[];
}

/**
 * Words of the uniform block before the scalars: start, step, count, total (the grid), start2, step2,
 * count2, pad (the inner loop of a collapsed nest), start3, step3, count3, pad3 (a tiled gemm's k).
 */
export const HEADER_WORDS = 12;

/** The binding of the loop-limit flag (after the arrays and the partials). */
export function flagBinding(arrays: number, reductions: number): number {
  return arrays + 1 + (reductions ? 1 : 0);
}

/** The uniform block, the bindings and their bounds-checked accessors, the reductions' workgroup arrays. */
export function declarations(out: Lines, { arrays, floats, ints, reductions }: ShaderParts): void {
  out.block(
    'struct Params',
    () => {
      out.line('start: i32,').line('step: i32,').line('count: u32,').line('total: u32,');
      out.line('start2: i32,').line('step2: i32,').line('count2: u32,').line('pad: u32,');
      out.line('start3: i32,').line('step3: i32,').line('count3: u32,').line('pad3: u32,');
      for (const n of ints) out.line(`i_${n}: i32,`);
      for (const n of floats) out.line(`f_${n}: f32,`);
      for (const a of arrays) out.line(`len_${a.name}: i32,`);
    },
    '};',
  );
  out.line('@group(0) @binding(0) var<uniform> P: Params;');
  arrays.forEach((a, k) => {
    out.line(
      `@group(0) @binding(${k + 1}) var<storage, ${a.write ? 'read_write' : 'read'}> a_${a.name}: array<f32>;`,
    );
  });
  if (reductions.length)
    out.line(`@group(0) @binding(${arrays.length + 1}) var<storage, read_write> partials: array<f32>;`);
  // Set when a loop ended while its condition still held: only a driver's loop limiter does that
  // (Mesa llvmpipe stops an invocation after 65,535 loop iterations in all, silently). The host
  // then discards the results and runs the original.
  out.line(
    `@group(0) @binding(${flagBinding(arrays.length, reductions.length)}) var<storage, read_write> limit_flag: array<atomic<u32>>;`,
  );
  out.line('fn limit_hit() { atomicMax(&limit_flag[0], 1u); }');
  for (const a of arrays) {
    out.line(
      `fn ld_${a.name}(i: i32) -> f32 { if (i < 0 || i >= P.len_${a.name}) { return nan_f(); } return a_${a.name}[i]; }`,
    );
    if (a.write)
      out.line(
        `fn st_${a.name}(i: i32, v: f32) { if (i >= 0 && i < P.len_${a.name}) { a_${a.name}[i] = v; } }`,
      );
  }
  for (const r of reductions) out.line(`var<workgroup> w_${r.name}: array<f32, ${WORKGROUP_SIZE}>;`);
}

/** The workgroup tree of the reductions, unrolled (a loop would count against a loop limiter). */
function tree(out: Lines, reductions: readonly Reduction[]): void {
  for (const r of reductions) out.line(`w_${r.name}[lid.x] = r_${r.name};`);
  out.line('workgroupBarrier();');
  for (let off = WORKGROUP_SIZE / 2; off > 0; off >>= 1) {
    out.line(`if (lid.x < ${off}u) {`).indent();
    for (const r of reductions)
      out.line(`w_${r.name}[lid.x] = ${combine(r, `w_${r.name}[lid.x]`, `w_${r.name}[lid.x + ${off}u]`)};`);
    out.dedent().line('}');
    out.line('workgroupBarrier();');
  }
  out.line('if (lid.x == 0u) {').indent();
  reductions.forEach((r, k) => out.line(`partials[group * ${reductions.length}u + ${k}u] = w_${r.name}[0];`));
  out.dedent().line('}');
}

/** The whole shader of one loop. */
export function shaderModule(parts: ShaderParts): string {
  const { index, index2, body, reductions } = parts;
  const out = new Lines();
  out.line(WGSL_HELPERS.trimEnd()).line();
  declarations(out, parts);
  out.line();
  out.line(`@compute @workgroup_size(${WORKGROUP_SIZE})`);
  out.line(
    'fn main(@builtin(local_invocation_id) lid: vec3u, @builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u) {',
  );
  out.indent();
  // Workgroups may be laid out in 2-D (x ≤ 65,535): linearised here.
  out.line('let group = wid.y * nwg.x + wid.x;');
  for (const r of reductions) out.line(`var r_${r.name}: f32 = ${IDENTITY[r.op]};`);
  out.line(`var t: u32 = group * ${WORKGROUP_SIZE}u + lid.x;`);
  out.line('for (; t < P.count; t += P.total) {').indent();
  if (index2 === undefined) out.line(`let v_${index}: i32 = P.start + i32(t) * P.step;`);
  else {
    out.line(`let v_${index}: i32 = P.start + i32(t / P.count2) * P.step;`);
    out.line(`let v_${index2}: i32 = P.start2 + i32(t % P.count2) * P.step2;`);
  }
  out.dedent().dedent();
  for (const l of body.trimEnd().split('\n')) out.line(l);
  out.indent().line('}');
  out.line('if (t < P.count) { limit_hit(); }');
  if (reductions.length) tree(out, reductions);
  out.dedent().line('}');
  return out.text();
}

/** `a ⊕ b` for the reduction's operator (JS semantics of min/max on NaN). */
export function combine(r: Reduction, a: string, b: string): string {
  switch (r.op) {
    case 'sum':
      return `${a} + ${b}`;
    case 'prod':
      return `${a} * ${b}`;
    case 'min':
      return `js_min(${a}, ${b})`;
    case 'max':
      return `js_max(${a}, ${b})`;
  }
}
