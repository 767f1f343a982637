// Differential fuzz of the GPU (WebGPU/WGSL) emitter on the adapter this machine has — with no GPU,
// Dawn on Mesa llvmpipe through OpenGL ES: ≥ 100 random kernels (fixed seed; HOTLOOP_FUZZ_SEED /
// HOTLOOP_GPU_FUZZ_COUNT override) each run through its generated host code and shaders and compared
// with the IR interpreter and the original JS within the f32 tolerance. Plus declines with reasons,
// and the fallback to the original JS (one warning) when there is no adapter.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { KernelArg } from '../../src/core/ir/types.js';
import { runKernel } from '../../src/core/ir/interpret.js';
import { cloneArgs, makeInputs } from '../../src/core/ir/random.js';
import { compareOutputs } from '../../src/core/ir/tolerance.js';
import { kernelToJs } from '../../src/core/ir/toJs.js';
import { printKernel } from '../../src/core/ir/print.js';
import { kernelToTs } from '../../src/core/scaffold/common/tsEmit.js';
import { GPU_LIBM_ULPS, gpuEmitter } from '../../src/core/scaffold/gpu/emit.js';
import { hasNvcc } from '../../src/core/scaffold/gpu/nvcc.js';
import { generateKernels } from '../support/kernelGen.js';
import { loadJs } from '../support/loadJs.js';
import { buildAddon } from './nativeBuild.js';
import { GpuScaffoldDir, RUNTIME_FILES, argsOf, js, outputOf } from './gpuScaffoldSupport.js';
import type { Fn } from './gpuScaffoldSupport.js';

const seed = Number(process.env.HOTLOOP_FUZZ_SEED ?? 20261125);
const count = Number(process.env.HOTLOOP_GPU_FUZZ_COUNT ?? 100);
const g = new GpuScaffoldDir();
before(() => g.open());
after(() => g.close());

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
      fast = await g.load(k);
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
  await g.load(k!);
  const script = `
    import { ${k!.name} as f } from ${JSON.stringify(pathToFileURL(join(g.dir, `${k!.name}.js`)).href)};
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

// One wrapper, best backend first: CUDA (here: not built, so skipped with the reason) → WebGPU → the
// original; HOTLOOP_GPU_BACKEND forces one and a forced backend that cannot run is an error.
test('the wrapper picks CUDA → WebGPU → original, HOTLOOP_GPU_BACKEND forces one, and reports the choice', async () => {
  const [k] = generateKernels({ seed, count: 1, patterns: ['reduce'], dtypes: ['f64'] });
  const m = await g.loadModule(k!, true);
  const f = m[k!.name] as Fn;
  const lastBackend = m.lastBackend as () => { backend: string; why: string } | undefined;
  const args = (): KernelArg[] => argsOf(k!, { a: 1000, b: 1000, x: 1000, y: 1000 }, { n: 1000, alpha: 0.5 });
  const want = loadJs(kernelToJs(k!), k!.name)(...args());
  const saved = process.env.HOTLOOP_GPU_BACKEND;
  try {
    delete process.env.HOTLOOP_GPU_BACKEND;
    const got = await f(...args());
    const auto = lastBackend();
    assert.equal(auto?.backend, 'webgpu', JSON.stringify(auto));
    assert.match(auto.why, /CUDA: the CUDA addon is not built/);
    assert.ok(Math.abs((got as number) - (want as number)) <= 1e-3 * Math.max(1, Math.abs(want as number)));
    process.env.HOTLOOP_GPU_BACKEND = 'original';
    assert.equal(await f(...args()), want, 'the original, exactly');
    assert.equal(lastBackend()?.backend, 'original');
    process.env.HOTLOOP_GPU_BACKEND = 'cuda';
    await assert.rejects(f(...args()), /HOTLOOP_GPU_BACKEND=cuda, but the CUDA addon is not built/);
    process.env.HOTLOOP_GPU_BACKEND = 'tpu';
    await assert.rejects(f(...args()), /HOTLOOP_GPU_BACKEND=tpu is not a backend/);
    process.env.HOTLOOP_GPU_BACKEND = 'webgpu';
    await f(...args());
    assert.deepEqual(lastBackend(), { backend: 'webgpu', why: '' });
  } finally {
    if (saved === undefined) delete process.env.HOTLOOP_GPU_BACKEND;
    else process.env.HOTLOOP_GPU_BACKEND = saved;
  }
});

// The real CUDA loader: the addon built beside a fresh copy of the wrapper (backend.ts caches its
// verdict per process). Without a GPU the addon loads and reports why (no driver/device): WebGPU runs.
test(
  'with cuda/ built, the wrapper runs CUDA where a device exists, else says why and runs WebGPU',
  { skip: hasNvcc() ? false : 'nvcc is not installed: no CUDA flavour to build' },
  async () => {
    const [k] = generateKernels({ seed, count: 1, patterns: ['reduce'], dtypes: ['f64'] });
    const r = gpuEmitter.emit(k!, { exportName: k!.name, cuda: true });
    assert.ok(r.ok, r.ok ? '' : r.reason);
    const sub = join(g.dir, 'withCuda');
    for (const f of r.files.filter((g) => g.path.startsWith('cuda/'))) {
      await mkdir(dirname(join(sub, f.path)), { recursive: true });
      await writeFile(join(sub, f.path), f.contents);
    }
    const index = r.files.find((f) => f.path === 'index.ts')!.contents;
    await writeFile(join(sub, 'index.js'), js(index));
    await writeFile(join(sub, 'original.js'), js(kernelToTs(k!)));
    for (const [name, ts] of RUNTIME_FILES) await writeFile(join(sub, name), js(ts));
    await buildAddon(join(sub, 'cuda'));
    const m = (await import(pathToFileURL(join(sub, 'index.js')).href)) as Record<string, unknown>;
    const lastBackend = m.lastBackend as () => { backend: string; why: string } | undefined;
    const args = argsOf(k!, { a: 5000 }, { n: 5000 });
    const want = loadJs(kernelToJs(k!), k!.name)(...cloneArgs(args)) as number;
    const got = (await (m[k!.name] as Fn)(...args)) as number;
    const choice = lastBackend();
    console.log(`backend: ${JSON.stringify(choice)}`);
    if (choice?.backend === 'cuda') assert.ok(Math.abs(got - want) <= 1e-9 * Math.max(1, Math.abs(want)));
    else {
      assert.equal(choice?.backend, 'webgpu');
      assert.match(choice.why, /^CUDA: no CUDA device \(.+\)/, 'the addon loaded and said why it cannot run');
    }
  },
);
