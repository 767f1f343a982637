// The GPU scaffold's loop layouts on this machine's WebGPU adapter (llvmpipe here): gemm-shaped nests
// tiled through workgroup memory, row reductions as one workgroup per row, and the loop-limit flag —
// Mesa llvmpipe silently ends an invocation after 65,535 loop iterations; sizes past it reproduce the
// old wrong results and now pass (on the device, or caught and run by the original, stated). Each
// compared with the original JS within the f32 tolerance, across tile and workgroup edges.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { KernelOutput } from '../../src/core/ir/types.js';
import { cloneArgs } from '../../src/core/ir/random.js';
import { compareOutputs } from '../../src/core/ir/tolerance.js';
import { kernelToJs } from '../../src/core/ir/toJs.js';
import { printKernel } from '../../src/core/ir/print.js';
import { GPU_LIBM_ULPS, gpuEmitter, gpuShaders } from '../../src/core/scaffold/gpu/emit.js';
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
import { generateKernels } from '../support/kernelGen.js';
import { loadJs } from '../support/loadJs.js';
import { GpuScaffoldDir, argsOf, outputOf } from './gpuScaffoldSupport.js';
import type { Locate } from './gpuScaffoldSupport.js';

const seed = Number(process.env.HOTLOOP_FUZZ_SEED ?? 20261125);
const g = new GpuScaffoldDir();
before(() => g.open());
after(() => g.close());

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
  const fast = await g.load(k);
  const [m, p, q] = [19, 257, 255]; // p·q = 65,535: one row is past the limit; no multiple of the tile
  const inputs = argsOf(k, { A: m * q, B: q * p, C: m * p }, { m, p, q });
  const locate = await g.module<Locate>('locate.js');
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
  const fast = await g.load(k);
  const [m, n] = [3, 70_001];
  const inputs = argsOf(k, { A: m * n, x: n, y: m }, { m, n, alpha: 0.5, beta: 2 });
  const locate = await g.module<Locate>('locate.js');
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
  const fast = await g.load(k);
  const [m, n] = [3, 70_001];
  const inputs = argsOf(k, { a: m * n, out: m }, { m, n });
  const locate = await g.module<Locate>('locate.js');
  const runtime = await g.module<{ isLlvmpipe(): boolean }>('runtime.js');
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
    const fast = await g.load(k);
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
    const fast = await g.load(k);
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
