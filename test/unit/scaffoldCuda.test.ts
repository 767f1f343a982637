// The CUDA flavour of the GPU scaffold: where nvcc exists, every emitted .cu compiles, and a built
// addon (static CUDA runtime) loads even without a GPU and says why it cannot run; where a GPU
// exists, it matches the interpreter. Where nvcc does not exist, the test is skipped with that reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { Kernel } from '../../src/core/ir/types.js';
import { runKernel } from '../../src/core/ir/interpret.js';
import { cloneArgs, makeInputs } from '../../src/core/ir/random.js';
import { compareOutputs } from '../../src/core/ir/tolerance.js';
import { analyzeSource } from '../../src/core/analysis/index.js';
import { cudaFiles } from '../../src/core/scaffold/gpu/cuda.js';
import { hasNvcc } from '../../src/core/scaffold/gpu/nvcc.js';
import { generateKernels } from '../support/kernelGen.js';
import { REPO, buildAddon } from './nativeBuild.js';

const run = promisify(execFile);
const skip = hasNvcc()
  ? false
  : 'nvcc is not installed: the CUDA flavour is emitted only where it can be compiled';

function write(dir: string, k: Kernel): void {
  const r = cudaFiles(k, k.name);
  if ('reason' in r) throw new Error(`${k.name}: ${r.reason}`);
  for (const f of r.files) {
    const path = join(dir, f.path.replace(/^cuda\//, ''));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, f.contents);
  }
}

test('every CUDA source compiles with nvcc (f64, no FMA contraction)', { skip }, async () => {
  const kernels = generateKernels({
    seed: 20261125,
    count: 8,
    patterns: ['map', 'reduce', 'map-reduce', 'stencil', 'gemv', 'gemm', 'conv', 'nested'],
    dtypes: ['f64', 'f32', 'array'],
  });
  const dir = mkdtempSync(join(tmpdir(), 'hotloop-cuda-'));
  try {
    for (const k of kernels) {
      const kd = join(dir, k.name);
      write(kd, k);
      await run(
        'nvcc',
        [
          '-c',
          '-O3',
          '-std=c++17',
          '--expt-relaxed-constexpr',
          '-fmad=false',
          '-Xcompiler',
          '-fPIC',
          '-gencode',
          'arch=compute_80,code=sm_80',
          '-o',
          join(kd, 'k.o'),
          join(kd, 'src/kernel.cu'),
        ],
        { maxBuffer: 1 << 24 },
      ).catch((err: unknown) => {
        throw new Error(
          `${k.name}: nvcc failed:\n${(err as { stderr?: string }).stderr ?? (err as Error).message}`,
        );
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test(
  'the CUDA addon builds with the static runtime, loads, and either runs or explains why not',
  { skip },
  async () => {
    const fixture = join(REPO, 'test/fixtures/loops/01-sum-for.ts');
    const k = analyzeSource(fixture, readFileSync(fixture, 'utf8')).loops.find((l) => l.kernel)!.kernel!;
    const dir = mkdtempSync(join(tmpdir(), 'hotloop-cuda-addon-'));
    try {
      write(dir, k);
      symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'));
      await buildAddon(dir);
      const addon = createRequire(import.meta.url)(join(dir, 'build/Release/kernel_cuda.node')) as {
        deviceCount(): { count: number; code: number; error: string };
        sum(xs: Float64Array): number;
      };
      const dc = addon.deviceCount();
      const xs = makeInputs(k, { n: 10_000, seed: 5 });
      if (dc.code !== 0 || dc.count === 0) {
        console.log(`no CUDA device here (code ${dc.code}: ${dc.error}); checked the clean error instead`);
        assert.ok(dc.error.length > 0, 'deviceCount() says why');
        assert.throws(
          () => addon.sum(xs[0] as Float64Array),
          (e: unknown) => e instanceof Error && /sum \(CUDA\): /.test(e.message),
        );
      } else {
        const want = runKernel(k, cloneArgs(xs));
        const got = { result: addon.sum(xs[0] as Float64Array), written: {} };
        const c = compareOutputs(want, got, k, {
          n: 10_000,
          reassociated: true,
          precision: 'f64',
          inputs: xs,
        });
        assert.ok(c.ok, c.detail);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
