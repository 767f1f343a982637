// Differential fuzz of the GPU (WebGPU/WGSL) emitter on the adapter this machine has — with no GPU,
// Dawn on Mesa llvmpipe through OpenGL ES: ≥ 100 random kernels (fixed seed; HOTLOOP_FUZZ_SEED /
// HOTLOOP_GPU_FUZZ_COUNT override) each run through its generated host code and shaders and compared
// with the IR interpreter and the original JS within the f32 tolerance. Plus declines with reasons,
// and the fallback to the original JS (one warning) when there is no adapter.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { transformSync } from 'esbuild';
import type { Kernel, KernelArg, KernelOutput } from '../../src/core/ir/types.js';
import { runKernel } from '../../src/core/ir/interpret.js';
import { cloneArgs, makeInputs } from '../../src/core/ir/random.js';
import { compareOutputs } from '../../src/core/ir/tolerance.js';
import { kernelToJs } from '../../src/core/ir/toJs.js';
import { printKernel } from '../../src/core/ir/print.js';
import { kernelToTs } from '../../src/core/scaffold/common/tsEmit.js';
import { GPU_LIBM_ULPS, gpuEmitter, gpuShaders } from '../../src/core/scaffold/gpu/emit.js';
import { GPU_RUNTIME_TS } from '../../src/core/scaffold/gpu/runtime.js';
import { LOCATE_TS } from '../../src/core/scaffold/wrapperSupport.js';
import { generateKernels } from '../support/kernelGen.js';
import { loadJs } from '../support/loadJs.js';
import { REPO } from './nativeBuild.js';
import {
  add,
  arrayParam,
  assign,
  call,
  for_,
  kernel,
  let_,
  load as ld,
  mul,
  num,
  ref,
  scalarParam,
  store,
} from '../../src/core/ir/build.js';

type Fn = (...args: KernelArg[]) => Promise<unknown>;
const seed = Number(process.env.HOTLOOP_FUZZ_SEED ?? 20261125);
const count = Number(process.env.HOTLOOP_GPU_FUZZ_COUNT ?? 100);
let dir = '';
const js = (ts: string): string => transformSync(ts, { loader: 'ts', format: 'esm', target: 'es2022' }).code;

function outputOf(k: Kernel, args: readonly KernelArg[], result: unknown): KernelOutput {
  const written: Record<string, KernelArg> = {};
  k.params.forEach((p, i) => {
    if (p.kind === 'array' && p.access !== 'read') written[p.name] = args[i]!;
  });
  return { result: result as KernelOutput['result'], written };
}

/** Writes a kernel's generated index + original next to the shared runtime and imports it. */
async function load(k: Kernel): Promise<Fn> {
  const r = gpuEmitter.emit(k, { exportName: k.name });
  if (!r.ok) throw new Error(r.reason);
  await writeFile(join(dir, `${k.name}.original.js`), js(kernelToTs(k)));
  const index = r.files
    .find((f) => f.path === 'index.ts')!
    .contents.replace("'./original.js'", `'./${k.name}.original.js'`);
  await writeFile(join(dir, `${k.name}.js`), js(index));
  const m = (await import(pathToFileURL(join(dir, `${k.name}.js`)).href)) as Record<string, Fn>;
  return m[k.name]!;
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hotloop-gpu-fuzz-'));
  await symlink(join(REPO, 'node_modules'), join(dir, 'node_modules'));
  await writeFile(join(dir, 'package.json'), '{ "type": "module" }\n');
  await writeFile(join(dir, 'runtime.js'), js(GPU_RUNTIME_TS));
  await writeFile(join(dir, 'locate.js'), js(LOCATE_TS));
});

after(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

test(`GPU scaffolds match the interpreter and the original JS within the f32 tolerance on ${count} random kernels (seed ${seed})`, async () => {
  const kernels = generateKernels({
    seed,
    count,
    patterns: ['map', 'reduce', 'map-reduce', 'stencil', 'gemv', 'gemm', 'conv', 'nested'],
    dtypes: ['f64', 'f32', 'array'],
    allowDiscontinuous: false,
  });
  const failures: string[] = [];
  const declined: string[] = [];
  for (const [i, k] of kernels.entries()) {
    if (process.env.HOTLOOP_GPU_DEBUG) console.error(`gpu fuzz: ${k.name}`);
    let fast: Fn;
    try {
      fast = await load(k);
    } catch (err) {
      declined.push(`${k.name}: ${String(err)}`);
      continue;
    }
    const original = loadJs(kernelToJs(k), k.name);
    const n = 40 + (i % 5) * 29;
    const inputs = makeInputs(k, { n, seed: seed + i });
    const expected = runKernel(k, cloneArgs(inputs));
    const jsArgs = cloneArgs(inputs);
    const viaJs = outputOf(k, jsArgs, original(...jsArgs));
    const args = cloneArgs(inputs);
    const actual = outputOf(k, args, await fast(...args));
    const opts = { n, reassociated: true, precision: 'f32' as const, inputs, libmUlps: GPU_LIBM_ULPS };
    for (const [what, ref] of [
      ['interpreter', expected],
      ['original JS', viaJs],
    ] as const) {
      const c = compareOutputs(ref, actual, k, opts);
      if (!c.ok) failures.push(`${k.name} vs ${what} (seed ${seed}, n ${n}): ${c.detail}\n${printKernel(k)}`);
    }
  }
  console.log(
    `gpu fuzz: ${kernels.length} kernels, ${kernels.length - declined.length} run on the WebGPU adapter, ${declined.length} declined`,
  );
  if (declined.length) console.log(declined.slice(0, 10).join('\n'));
  assert.equal(failures.length, 0, `${failures.length} mismatches:\n${failures.slice(0, 3).join('\n\n')}`);
  assert.ok(
    kernels.length - declined.length >= 100 || count < 100,
    `at least 100 kernels ran on the GPU (declined: ${declined.length})`,
  );
});

test('kernels f32 or a GPU cannot do are declined with the reason', () => {
  const [intK] = generateKernels({ seed, count: 1, patterns: ['map'], dtypes: ['i32'] });
  const r1 = gpuEmitter.emit(intK!, { exportName: 'f' });
  assert.ok(!r1.ok && /integer results must be exact/.test(r1.reason), !r1.ok ? r1.reason : 'emitted');
  const scan = generateKernels({ seed, count: 20, patterns: ['scan'], dtypes: ['f64'] }).find((k) =>
    k.body.some((s) => s.kind === 'for' && !s.parallel),
  )!;
  const r2 = gpuEmitter.emit(scan, { exportName: 'f' });
  assert.ok(!r2.ok && /sequential/.test(r2.reason), !r2.ok ? r2.reason : 'emitted');
});

test('without a WebGPU adapter the wrapper warns once and returns the original results', async () => {
  const [k] = generateKernels({ seed, count: 1, patterns: ['reduce'], dtypes: ['f64'] });
  await load(k!);
  const script = `
    import { ${k!.name} as f } from ${JSON.stringify(pathToFileURL(join(dir, `${k!.name}.js`)).href)};
    const a = Float64Array.from({ length: 50 }, (_, i) => i / 7);
    const args = ${JSON.stringify(k!.params.map((p) => (p.kind === 'array' ? 'A' : 50)))}.map((v) => (v === 'A' ? a : v));
    const r1 = await f(...args);
    const r2 = await f(...args);
    console.log(JSON.stringify({ r1, r2 }));
  `;
  const run = promisify(execFile);
  const { stdout, stderr } = await run(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, HOTLOOP_WEBGPU_BACKEND: 'off' },
  });
  const { r1, r2 } = JSON.parse(stdout.trim().split('\n').pop()!) as { r1: number; r2: number };
  const a = Float64Array.from({ length: 50 }, (_, i) => i / 7);
  const want = loadJs(kernelToJs(k!), k!.name)(...k!.params.map((p) => (p.kind === 'array' ? a : 50)));
  assert.equal(r1, want, 'the original JS result, exactly (f64)');
  assert.equal(r2, want);
  assert.equal(stderr.match(/\[HOTLOOP_FALLBACK\].*no WebGPU device/g)?.length, 1, `one warning:\n${stderr}`);
});

/** Random values in [-1, 1) for the arrays of `k` (sized by `sizes`) and the given scalars, by name. */
function argsOf(k: Kernel, sizes: Record<string, number>, scalars: Record<string, number>): KernelArg[] {
  let x = 12345;
  const rnd = (): number => (x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 30 - 1;
  return k.params.map((p) => {
    if (p.kind !== 'array') return scalars[p.name]!;
    const values = Array.from({ length: sizes[p.name]! }, rnd);
    return p.container === 'typed' && p.dtype === 'f32'
      ? Float32Array.from(values)
      : Float64Array.from(values);
  });
}

type Locate = { fallbackCount(): number };

// Mesa llvmpipe ends a shader invocation after 65,535 loop iterations in all and the output is
// silently wrong: a row-per-invocation gemm with p·q ≥ 65,535 returned partial sums. Now the nest is
// collapsed and tiled (a 2×2 block of C per invocation, ≈ q iterations each) and runs on the device.
test('a gemm whose rows are past llvmpipe’s loop limit runs tiled on the device, within f32', async () => {
  const k = generateKernels({ seed, count: 40, patterns: ['gemm'], dtypes: ['f64'] }).find(
    (g) => g.params.length === 6,
  )!;
  const r = gpuEmitter.emit(k, { exportName: k.name });
  assert.ok(
    r.ok && /16×16 tiles of \(outer, inner\) pairs through workgroup memory/.test(r.files[0]!.contents),
    'the nest is tiled',
  );
  const fast = await load(k);
  const [m, p, q] = [19, 257, 255]; // p·q = 65,535: one row is past the limit; no multiple of the tile
  const inputs = argsOf(k, { A: m * q, B: q * p, C: m * p }, { m, p, q });
  const locate = (await import(pathToFileURL(join(dir, 'locate.js')).href)) as Locate;
  const before = locate.fallbackCount();
  const jsArgs = cloneArgs(inputs);
  const want = outputOf(k, jsArgs, loadJs(kernelToJs(k), k.name)(...jsArgs));
  const args = cloneArgs(inputs);
  const got = outputOf(k, args, await fast(...args));
  assert.equal(locate.fallbackCount(), before, 'ran on the device, no fallback');
  const opts = { n: q, reassociated: true, precision: 'f32' as const, inputs, libmUlps: GPU_LIBM_ULPS };
  const c = compareOutputs(want, got, k, opts);
  assert.ok(c.ok, c.ok ? '' : c.detail);
});

// A row reduction past the limit runs as one workgroup per row (the row strided over 64 invocations).
test('a row reduction past llvmpipe’s loop limit runs one workgroup per row, within f32', async () => {
  const k = generateKernels({ seed, count: 40, patterns: ['gemv'], dtypes: ['f64'] }).find(
    (g) => g.params.length === 7,
  )!;
  assert.equal(gpuShaders(k)[0]!.layout, 'row');
  const fast = await load(k);
  const [m, n] = [3, 70_001];
  const inputs = argsOf(k, { A: m * n, x: n, y: m }, { m, n, alpha: 0.5, beta: 2 });
  const locate = (await import(pathToFileURL(join(dir, 'locate.js')).href)) as Locate;
  const before = locate.fallbackCount();
  const jsArgs = cloneArgs(inputs);
  const want = outputOf(k, jsArgs, loadJs(kernelToJs(k), k.name)(...jsArgs));
  const args = cloneArgs(inputs);
  const got = outputOf(k, args, await fast(...args));
  assert.equal(locate.fallbackCount(), before, 'ran on the device, no fallback');
  const opts = { n, reassociated: true, precision: 'f32' as const, inputs, libmUlps: GPU_LIBM_ULPS };
  const c = compareOutputs(want, got, k, opts);
  assert.ok(c.ok, c.ok ? '' : c.detail);
});

// A per-row recurrence (`s = s·c + a[i·n + j]`: no reduction, no shape takes it) loops over the whole
// row in one invocation. Past the limit on llvmpipe the shader's flag (a loop that ended with its
// condition still true) makes the wrapper drop the device's results and run the original, with a
// warning; elsewhere the device result stands.
test('a per-row loop past llvmpipe’s loop limit is caught and runs the original, stated', async () => {
  const [I, J] = [ref('i'), ref('j')];
  const k = kernel({
    name: 'rowHorner',
    params: [
      arrayParam('a', 'f64', 'read'),
      arrayParam('out', 'f64', 'write'),
      scalarParam('m'),
      scalarParam('n'),
    ],
    body: [
      for_(
        'i',
        num(0),
        ref('m'),
        [
          let_('s', num(0)),
          for_('j', num(0), ref('n'), [
            assign('s', add(mul(ref('s'), num(0.5)), ld('a', add(mul(I, ref('n')), J)))),
          ]),
          store('out', I, ref('s')),
        ],
        { parallel: [] },
      ),
    ],
    result: { kind: 'void' },
    pattern: 'nested',
  });
  assert.equal(gpuShaders(k)[0]!.layout, 'index');
  const fast = await load(k);
  const [m, n] = [3, 70_001];
  const inputs = argsOf(k, { a: m * n, out: m }, { m, n });
  const locate = (await import(pathToFileURL(join(dir, 'locate.js')).href)) as Locate;
  const runtime = (await import(pathToFileURL(join(dir, 'runtime.js')).href)) as { isLlvmpipe(): boolean };
  const before = locate.fallbackCount();
  const jsArgs = cloneArgs(inputs);
  const want = outputOf(k, jsArgs, loadJs(kernelToJs(k), k.name)(...jsArgs));
  const args = cloneArgs(inputs);
  const strict = process.env.HOTLOOP_STRICT;
  delete process.env.HOTLOOP_STRICT;
  let got: KernelOutput;
  try {
    got = outputOf(k, args, await fast(...args));
  } finally {
    if (strict !== undefined) process.env.HOTLOOP_STRICT = strict;
  }
  if (runtime.isLlvmpipe()) {
    assert.equal(locate.fallbackCount(), before + 1, 'the cut-short invocation was reported');
    assert.deepEqual(got, want, 'the original’s results, exactly');
  } else {
    const opts = { n, reassociated: true, precision: 'f32' as const, inputs, libmUlps: GPU_LIBM_ULPS };
    const c = compareOutputs(want, got, k, opts);
    assert.ok(c.ok, c.ok ? '' : c.detail);
  }
});

// The fuzz's gemms are smaller than one 16×16 tile: here sizes around and across tile edges, empty
// dimensions, NaN/±Infinity in the factors and a subarray view with a byteOffset.
test('tiled gemm matches the original JS within f32 on sizes around the tile', async () => {
  const kernels = generateKernels({ seed, count: 60, patterns: ['gemm'], dtypes: ['f64', 'f32'] });
  const shapes = [
    [1, 1, 1],
    [16, 16, 16],
    [17, 33, 15],
    [31, 47, 65],
    [0, 5, 3],
    [5, 0, 3],
    [5, 3, 0],
  ] as const;
  const failures: string[] = [];
  let runs = 0;
  for (const k of kernels.filter((g, i) => i < 6 || g.params.length > 6).slice(0, 8)) {
    assert.ok(gpuShaders(k)[0]!.layout === 'tile', `${k.name} is tiled`);
    const fast = await load(k);
    const original = loadJs(kernelToJs(k), k.name);
    for (const [m, p, q] of shapes) {
      const inputs = argsOf(k, { A: m * q, B: q * p, C: m * p }, { m, p, q, alpha: 0.75, beta: -1.5 });
      const A = inputs[0] as Float64Array | Float32Array;
      if (A.length > 2) [A[0], A[A.length - 1]] = [NaN, Infinity];
      const jsArgs = cloneArgs(inputs);
      const want = outputOf(k, jsArgs, original(...jsArgs));
      const args = cloneArgs(inputs);
      const view = new (A instanceof Float32Array ? Float32Array : Float64Array)(A.length + 3);
      view.set(A, 3);
      args[0] = view.subarray(3); // a view with a byteOffset
      const got = outputOf(k, args, await fast(...args));
      const opts = { n: q, reassociated: true, precision: 'f32' as const, inputs, libmUlps: GPU_LIBM_ULPS };
      const c = compareOutputs(want, got, k, opts);
      runs++;
      if (!c.ok) failures.push(`${k.name} ${m}×${p}×${q}: ${c.detail}\n${printKernel(k)}`);
    }
  }
  assert.equal(
    failures.length,
    0,
    `${failures.length}/${runs} mismatches:\n${failures.slice(0, 2).join('\n\n')}`,
  );
});

// Row reductions by workgroup tree: rows shorter and longer than the workgroup, empty rows, NaN/±Infinity,
// sum (gemv) and max.
test('row reductions by workgroup tree match the original JS within f32 across row lengths', async () => {
  const [I, J] = [ref('i'), ref('j')];
  const rowMax = kernel({
    name: 'rowMax',
    params: [
      arrayParam('a', 'f64', 'read'),
      arrayParam('out', 'f64', 'write'),
      scalarParam('m'),
      scalarParam('n'),
    ],
    body: [
      for_(
        'i',
        num(0),
        ref('m'),
        [
          let_('s', num(-Infinity)),
          for_(
            'j',
            num(0),
            ref('n'),
            [assign('s', call('max', ref('s'), ld('a', add(mul(I, ref('n')), J))))],
            {
              parallel: [{ name: 's', op: 'max' }],
            },
          ),
          store('out', I, ref('s')),
        ],
        { parallel: [] },
      ),
    ],
    result: { kind: 'void' },
    pattern: 'nested',
  });
  const gemvs = generateKernels({ seed, count: 10, patterns: ['gemv'], dtypes: ['f64', 'f32'] }).slice(0, 4);
  const failures: string[] = [];
  let runs = 0;
  for (const k of [rowMax, ...gemvs]) {
    assert.equal(gpuShaders(k)[0]!.layout, 'row', k.name);
    const fast = await load(k);
    const original = loadJs(kernelToJs(k), k.name);
    for (const [m, n] of [
      [1, 1],
      [5, 0],
      [3, 63],
      [70, 64],
      [2, 65],
      [9, 1000],
    ] as const) {
      const inputs = argsOf(k, { a: m * n, out: m, A: m * n, x: n, y: m }, { m, n, alpha: 0.5, beta: -2 });
      const a = inputs[0] as Float64Array | Float32Array;
      if (a.length > 3) [a[1], a[a.length - 2]] = [NaN, -Infinity];
      const jsArgs = cloneArgs(inputs);
      const want = outputOf(k, jsArgs, original(...jsArgs));
      const args = cloneArgs(inputs);
      const got = outputOf(k, args, await fast(...args));
      const opts = { n, reassociated: true, precision: 'f32' as const, inputs, libmUlps: GPU_LIBM_ULPS };
      const c = compareOutputs(want, got, k, opts);
      runs++;
      if (!c.ok) failures.push(`${k.name} ${m}×${n}: ${c.detail}\n${printKernel(k)}`);
    }
  }
  assert.equal(
    failures.length,
    0,
    `${failures.length}/${runs} mismatches:\n${failures.slice(0, 2).join('\n\n')}`,
  );
});
