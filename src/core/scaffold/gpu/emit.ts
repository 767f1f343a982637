// The GPU target: a WGSL compute shader per top-level parallel loop plus TypeScript host code on
// WebGPU (the `webgpu` Dawn binding). The host runs the kernel's scalar statements in JS (f64) and
// dispatches each parallel loop; reductions are trees in workgroup memory, combined on the host.
// f32 throughout the shaders (WGSL core has no f64): the precision loss is stated in the README and
// the correctness check uses the f32 tolerance; kernels f32 cannot meet are declined.
import { guardFunction, hasGuards } from '../common/guards.js';
import type { Expr, Kernel, Stmt } from '../../ir/types.js';
import type { EmitContext, EmitResult, Emitter, GeneratedFile } from '../types.js';
import { Lines, TsStmtEmitter, constTables, returnType, signatureParams } from '../common/tsEmit.js';
import { integerParams } from '../wasm/asEmit.js';
import { allNames, fresh, stmtUses } from '../../ir/walk.js';
import { unsupportedForm } from '../common/support.js';
import { GPU_RUNTIME_TS } from './runtime.js';
import { cudaFiles } from './cuda.js';
import { Declined, WgslLoopEmitter, WORKGROUP_SIZE } from './wgsl.js';
import type { LoopShader } from './wgsl.js';

type ForStmt = Extract<Stmt, { kind: 'for' }>;

/**
 * Ulps of f32 the shaders' transcendental functions may be off by: WGSL only promises exp/exp2 to
 * 3 + 2·|x| ulp and log/log2 to 3 ulp (2⁻²¹ absolute near 1), and software rasterisers use fast
 * polynomial approximations; atan/atan2 (4096 ulp in WGSL) are replaced by our own (≈ 2 ulp).
 */
export const GPU_LIBM_ULPS = 16;

function touchesArrays(e: Expr): boolean {
  switch (e.kind) {
    // An element read needs the device's copy; a length (\`xs.length\`) is known on the host.
    case 'load':
      return true;
    case 'bin':
      return touchesArrays(e.left) || touchesArrays(e.right);
    case 'un':
      return touchesArrays(e.arg);
    case 'call':
      return e.args.some(touchesArrays);
    case 'select':
      return touchesArrays(e.cond) || touchesArrays(e.then) || touchesArrays(e.else);
    default:
      return false;
  }
}

/** Checks the host-side statements (everything outside the parallel loops) and collects the loops. */
function hostPlan(k: Kernel): ForStmt[] {
  const loops: ForStmt[] = [];
  const visit = (list: readonly Stmt[], top: boolean): void => {
    for (const st of list) {
      switch (st.kind) {
        case 'let':
          if (touchesArrays(st.init))
            throw new Declined(`'${st.name}' is computed from array elements outside a parallel loop`);
          break;
        case 'assign':
          if (touchesArrays(st.value))
            throw new Declined(`'${st.name}' is computed from array elements outside a parallel loop`);
          break;
        case 'store':
          throw new Declined('stores outside a parallel loop');
        case 'if':
          if (touchesArrays(st.cond))
            throw new Declined('a condition on array elements outside a parallel loop');
          visit(st.then, false);
          visit(st.else, false);
          break;
        case 'for':
          if (!st.parallel)
            throw new Declined(
              `the loop over '${st.index}' carries a dependence from one iteration to the next (e.g. a scan): it is sequential`,
            );
          if (!top) throw new Declined('a parallel loop inside a condition');
          if (touchesArrays(st.start) || touchesArrays(st.end))
            throw new Declined('a loop bound read from array elements');
          loops.push(st);
          break;
      }
    }
  };
  visit(k.body, true);
  if (k.result.kind === 'scalar' && touchesArrays(k.result.expr))
    throw new Declined('the result reads array elements outside a loop');
  if (loops.length === 0) throw new Declined('no parallel loop to run on the GPU');
  return loops;
}

/** The shaders of a kernel's parallel loops, in order; throws Declined with the reason. */
export function gpuShaders(k: Kernel): LoopShader[] {
  const form = unsupportedForm(k, 'GPU', {
    breakContinue: false,
    return: false,
    throw: false,
    steps: false,
    rank2: false,
  });
  if (form) throw new Declined(form);
  for (const p of k.params) {
    if (p.kind === 'array' && p.container === 'typed' && p.dtype !== 'f64' && p.dtype !== 'f32') {
      throw new Declined(
        `${p.dtype} array '${p.name}': integer results must be exact and f32 arithmetic cannot promise that`,
      );
    }
  }
  const ints = integerParams(k);
  return hostPlan(k).map((loop) => new WgslLoopEmitter(k, loop, ints).emit());
}

const REDUCE: Readonly<Record<string, (acc: string, v: string) => string>> = {
  sum: (a, v) => `${a} + ${v}`,
  prod: (a, v) => `${a} * ${v}`,
  min: (a, v) => `Math.min(${a}, ${v})`,
  max: (a, v) => `Math.max(${a}, ${v})`,
};

function indexFile(k: Kernel, name: string, shaders: readonly LoopShader[]): string {
  const out = new Lines();
  const args = k.params.map((p) => p.name).join(', ');
  const arrays = [
    ...k.params.filter((p) => p.kind === 'array').map((p) => p.name),
    ...k.consts.map((c) => c.name),
  ];
  out.line(`import { ${name} as original } from './original.js';`);
  out.line("import { Call, Unsupported, device } from './runtime.js';");
  out.line("import type { LoopSpec } from './runtime.js';");
  out.line();
  for (const c of constTables(k)) out.line(c);
  if (k.consts.length) out.line();
  shaders.forEach((s, i) => {
    out.line(
      `/** WGSL of parallel loop ${i} (one invocation per index, ${WORKGROUP_SIZE}-wide workgroups${s.reductions.length ? ', tree reduction' : ''}). */`,
    );
    out.line(`const LOOP${i}: LoopSpec = {`).indent();
    out.line(`wgsl: \`${s.wgsl.replace(/`/g, '\\`').trimEnd()}\`,`);
    out.line(`arrays: ${JSON.stringify(s.arrays)},`);
    out.line(`floats: ${JSON.stringify(s.floats)},`);
    out.line(`ints: ${JSON.stringify(s.ints)},`);
    out.line(`reductions: ${JSON.stringify(s.reductions)},`);
    out.dedent().line('};');
    out.line();
  });
  const em = new TsStmtEmitter(undefined, stmtUses(k.body).assigns);
  const taken = allNames(k);
  const dev = fresh('dev', taken);
  const call = fresh('call', taken);
  let loopNo = 0;
  const onFor = (st: ForStmt, o: Lines): boolean => {
    const i = loopNo++;
    const s = shaders[i]!;
    const scalars = [...s.ints, ...s.floats].join(', ');
    const red = s.reductions;
    const lhs = red.length ? `const [${red.map((r) => `p_${r.name}`).join(', ')}] = ` : '';
    o.line(
      `${lhs}await ${call}.loop(LOOP${i}, ${em.ex.num(st.start)}, ${em.ex.num(st.end)}, ${st.step}, { ${scalars} });`,
    );
    for (const r of red) o.line(`${r.name} = ${REDUCE[r.op]!(r.name, `p_${r.name}`)};`);
    return true;
  };
  if (hasGuards(k)) {
    guardFunction(out, k, name, signatureParams(k));
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
    out.line(`const ${dev} = await device();`);
    out.line(`if (!${dev}) return original(${args});`);
    out.line(`const ${call} = new Call(${dev}, { ${arrays.join(', ')} });`);
    out.block(
      'try',
      () => {
        em.stmts(out, k.body, onFor);
        out.line(`await ${call}.finish();`);
        if (k.result.kind === 'scalar') out.line(`return ${em.ex.num(k.result.expr)};`);
        else if (k.result.kind === 'array') out.line(`return ${k.result.name};`);
      },
      '} catch (err) {',
    );
    out.indent();
    out.line(
      "// Nothing was written to the caller's arrays yet (that happens in finish()): the original can run.",
    );
    out.line(`if (err instanceof Unsupported) return original(${args});`);
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
    const files: GeneratedFile[] = [
      { path: 'index.ts', role: 'wrapper', contents: indexFile(k, ctx.exportName, shaders) },
      { path: 'runtime.ts', role: 'runtime', contents: GPU_RUNTIME_TS },
    ];
    const reduces = shaders.some((s) => s.reductions.length > 0);
    const scripts: Record<string, string> = {};
    const cudaNotes: string[] = [];
    if (ctx.cuda) {
      const cu = cudaFiles(k, ctx.exportName);
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
