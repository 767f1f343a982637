// The WebAssembly target: AssemblyScript generated from the IR, built with
// `asc … -O3 --runtime stub --enable simd`, behind a wrapper with the original signature.
import { GUARD_IMPORT, guardFunction, hasGuards } from '../common/guards.js';
import type { DType, Kernel } from '../../ir/types.js';
import type { EmitContext, EmitResult, Emitter, GeneratedFile } from '../types.js';
import { Lines, TYPED_CTOR, kernelArgs, resultValue, returnType, signatureParams } from '../common/tsEmit.js';
import { integerParams, kernelToAs } from './asEmit.js';
import { PRELUDE } from './prelude.js';
import { WASM_RUNTIME_TS } from './templates.js';

/** The asc command line (shared memory, so views on wasm memory survive memory growth). */
export const ASC_FLAGS = [
  '-O3',
  '--runtime',
  'stub',
  '--enable',
  'simd',
  '--enable',
  'threads',
  '--sharedMemory',
  '--maximumMemory',
  '65536',
];

/** The AssemblyScript module text for a list of kernel functions (one prelude). */
export function assemblyModule(functions: readonly string[]): string {
  return `${PRELUDE}\n${functions.join('\n')}`;
}

/** One kernel's exported AssemblyScript function (for batching many kernels into one module). */
export function emitAssemblyScript(
  k: Kernel,
  exportName: string,
  constPrefix = '',
): { ok: true; source: string; notes: string[]; reassociates: boolean } | { ok: false; reason: string } {
  try {
    return { ok: true, ...kernelToAs(k, exportName, constPrefix) };
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message : String(err) };
  }
}

function indexFile(k: Kernel, name: string, notes: readonly string[]): string {
  const out = new Lines();
  out.line(`import { ${name} as original } from './original.js';`);
  out.line(`import { WasmRuntime, type ArgSpec, type CallMode } from './runtime.js';`);
  if (hasGuards(k)) out.line(GUARD_IMPORT);
  out.line();
  out.line(`const runtime = new WasmRuntime('${name}');`);
  out.line();
  out.line(
    '/** How the kernel takes each argument: arrays in their element type (`write` ones are copied back), scalars. */',
  );
  const ints = integerParams(k);
  out.line('const ARGS: readonly ArgSpec[] = [');
  out.indent();
  for (const p of k.params) {
    if (p.kind === 'array') {
      const dtype = p.container === 'array' ? 'f64' : p.dtype;
      const kind = p.rank === 2 ? 'rows' : 'array';
      out.line(`{ kind: '${kind}', dtype: '${dtype}', write: ${p.access !== 'read'} }, // ${p.name}`);
    } else {
      out.line(
        `{ kind: 'scalar', int: ${ints.has(p.name)} }, // ${p.name}${ints.has(p.name) ? ' (an integer: sizes and indices)' : ''}`,
      );
    }
  }
  out.dedent().line('];');
  out.line();
  if (hasGuards(k)) {
    guardFunction(out, k, name, signatureParams(k), { target: 'wasm', typed: 'numeric' });
    out.line();
  }
  out.line('/**');
  out.line(` * \`${name}\` compiled to WebAssembly: same arguments and results as the original.`);
  for (const n of notes) out.line(` * - ${n}`);
  out.line(
    ' * Arrays from the `alloc…` helpers below live in wasm memory and are used in place; other arrays are',
  );
  out.line(
    ' * copied in (and written ones copied back) on every call — `lastCallMode()` says which happened.',
  );
  out.line(' */');
  const args = k.params.map((p) => p.name).join(', ');
  out.block(`export function ${name}(${signatureParams(k)}): ${returnType(k)}`, () => {
    if (hasGuards(k)) out.line(`if (!fastPathApplies(${args})) return original(${args});`);
    out.line(`const fast = runtime.call('${name}', ARGS, [${kernelArgs(k)}]);`);
    if (k.result.kind === 'void') {
      out.line(`if (fast === undefined) original(${args});`);
    } else {
      out.line(`if (fast === undefined) return original(${args});`);
      out.line(
        k.result.kind === 'scalar'
          ? `return ${resultValue(k, 'fast.value ?? NaN')};`
          : `return ${k.result.name};`,
      );
    }
  });
  const dtypes = new Set<DType>(
    k.params.flatMap((p) =>
      p.kind === 'array' && p.rank !== 2 ? [p.container === 'array' ? 'f64' : p.dtype] : [],
    ),
  );
  for (const d of dtypes) {
    const ctor = TYPED_CTOR[d];
    out.line();
    out.line(`/** A ${ctor} in wasm memory: \`${name}\` works on it in place, without copies. */`);
    out.block(`export function alloc${ctor}(length: number): ${ctor}`, () =>
      out.line(`return runtime.alloc('${d}', length);`),
    );
  }
  out.line();
  out.line(
    "/** How the last call ran: 'in-place' (wasm memory), 'copied' (arrays copied in and out) or 'original' (plain JS). */",
  );
  out.block('export function lastCallMode(): CallMode', () => out.line('return runtime.lastMode;'));
  return out.text();
}

/** The WebAssembly (AssemblyScript) emitter. */
export const wasmEmitter: Emitter = {
  target: 'wasm',
  title: 'WebAssembly (AssemblyScript, v128 SIMD)',
  properties: { reassociates: true, precision: 'f64', async: false },
  emit(k: Kernel, ctx: EmitContext): EmitResult {
    const as = emitAssemblyScript(k, ctx.exportName);
    if (!as.ok) return { ok: false, reason: `cannot lower to AssemblyScript: ${as.reason}` };
    const numberArrays = k.params.filter(
      (p) => p.kind === 'array' && p.container === 'array' && p.access !== 'read',
    );
    const rowArgs = k.params.filter((p) => p.kind === 'array' && p.rank === 2).map((p) => p.name);
    const notes = [
      ...as.notes,
      ...(rowArgs.length
        ? [
            `\`${rowArgs.join('`, `')}\` (arrays of rows) are copied into wasm memory on every call, the rows one after another with their offsets; a missing row throws the TypeError the JS throws.`,
          ]
        : []),
      'Transcendental Math functions call the host JS Math, so they match the original exactly.',
      'Float32Array data is computed in f64 like the original JS (SIMD applies to f64 data).',
    ];
    if (numberArrays.length)
      notes.push(
        `\`${numberArrays.map((p) => p.name).join('`, `')}\` (number[]${numberArrays.some((p) => p.kind === 'array' && p.rank === 2) ? ' or rows of number[]' : ''}) are written in place; unlike JS, writes past their length are dropped.`,
      );
    // @ts-nocheck: a host project's tsc that includes this folder must not check AssemblyScript (i32, @inline…).
    const kernelSource = `// @ts-nocheck — AssemblyScript, compiled by asc (npm run build), not by tsc.\n// AssemblyScript for \`${ctx.exportName}\`: arrays arrive as (pointer, length) pairs in wasm memory.\n\n${assemblyModule([as.source])}`;
    const files: GeneratedFile[] = [
      { path: 'assembly/kernel.ts', role: 'kernel', contents: kernelSource },
      {
        path: 'assembly/tsconfig.json',
        role: 'build',
        contents:
          JSON.stringify({ extends: 'assemblyscript/std/assembly.json', include: ['./**/*.ts'] }, null, 2) +
          '\n',
      },
      { path: 'index.ts', role: 'wrapper', contents: indexFile(k, ctx.exportName, as.notes) },
      { path: 'runtime.ts', role: 'runtime', contents: WASM_RUNTIME_TS },
    ];
    return {
      ok: true,
      files,
      notes,
      commands: { build: ['npm install', 'npm run build'], check: ['npm run check'] },
      dependencies: {},
      devDependencies: { assemblyscript: '^0.28.20', typescript: '~6.0.3', '@types/node': '^20.19.0' },
      properties: { reassociates: as.reassociates && k.orderSensitive, precision: 'f64', async: false },
    };
  },
};

/** The build script of a wasm scaffold (compiles assembly/kernel.ts to dist/kernel.wasm, then the wrapper). */
export function wasmBuildScript(): string {
  return `asc assembly/kernel.ts ${ASC_FLAGS.join(' ')} -o dist/kernel.wasm && tsc -p tsconfig.json`;
}
