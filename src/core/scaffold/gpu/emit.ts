// The GPU target: a WGSL compute shader per top-level parallel loop plus TypeScript host code on
// WebGPU (the `webgpu` Dawn binding). The host runs the kernel's scalar statements in JS (f64) and
// dispatches each parallel loop; reductions are trees in workgroup memory, combined on the host.
// f32 throughout the shaders (WGSL core has no f64): the precision loss is stated in the README and
// the correctness check uses the f32 tolerance; kernels f32 cannot meet are declined.
import { GUARD_IMPORT, guardFunction, hasGuards } from '../common/guards.js';
import type { Kernel } from '../../ir/types.js';
import type { ForStmt } from '../../ir/stmtEmitter.js';
import type { EmitContext, EmitResult, Emitter, GeneratedFile } from '../types.js';
import {
  Lines,
  TsStmtEmitter,
  constTables,
  resultValue,
  returnType,
  signatureParams,
  truthyParams,
} from '../common/tsEmit.js';
import { allNames, fresh, stmtUses } from '../../ir/walk.js';
import { GPU_RUNTIME_TS } from './runtime.js';
import { GPU_BACKEND_TS } from './backend.js';
import { cudaFiles } from './cuda.js';
import { gpuShaders } from './shaders.js';
import { Declined, WORKGROUP_SIZE } from './wgsl.js';
import { TILE } from './wgslTiled.js';
import type { LoopShader } from './wgsl.js';

/**
 * Ulps of f32 the shaders' transcendental functions may be off by: WGSL only promises exp/exp2 to
 * 3 + 2·|x| ulp and log/log2 to 3 ulp (2⁻²¹ absolute near 1), and software rasterisers use fast
 * polynomial approximations; atan/atan2 (4096 ulp in WGSL) are replaced by our own (≈ 2 ulp).
 */
export const GPU_LIBM_ULPS = 16;

export { gpuShaders };

const LAYOUT: Readonly<Record<LoopShader['layout'], string>> = {
  index: 'one invocation per index',
  pair: 'one invocation per (outer, inner) index pair',
  tile: `${TILE}×${TILE} tiles of (outer, inner) pairs through workgroup memory, a 2×2 block per invocation`,
  row: 'one workgroup per row, a tree over the row in workgroup memory',
};

const REDUCE: Readonly<Record<string, (acc: string, v: string) => string>> = {
  sum: (a, v) => `${a} + ${v}`,
  prod: (a, v) => `${a} * ${v}`,
  min: (a, v) => `Math.min(${a}, ${v})`,
  max: (a, v) => `Math.max(${a}, ${v})`,
};

/** The wrapper's backend choice before WebGPU: the guard, HOTLOOP_GPU_BACKEND, CUDA where the scaffold has it. */
function choose(out: Lines, name: string, args: string, hasCuda: boolean, v: Record<string, string>): void {
  out.line(`const ${v.forced} = forcedBackend();`);
  out.line(`let ${v.why} = '';`);
  if (hasCuda) {
    out.block(`if (${v.forced} === undefined || ${v.forced} === 'cuda')`, () => {
      out.line(`const ${v.cuda} = cudaEntry<typeof original>('${name}');`);
      out.block(`if (typeof ${v.cuda} !== 'string')`, () => {
        out.line("chose('cuda', '');").line(`return ${v.cuda}(${args});`);
      });
      out.line(
        `if (${v.forced} === 'cuda') throw new Error('hotloop: HOTLOOP_GPU_BACKEND=cuda, but ' + ${v.cuda});`,
      );
      out.line(`${v.why} = 'CUDA: ' + ${v.cuda} + '; ';`);
    });
  } else {
    out.line(
      `if (${v.forced} === 'cuda') throw new Error('hotloop: HOTLOOP_GPU_BACKEND=cuda, but this scaffold has no CUDA version (scaffold it where nvcc is installed)');`,
    );
  }
  out.block(`if (${v.forced} === 'original')`, () => {
    out.line("chose('original', 'HOTLOOP_GPU_BACKEND=original');").line(`return original(${args});`);
  });
}

function indexFile(k: Kernel, name: string, shaders: readonly LoopShader[], hasCuda: boolean): string {
  const out = new Lines();
  const args = k.params.map((p) => p.name).join(', ');
  const arrays = [
    ...k.params.filter((p) => p.kind === 'array').map((p) => p.name),
    ...k.consts.map((c) => c.name),
  ];
  out.line(`import { ${name} as original } from './original.js';`);
  out.line("import { Call, Unsupported, device } from './runtime.js';");
  out.line("import type { LoopSpec } from './runtime.js';");
  out.line("import { chose, cudaEntry, forcedBackend } from './backend.js';");
  if (hasGuards(k)) out.line(GUARD_IMPORT);
  out.line("export { lastBackend } from './backend.js';");
  out.line();
  for (const c of constTables(k)) out.line(c);
  if (k.consts.length) out.line();
  shaders.forEach((s, i) => {
    out.line(
      `/** WGSL of parallel loop ${i} (${LAYOUT[s.layout]}, ${WORKGROUP_SIZE}-wide workgroups${s.reductions.length ? ', tree reduction' : ''}). */`,
    );
    out.line(`const LOOP${i}: LoopSpec = {`).indent();
    out.line(`wgsl: \`${s.wgsl.replace(/`/g, '\\`').trimEnd()}\`,`);
    out.line(`arrays: ${JSON.stringify(s.arrays)},`);
    out.line(`floats: ${JSON.stringify(s.floats)},`);
    out.line(`ints: ${JSON.stringify(s.ints)},`);
    out.line(`reductions: ${JSON.stringify(s.reductions)},`);
    out.line(`layout: '${s.layout}',`);
    out.dedent().line('};');
    out.line();
  });
  const truthy = truthyParams(k);
  const em = new TsStmtEmitter(undefined, stmtUses(k.body).assigns, undefined, truthy);
  const taken = allNames(k);
  const dev = fresh('dev', taken);
  const call = fresh('call', taken);
  let loopNo = 0;
  const onFor = (st: ForStmt, o: Lines): boolean => {
    const i = loopNo++;
    const s = shaders[i]!;
    // A truthy (boolean) parameter goes to the shader as the kernel's 1/0.
    const scalars = [...s.ints, ...s.floats]
      .map((n) => (truthy.has(n) ? `${n}: ${em.ex.num({ kind: 'var', name: n })}` : n))
      .join(', ');
    const red = s.reductions;
    const lhs = red.length ? `const [${red.map((r) => `p_${r.name}`).join(', ')}] = ` : '';
    const inner = s.layout === 'index' ? undefined : (st.body[s.layout === 'row' ? 1 : 0] as ForStmt);
    const kloop = s.layout === 'tile' && inner ? (inner.body[1] as ForStmt) : undefined;
    const bounds = (l: ForStmt): string => `[${em.ex.num(l.start)}, ${em.ex.num(l.end)}, ${l.step}]`;
    const nest = (inner ? `, ${bounds(inner)}` : '') + (kloop ? `, ${bounds(kloop)}` : '');
    o.line(
      `${lhs}await ${call}.loop(LOOP${i}, ${em.ex.num(st.start)}, ${em.ex.num(st.end)}, ${st.step}, { ${scalars} }${nest});`,
    );
    for (const r of red) o.line(`${r.name} = ${REDUCE[r.op]!(r.name, `p_${r.name}`)};`);
    return true;
  };
  if (hasGuards(k)) {
    guardFunction(out, k, name, signatureParams(k), { target: 'WebGPU', typed: 'numeric' });
    out.line();
  }
  out.line('/**');
  out.line(
    ` * \`${name}\` on the GPU (WebGPU compute, f32): same arguments as the original, returns a Promise.`,
  );
  out.line(
    ' * Without a WebGPU adapter, or for inputs the shaders do not take, it runs the original JavaScript.',
  );
  out.line(' */');
  out.block(`export async function ${name}(${signatureParams(k)}): Promise<${returnType(k)}>`, () => {
    if (hasGuards(k)) out.line(`if (!fastPathApplies(${args})) return original(${args});`);
    const v = { forced: fresh('forced', taken), why: fresh('why', taken), cuda: fresh('cuda', taken) };
    choose(out, name, args, hasCuda, v);
    out.line(`const ${dev} = await device();`);
    out.line(
      `if (!${dev} && ${v.forced} === 'webgpu') throw new Error('hotloop: HOTLOOP_GPU_BACKEND=webgpu, but there is no WebGPU device');`,
    );
    out.block(`if (!${dev})`, () => {
      out.line(`chose('original', ${v.why} + 'no WebGPU device');`).line(`return original(${args});`);
    });
    out.line(`const ${call} = new Call(${dev}, { ${arrays.join(', ')} });`);
    out.block(
      'try',
      () => {
        em.stmts(out, k.body, onFor);
        out.line(`await ${call}.finish();`);
        out.line(`chose('webgpu', ${v.why});`);
        if (k.result.kind === 'scalar') out.line(`return ${resultValue(k, em.ex.num(k.result.expr))};`);
        else if (k.result.kind === 'array') out.line(`return ${k.result.name};`);
      },
      '} catch (err) {',
    );
    out.indent();
    out.line(
      "// Nothing was written to the caller's arrays yet (that happens in finish()): the original can run.",
    );
    out.block('if (err instanceof Unsupported)', () => {
      out.line(`chose('original', ${v.why} + err.message);`).line(`return original(${args});`);
    });
    out.line('throw err;');
    out.dedent().line('} finally {');
    out.indent().line(`${call}.dispose();`).dedent().line('}');
  });
  return out.text();
}

/** The GPU (WebGPU/WGSL) emitter. */
export const gpuEmitter: Emitter = {
  target: 'gpu',
  title: 'GPU (WebGPU compute shader, f32)',
  properties: { reassociates: true, precision: 'f32', async: true, libmUlps: GPU_LIBM_ULPS },
  emit(k: Kernel, ctx: EmitContext): EmitResult {
    let shaders: LoopShader[];
    try {
      shaders = gpuShaders(k);
    } catch (err) {
      if (err instanceof Declined) return { ok: false, reason: `the GPU target declines: ${err.message}` };
      return {
        ok: false,
        reason: `cannot lower to WGSL: ${err instanceof Error ? err.message : String(err)}`,
      };
    }
    const cu = ctx.cuda ? cudaFiles(k, ctx.exportName) : undefined;
    const hasCuda = cu !== undefined && 'files' in cu;
    const files: GeneratedFile[] = [
      { path: 'index.ts', role: 'wrapper', contents: indexFile(k, ctx.exportName, shaders, hasCuda) },
      { path: 'runtime.ts', role: 'runtime', contents: GPU_RUNTIME_TS },
      { path: 'backend.ts', role: 'runtime', contents: GPU_BACKEND_TS },
    ];
    const reduces = shaders.some((s) => s.reductions.length > 0);
    const scripts: Record<string, string> = {};
    const cudaNotes: string[] = [];
    if (cu) {
      if ('files' in cu) {
        files.push(...cu.files);
        scripts['build:cuda'] = 'cd cuda && node-gyp rebuild';
        cudaNotes.push(
          '`cuda/` holds a CUDA version (f64 on the device, same loop plan) as a node-addon-api addon linked with the static CUDA runtime: `npm run build:cuda` where nvcc is installed; its `deviceCount()` says why it cannot run on a machine without a GPU.',
        );
      } else cudaNotes.push(`No CUDA version: ${cu.reason}`);
    }
    const notes = [
      'Computes in f32 (WGSL has no f64): expect about 7 significant digits, not 16. Inputs are converted to f32 on upload and results widened back.',
      `${shaders.length} compute shader${shaders.length > 1 ? 's' : ''}, ${WORKGROUP_SIZE} invocations per workgroup (portable to WebGPU compatibility mode).`,
      ...(reduces
        ? [
            'Reductions are trees in workgroup memory, partials combined on the host in f64: the summation order differs from the original.',
          ]
        : []),
      'The wrapper returns a Promise. Each call uploads its arrays and reads written ones back (≈ 7–11 ms for 1M f32 on a CPU adapter, far less on a GPU): worth it only for large n.',
      ...cudaNotes,
      'Without a GPU, Dawn runs on Mesa llvmpipe through OpenGL ES. HOTLOOP_WEBGPU_BACKEND forces a Dawn backend (vulkan, opengles, …) or `off`.',
      `Backends, best first: ${hasCuda ? 'CUDA (f64, where `cuda/` is built and a device exists) → ' : ''}WebGPU (f32) → the original JavaScript. HOTLOOP_GPU_BACKEND=${hasCuda ? 'cuda|' : ''}webgpu|original forces one (an error if it cannot run); \`lastBackend()\` says which one ran the last call and why the better ones did not.`,
    ];
    return {
      ok: true,
      files,
      notes,
      commands: { build: ['npm install', 'npm run build'], check: ['npm run check'] },
      dependencies: { webgpu: '^0.6.2', ...(ctx.cuda ? { 'node-addon-api': '^8.9.2' } : {}) },
      devDependencies: {
        typescript: '~6.0.3',
        '@types/node': '^20.19.0',
        ...(ctx.cuda ? { 'node-gyp': '^11.5.0' } : {}),
      },
      scripts,
      properties: {
        reassociates: reduces && k.orderSensitive,
        precision: 'f32',
        async: true,
        libmUlps: GPU_LIBM_ULPS,
      },
    };
  },
};
