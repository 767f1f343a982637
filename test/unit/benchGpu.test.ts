// `npm run bench:gpu` at small sizes on this machine's WebGPU adapter (no GPU: Dawn on Mesa llvmpipe)
// prints its JSON with every kernel inside its f32 error bound; and a differential fuzz of the bench's
// kernels (tiled gemm, device-side reductions, gemv, n-body, saxpy) against f64 JS over sizes that hit
// every tile and workgroup edge, 0 and 1 included. No duration is asserted.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { gemm, gemv, nbody, openGpu, reduce, saxpy } from '../../bench/gpuKernels.js';
import type { Gpu, Resident } from '../../bench/gpuKernels.js';
import {
  check,
  f32Values,
  gemmRef,
  gemvRef,
  nbodyRef,
  reduceRef,
  saxpyRef,
} from '../../bench/gpuReference.js';
import type { Ref } from '../../bench/gpuReference.js';
import { REPO } from './nativeBuild.js';

let gpu: Gpu | undefined;

before(async () => {
  const g = await openGpu();
  assert.ok(
    !('error' in g),
    `a WebGPU adapter (llvmpipe where there is no GPU): ${'error' in g ? g.error : ''}`,
  );
  gpu = g;
});

after(() => {
  gpu?.device.destroy();
});

async function run(r: Resident): Promise<Float32Array> {
  try {
    r.submit();
    return await r.read();
  } finally {
    r.destroy();
  }
}

test('bench:gpu --small prints its JSON: adapter, backend, every kernel within its f32 bound', () => {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(REPO, 'bench', 'gpu.ts'), '--small', '--json', '--quiet'],
    { cwd: REPO, encoding: 'utf8', timeout: 300_000 },
  );
  assert.equal(r.status, 0, `bench:gpu exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
  assert.equal(typeof out.adapter, 'string');
  assert.match(String(out.backend), /^webgpu\//);
  assert.equal((out.cuda as { available: boolean }).available, false, 'no GPU is lent here');
  const kernels = out.kernels as Record<string, unknown>[];
  assert.deepEqual(
    kernels.map((k) => k.name),
    ['saxpy', 'sum', 'dot', 'gemm_tiled', 'gemm_rowwise', 'gemv', 'nbody'],
  );
  for (const k of kernels) {
    for (const f of ['n', 'ms', 'transfer_ms', 'speedup_vs_js', 'max_rel_err', 'tol'] as const) {
      assert.equal(typeof k[f], 'number', `${String(k.name)}.${f}`);
      assert.ok(Number.isFinite(k[f]) && (k[f] as number) >= 0, `${String(k.name)}.${f} = ${String(k[f])}`);
    }
    assert.ok((k.max_rel_err as number) <= (k.tol as number), `${String(k.name)}: ${JSON.stringify(k)}`);
    assert.equal(k.ok, true, `${String(k.name)}: ${JSON.stringify(k)}`);
  }
});

test('the bench kernels match f64 JS within their bounds at every edge size (0 mismatches)', async () => {
  const g = gpu!;
  const failures: string[] = [];
  let cases = 0;
  const expect = async (what: string, r: Resident, ref: Ref): Promise<void> => {
    cases++;
    const c = check(await run(r), ref);
    if (!c.ok) failures.push(`${what}: ${c.worst ?? ''}`);
  };
  for (const n of [0, 1, 2, 31, 63, 64, 65, 127, 1000, 64 * 1024 + 1, 64 * 1024 * 3 + 7]) {
    const x = f32Values(n, 10 + n, -1, 1);
    const y = f32Values(n, 20 + n, -2, 2);
    await expect(`saxpy n=${n}`, saxpy(g, 1.5, x, y), saxpyRef(1.5, x, y));
    await expect(`sum n=${n}`, reduce(g, x), reduceRef(x));
    await expect(`dot n=${n}`, reduce(g, x, y), reduceRef(x, y));
  }
  // Tile edges: 32×32 output tiles, k in steps of 16; 1×1×1; more than one tile each way.
  const shapes: [number, number, number][] = [
    [1, 1, 1],
    [1, 7, 3],
    [5, 1, 9],
    [32, 32, 16],
    [33, 31, 17],
    [31, 33, 15],
    [64, 65, 47],
    [70, 3, 100],
    [3, 70, 1],
  ];
  for (const [m, n, k] of shapes) {
    const A = f32Values(m * k, m * 100 + k);
    const B = f32Values(k * n, n * 100 + k);
    const ref = gemmRef(m, n, k, A, B);
    await expect(`gemm tiled ${m}×${n}×${k}`, gemm(g, m, n, k, A, B, 'tiled'), ref);
    await expect(`gemm rowwise ${m}×${n}×${k}`, gemm(g, m, n, k, A, B, 'rowwise'), ref);
    const Av = f32Values(m * n, 3 + m);
    const xv = f32Values(n, 7 + n);
    await expect(`gemv ${m}×${n}`, gemv(g, m, n, Av, xv), gemvRef(m, n, Av, xv));
  }
  for (const bodies of [1, 2, 63, 64, 65, 200]) {
    const pos = f32Values(bodies * 4, 30 + bodies);
    for (let i = 3; i < pos.length; i += 4) pos[i] = Math.fround(0.5 + 0.5 * Math.abs(pos[i]!));
    await expect(`nbody ${bodies}`, nbody(g, pos, Math.fround(1e-2)), nbodyRef(pos, Math.fround(1e-2)));
  }
  assert.equal(cases, 11 * 3 + 9 * 3 + 6);
  assert.deepEqual(failures, []);
});

test('the check catches a wrong result (the fuzz above can fail)', async () => {
  const [m, n, k] = [33, 31, 17];
  const A = f32Values(m * k, 1);
  const B = f32Values(k * n, 2);
  const ref = gemmRef(m, n, k, A, B);
  const got = await run(gemm(gpu!, m, n, k, A, B, 'tiled'));
  assert.equal(check(got, ref).ok, true);
  got[m * n - 1] = got[m * n - 1]! * (1 + 1e-3) + 1e-6; // the last element: the corner tile's guard
  assert.equal(check(got, ref).ok, false);
  got[m * n - 1] = NaN;
  assert.equal(check(got, ref).ok, false);
});
