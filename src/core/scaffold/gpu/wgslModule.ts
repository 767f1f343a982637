// The WGSL module around one loop's statements: the helpers, the uniform block, the storage
// bindings with bounds-checked access, the grid-stride loop and the workgroup tree reduction.
import type { Reduction } from '../../ir/types.js';
import { Lines } from '../../ir/stmtEmitter.js';
import { WGSL_HELPERS } from './wgslHelpers.js';

export const WORKGROUP_SIZE = 64;

const IDENTITY: Readonly<Record<Reduction['op'], string>> = {
  sum: '0.0',
  prod: '1.0',
  min: 'inf_f()',
  max: '(-inf_f())',
};

/** What goes into one loop's module: the loop index, its statements' text and what they use. */
export interface ShaderParts {
  readonly index: string;
  /** The loop body, already indented two levels. */
  readonly body: string;
  readonly arrays: readonly { readonly name: string; readonly write: boolean }[];
  readonly floats: readonly string[];
  readonly ints: readonly string[];
  readonly reductions: readonly Reduction[];
}

/** The whole shader of one loop. */
export function shaderModule({ index, body, arrays, floats, ints, reductions }: ShaderParts): string {
  const out = new Lines();
  out.line(WGSL_HELPERS.trimEnd()).line();
  out.block(
    'struct Params',
    () => {
      out.line('start: i32,').line('step: i32,').line('count: u32,').line('total: u32,');
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
  out.line();
  out.line(`@compute @workgroup_size(${WORKGROUP_SIZE})`);
  out.line(
    'fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(local_invocation_id) lid: vec3u, @builtin(workgroup_id) wid: vec3u) {',
  );
  out.indent();
  for (const r of reductions) out.line(`var r_${r.name}: f32 = ${IDENTITY[r.op]};`);
  out.line('for (var t: u32 = gid.x; t < P.count; t += P.total) {').indent();
  out.line(`let v_${index}: i32 = P.start + i32(t) * P.step;`);
  out.dedent();
  out.line(body.trimEnd());
  out.indent().line('}');
  if (reductions.length) {
    for (const r of reductions) out.line(`w_${r.name}[lid.x] = r_${r.name};`);
    out.line('workgroupBarrier();');
    out.line(`for (var off: u32 = ${WORKGROUP_SIZE / 2}u; off > 0u; off = off >> 1u) {`).indent();
    out.line('if (lid.x < off) {').indent();
    for (const r of reductions)
      out.line(`w_${r.name}[lid.x] = ${combine(r, `w_${r.name}[lid.x]`, `w_${r.name}[lid.x + off]`)};`);
    out.dedent().line('}');
    out.line('workgroupBarrier();');
    out.dedent().line('}');
    out.line('if (lid.x == 0u) {').indent();
    reductions.forEach((r, k) =>
      out.line(`partials[wid.x * ${reductions.length}u + ${k}u] = w_${r.name}[0];`),
    );
    out.dedent().line('}');
  }
  out.dedent().line('}');
  return out.text();
}

function combine(r: Reduction, a: string, b: string): string {
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
