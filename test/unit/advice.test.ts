// Advice: a real (short) calibration on this machine, the talk's case, crossover maths, the cache.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { PassThrough } from 'node:stream';
import { adviseCommand } from '../../src/cli/advise.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  calibrate,
  loadCalibration,
  calibrationPath,
  adviseKernel,
  adviceSummary,
  timeCall,
  compileKernelJs,
} from '../../src/core/advice/index.js';
import { formatN, formatSpeedup } from '../../src/core/format.js';
import type { Calibration } from '../../src/core/advice/index.js';
import { CAL_KERNELS, CAL_SOURCE } from '../../src/core/advice/calKernels.js';
import { analyzeSource } from '../../src/core/analysis/index.js';
import type { Kernel } from '../../src/core/ir/types.js';
import { getKernels } from '../../native/index.js';

const TALK = `
export function sum(xs: number[]): number { let s = 0; for (let i = 0; i < xs.length; i++) s += xs[i]; return s; }
export function mean(xs: number[]): number { let s = 0; for (const x of xs) s += x; return s / xs.length; }
export function variance(xs: number[]): number {
  let m = 0; for (let i = 0; i < xs.length; i++) m += xs[i]; m /= xs.length;
  let v = 0; for (let i = 0; i < xs.length; i++) { const d = xs[i] - m; v += d * d; } return v / xs.length;
}
export function std(xs: number[]): number {
  let m = 0; for (let i = 0; i < xs.length; i++) m += xs[i]; m /= xs.length;
  let v = 0; for (let i = 0; i < xs.length; i++) { const d = xs[i] - m; v += d * d; } return Math.sqrt(v / xs.length);
}
`;

function kernelsOf(src: string): Map<string, Kernel> {
  const out = new Map<string, Kernel>();
  for (const l of analyzeSource('talk.ts', src).loops)
    if (l.kernel && !out.has(l.kernel.name)) out.set(l.kernel.name, l.kernel);
  return out;
}

let cal: Calibration;
let talk: Map<string, Kernel>;

describe('advice', () => {
  before(async () => {
    cal = await calibrate({ budgetMs: 8, n: 50_000, gpu: false });
    talk = kernelsOf(TALK);
  });

  test('calibration measures every constant (positive, finite) and says what is unavailable', () => {
    assert.equal(cal.schema, 1);
    for (const r of [cal.js.typed, cal.js.array])
      for (const v of Object.values(r)) assert.ok(Number.isFinite(v) && v > 0);
    assert.ok(cal.js.fromArrayNsPerElement > 0 && cal.js.copyNsPerByte > 0 && cal.js.cloneNsPerElement > 0);
    if (cal.native.available) {
      assert.ok(cal.native.callNs > 0);
      // The talk's boundary cost: converting a number[] element by element costs far more than a JS add.
      assert.ok(cal.native.arrayNsPerElement > cal.js.array.reduce, JSON.stringify(cal.native));
    }
    assert.ok(cal.worker.available ? cal.worker.dispatchNs > 0 : true);
    assert.equal(cal.gpu.available, false);
    assert.match(cal.gpu.reason, /not probed/);
  });

  test('the calibration kernels are what the analysis produces for CAL_SOURCE', () => {
    const ks = kernelsOf(CAL_SOURCE);
    assert.deepEqual(ks.get('calSum'), CAL_KERNELS.sum);
    assert.deepEqual(ks.get('calVar'), CAL_KERNELS.var);
    assert.deepEqual(ks.get('calMap'), CAL_KERNELS.map);
  });

  test("the talk's case: sum and mean of a 5,000-element number[] do not get native", () => {
    for (const name of ['sum', 'mean']) {
      const k = talk.get(name);
      assert.ok(k, `no kernel for ${name}`);
      const a = adviseKernel(k, cal, 5000);
      const native = a.predictions.find((p) => p.target === 'native')!;
      if (!native.available) continue; // no addon: nothing to suggest either
      assert.equal(native.suggested, false, native.reason);
      assert.ok(native.speedup! < 1, `${name}: native predicted ${native.speedup}`);
      assert.match(native.reason, /native (never wins|loses below)/);
      assert.match(native.reason, /number\[\]/);
      assert.notEqual(a.best?.target, 'native');
    }
  });

  test('native predictions for sum/mean/var/std of number[] n=5000 agree with measurement', (t) => {
    const lib = getKernels();
    if (lib.backend !== 'native') {
      t.skip('native addon not built');
      return;
    }
    const xs = Array.from({ length: 5000 }, (_, i) => Math.sin(i) * 10);
    const routines: Record<string, (x: number[]) => number> = {
      sum: (x) => lib.sum(x),
      mean: (x) => lib.mean(x),
      variance: (x) => lib.variance(x),
      std: (x) => lib.std(x),
    };
    for (const [name, routine] of Object.entries(routines)) {
      const k = talk.get(name)!;
      const js = compileKernelJs(k) as unknown as (x: number[]) => number;
      assert.ok(
        Math.abs(js(xs) - routine(xs)) <= 1e-9 * Math.max(1, Math.abs(js(xs))),
        `${name}: library and JS disagree`,
      );
      const measured = timeCall(() => js(xs), 10) / timeCall(() => routine(xs), 10);
      const predicted = adviseKernel(k, cal, 5000).predictions.find((p) => p.target === 'native')!.speedup!;
      // Direction must agree wherever the measurement is clear (the machine is shared and noisy).
      if (measured < 0.67 || measured > 1.5)
        assert.equal(predicted > 1, measured > 1, `${name}: predicted ${predicted}, measured ${measured}`);
    }
  });

  test('Float64Array data: the advice reports a crossover and the cost parts add up', () => {
    const k = kernelsOf(TALK.replaceAll('number[]', 'Float64Array')).get('variance')!;
    const a = adviseKernel(k, cal, 1_000_000);
    assert.equal(
      a.predictions.some((p) => p.target === 'js-typed'),
      false,
      'no Float64Array fix for data that already is one',
    );
    for (const p of a.predictions) {
      if (!p.available) {
        assert.equal(p.suggested, false);
        continue;
      }
      const c = p.cost!;
      assert.ok(
        Math.abs(p.timeNs! - (c.fixedNs + 1e6 * (c.marshalNsPerElement + c.computeNsPerElement))) <
          1e-6 * p.timeNs!,
      );
      if (p.crossoverN !== null && p.crossoverN !== undefined) {
        // At the crossover the target is (just) not slower; well below it, it is slower.
        const cost = (n: number): number => c.fixedNs + n * (c.marshalNsPerElement + c.computeNsPerElement);
        const base = (n: number): number =>
          n * (a.baseline.computeNsPerElement + a.baseline.marshalNsPerElement);
        assert.ok(cost(p.crossoverN) <= base(p.crossoverN) * 1.0001 + 1e-9);
        if (p.crossoverN > 10) assert.ok(cost(p.crossoverN / 10) > base(p.crossoverN / 10));
      }
      assert.equal(p.suggested, p.speedup! >= 1.2);
    }
    assert.match(
      adviceSummary(a),
      /^(→ \S+ ~[\d.]+× at n≈1e6 \(predicted\)|no rewrite predicted to win at n≈1e6)$/,
    );
  });

  test('a number[] input gets the Float64Array fix considered', () => {
    const a = adviseKernel(talk.get('variance')!, cal, 5000);
    const fix = a.predictions.find((p) => p.target === 'js-typed');
    assert.ok(fix?.available);
    assert.match(fix.reason, /Float64Array instead of number\[\]/);
  });

  test('formatSpeedup', () => {
    assert.equal(formatSpeedup(23.4), '23×');
    assert.equal(formatSpeedup(2.34), '2.3×');
    assert.equal(formatSpeedup(0.013), '0.01×');
  });

  test('formatN', () => {
    assert.equal(formatN(3000), '3,000');
    assert.equal(formatN(1_000_000), '1e6');
    assert.equal(formatN(2_500_000), '2.5e6');
  });

  test('the cache: written once, reused, re-measured on demand', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hotloop-cal-'));
    try {
      const opts = { cacheDir: dir, budgetMs: 2, n: 5_000, gpu: false } as const;
      const first = await loadCalibration(opts);
      const onDisk = JSON.parse(await readFile(calibrationPath(dir), 'utf8')) as Calibration;
      assert.equal(onDisk.createdAt, first.createdAt);
      assert.match(calibrationPath(dir), /calibration-v\d+\.\d+\.\d+-[0-9a-f]{10}\.json$/);
      const again = await loadCalibration(opts);
      assert.equal(again.createdAt, first.createdAt);
      await new Promise((r) => setTimeout(r, 5));
      const fresh = await loadCalibration({ ...opts, recalibrate: true });
      assert.notEqual(fresh.createdAt, first.createdAt);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('hotloop advise --json: the mean fixture (number[]) gets no native suggestion, with the cached calibration', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hotloop-cal-'));
    const saved = process.env.HOTLOOP_CACHE_DIR;
    try {
      process.env.HOTLOOP_CACHE_DIR = dir;
      await mkdir(dir, { recursive: true });
      await writeFile(calibrationPath(dir), JSON.stringify(cal));
      const stdout = new PassThrough();
      const stderr = new PassThrough();
      let out = '';
      stdout.on('data', (d: Buffer) => {
        out += d.toString();
      });
      const code = await adviseCommand.run(
        ['test/fixtures/loops/02-mean-for-of.ts', '--n', '5000', '--json'],
        { signal: new AbortController().signal, stdout, stderr },
      );
      assert.equal(code, 0);
      const parsed = JSON.parse(out) as {
        calibration: Calibration;
        loops: { id: string; advice: { n: number; predictions: { target: string; suggested: boolean }[] } }[];
      };
      assert.equal(parsed.calibration.createdAt, cal.createdAt, 'used the cached calibration');
      assert.equal(parsed.loops.length, 1);
      assert.equal(parsed.loops[0]!.advice.n, 5000);
      assert.equal(parsed.loops[0]!.advice.predictions.find((p) => p.target === 'native')?.suggested, false);
      assert.equal(
        await adviseCommand.run(['--n', 'x', 'a.ts'], {
          signal: new AbortController().signal,
          stdout,
          stderr,
        }),
        2,
      );
    } finally {
      if (saved === undefined) delete process.env.HOTLOOP_CACHE_DIR;
      else process.env.HOTLOOP_CACHE_DIR = saved;
      await rm(dir, { recursive: true, force: true });
    }
  });
});
