// Real inputs (opt-in): off by default, bounded (3 calls per loop, 65,536 numbers per call), written
// only under the workspace's .hotloop/inputs/, and replayed by optimize's check. Heavy (a benchmark run).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { captureDirFor, decodeCaptured, loadCaptured } from '../../src/core/profile/capture.js';
import { nullLogger } from '../../src/core/logger.js';
import { runOptimize } from '../../src/core/optimize/pipeline.js';
import { profileTarget } from '../../src/core/profile/index.js';
import { defaultSettings } from '../../src/core/settings.js';

// Large calls first (over the per-call cap: never captured), then small ones (captured, 3 at most).
const PROGRAM = `
export function scale(xs: Float64Array, out: Float64Array, n: number, s: number): void {
  for (let i = 0; i < n; i++) {
    out[i] = xs[i] * s;
  }
}
const big = new Float64Array(100_000).fill(1);
const bigOut = new Float64Array(100_000);
for (let r = 0; r < 400; r++) scale(big, bigOut, big.length, 3);
const small = Float64Array.from([1, 2, NaN, Infinity]);
const smallOut = new Float64Array(4);
for (let r = 0; r < 2000; r++) scale(small, smallOut, 4, 2);
`;

const TOTAL = `export function total(xs: number[]): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return s;
}
const data = Array.from({ length: 50_000 }, (_, i) => Math.sin(i));
let t = 0;
for (let r = 0; r < 3000; r++) t += total(data);
console.log(t.toFixed(3));
`;

// Six loops, each called 20 times with two arrays of 30,000 (60,002 numbers a call, under the per-call cap).
const SIX = [0, 1, 2, 3, 4, 5]
  .map(
    (k) => `export function f${k}(xs: Float64Array, out: Float64Array, n: number, s: number): void {
  for (let i = 0; i < n; i++) out[i] = xs[i] * s + ${k};
}
`,
  )
  .join('').concat(`const xs = new Float64Array(30_000).fill(1);
const out = new Float64Array(30_000);
for (let r = 0; r < 200; r++) { f0(xs, out, 30_000, 2); f1(xs, out, 30_000, 2); f2(xs, out, 30_000, 2); f3(xs, out, 30_000, 2); f4(xs, out, 30_000, 2); f5(xs, out, 30_000, 2); }
`);

const TOTAL_CJS = `'use strict';
/**
 * @param {number[]} xs
 * @returns {number}
 */
function total(xs) {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return s;
}
module.exports = { total };
`;
const TOTAL_TEST = `'use strict';
const { test } = require('node:test');
const { total } = require('./lib.js');
test('total', () => {
  const data = Array.from({ length: 50000 }, (_, i) => Math.sin(i));
  let t = 0;
  for (let r = 0; r < 3000; r++) t += total(data);
  if (!Number.isFinite(t)) throw new Error('not finite');
});
`;

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

describe('captured inputs', () => {
  test('off by default: the setting defaults to false and a shapes pass writes nothing into the workspace', async () => {
    assert.equal(defaultSettings['profile.captureInputs'], false);
    const dir = mkdtempSync(join(tmpdir(), 'hotloop-capture-off-'));
    try {
      writeFileSync(join(dir, 'main.ts'), PROGRAM);
      const r = await profileTarget(
        { kind: 'file', file: 'main.ts' },
        { root: dir, shapes: true, env: { HOTLOOP_CAPTURE_DIR: join(dir, 'leak') } },
      );
      assert.ok(
        r.loops.some((l) => l.shape?.params),
        'the shapes pass ran',
      );
      assert.deepEqual(files(dir), ['main.ts']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('on: at most 3 calls per loop, none over the size cap, real values (NaN, Infinity), only under .hotloop/inputs/', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotloop-capture-on-'));
    try {
      writeFileSync(join(dir, 'main.ts'), PROGRAM);
      const r = await profileTarget(
        { kind: 'file', file: 'main.ts' },
        { root: dir, shapes: true, captureInputs: true },
      );
      const loop = r.loops.find((l) => l.loopId.includes('scale'));
      assert.ok(loop, JSON.stringify(r.loops.map((l) => l.loopId)));
      const written = files(dir).filter((f) => f !== 'main.ts');
      assert.ok(written.length > 0);
      for (const f of written)
        assert.ok(f.startsWith(join('.hotloop', 'inputs') + '/') && f.endsWith('.json'), f);
      const cap = loadCaptured(dir, loop.loopId);
      assert.ok(cap);
      assert.deepEqual(cap.params, ['xs', 'out', 'n', 's']);
      assert.equal(cap.calls.length, 3);
      for (const call of cap.calls) {
        assert.equal(decodeCaptured(call[2]!), 4);
        assert.deepEqual([...(decodeCaptured(call[0]!) as Float64Array)], [1, 2, NaN, Infinity]);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('optimize --capture-inputs: every variant is also checked on each captured real call', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotloop-capture-opt-'));
    try {
      writeFileSync(
        join(dir, 'package.json'),
        JSON.stringify({ name: 'fixture', private: true, main: 'main.ts' }),
      );
      writeFileSync(join(dir, 'main.ts'), TOTAL);
      const r = await runOptimize(
        {
          root: dir,
          targets: [],
          top: 1,
          captureInputs: true,
          bench: { samples: 4, sampleMs: 2, warmupMs: 5, resamples: 200 },
        },
        { signal: new AbortController().signal, log: nullLogger, progress: () => undefined },
      );
      const notes = r.loops[0]?.result?.notes ?? [];
      const real = notes.filter((n) => n.startsWith('real input'));
      assert.equal(real.length, 3, notes.join('\n'));
      assert.match(
        real[0]!,
        /^real input 1 of 3 \(captured, n = 50000\): JS on Float64Array agrees; kernel library: sum agrees$/,
      );
      for (const f of files(dir))
        assert.ok(
          f === 'main.ts' ||
            f === 'package.json' ||
            f.startsWith(join('.hotloop', 'inputs') + '/') ||
            f.startsWith(join('.hotloop', 'results') + '/'),
          f,
        );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('bounded per process: six loops of 3 calls × 60,000 numbers keep at most 1,000,000 numbers in all', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotloop-capture-cap-'));
    try {
      writeFileSync(join(dir, 'main.ts'), SIX);
      const r = await profileTarget(
        { kind: 'file', file: 'main.ts' },
        { root: dir, shapes: true, captureInputs: true, topLoops: 8 },
      );
      let numbers = 0;
      let calls = 0;
      for (const l of r.loops) {
        for (const call of loadCaptured(dir, l.loopId)?.calls ?? []) {
          calls++;
          for (const v of call) numbers += typeof v === 'object' ? v.data.length : 1;
        }
      }
      // 18 calls of 60,002 numbers would be 1,080,036: the cap stops the capture before the last ones.
      assert.ok(calls >= 15 && calls < 18, String(calls));
      assert.ok(numbers <= 1_000_000, String(numbers));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('under a test runner (node --test, child processes): off by default, and when on only under .hotloop/inputs/', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotloop-capture-cmd-'));
    const saved = process.env.NODE_TEST_CONTEXT;
    // A nested node --test would report to this file's runner instead of running the fixture's test.
    delete process.env.NODE_TEST_CONTEXT;
    try {
      writeFileSync(join(dir, 'lib.js'), TOTAL_CJS);
      writeFileSync(join(dir, 'total.test.js'), TOTAL_TEST);
      const target = { kind: 'command', command: ['node', '--test', 'total.test.js'] } as const;
      const off = await profileTarget(target, { root: dir, shapes: true });
      assert.ok(
        off.loops.some((l) => l.shape?.params),
        JSON.stringify(off.loops.map((l) => l.loopId)),
      );
      assert.deepEqual(files(dir), ['lib.js', 'total.test.js']);
      const on = await profileTarget(target, { root: dir, shapes: true, captureInputs: true });
      const loop = on.loops.find((l) => l.loopId.startsWith('lib.js#total'));
      assert.ok(loop && loadCaptured(dir, loop.loopId)?.calls.length === 3);
      for (const f of files(dir))
        assert.ok(
          f === 'lib.js' || f === 'total.test.js' || f.startsWith(join('.hotloop', 'inputs') + '/'),
          f,
        );
    } finally {
      if (saved !== undefined) process.env.NODE_TEST_CONTEXT = saved;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the capture folder is the workspace .hotloop/inputs', () => {
    assert.equal(captureDirFor('/w/proj'), '/w/proj/.hotloop/inputs');
  });
});
