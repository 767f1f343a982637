// The advice lens's evidence: a saved benchmark beats the prediction ("native 1.4× measured") and a
// stored profile's shapes give the n.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeSource } from '../../src/core/analysis/index.js';
import { saveResult } from '../../src/core/bench/store.js';
import type { BenchResult } from '../../src/core/bench/types.js';
import {
  measuredSummary,
  readLatestResults,
  readProfileSizes,
  resultForLoop,
  sizeFromShape,
} from '../../src/extension/advice/evidence.js';
import { adviceSegment, sizeForLens, LENS_DEFAULT_N } from '../../src/extension/advice/segment.js';

const SRC = `export function sum(xs: Float64Array): number { let s = 0; for (let i = 0; i < xs.length; i++) s += xs[i]; return s; }
export function fill(out: Float64Array): void { for (let i = 0; i < 4096; i++) out[i] = i; }
`;
const loops = analyzeSource('src/stats.ts', SRC).loops;
const sumLoop = loops.find((l) => l.functionName === 'sum')!;
const fillLoop = loops.find((l) => l.functionName === 'fill')!;

function benchResult(
  kernel: string,
  createdAt: string,
  ratio: number,
  verdict: 'faster' | 'slower' | 'no difference',
  file = 'src/stats.ts',
): BenchResult {
  const timing = (median: number) => ({
    median,
    mad: 1,
    ci: { low: median - 1, high: median + 1 },
    ciHalfWidthPct: 1,
    samples: [median],
    batch: 1,
    noisy: false,
  });
  return {
    schemaVersion: 1,
    kind: 'bench',
    id: `${kernel}-${createdAt.replace(/\D/g, '')}`,
    kernel,
    createdAt,
    n: 5000,
    seed: 1,
    machine: {
      cpu: 'test',
      cores: 2,
      simd: 'avx2',
      node: process.version,
      v8: process.versions.v8,
      platform: process.platform,
      arch: process.arch,
      memoryGiB: 24,
    },
    reference: 'original',
    variants: [
      {
        id: 'original',
        label: 'original',
        input: 'typed',
        correctness: { status: 'ok', maxError: 0, tolerance: 0 },
        timing: timing(1000),
      },
      {
        id: 'native',
        label: 'native (typed)',
        input: 'typed',
        correctness: { status: 'ok', maxError: 0, tolerance: 1e-12 },
        timing: timing(1000 / ratio),
      },
    ],
    verdicts: [
      {
        variant: 'native',
        reference: 'original',
        ratio,
        ci: { low: ratio * 0.9, high: ratio * 1.1 },
        verdict,
        text: '',
      },
    ],
    winner: verdict === 'faster' ? 'native' : 'original',
    source: { file, line: 1 },
    notes: [],
  };
}

describe('advice evidence', () => {
  test('a saved benchmark of the kernel replaces the prediction (newest wins; other files do not match)', async () => {
    const ws = await mkdtemp(join(tmpdir(), 'hotloop-evidence-'));
    try {
      await saveResult(ws, benchResult('sum', '2026-11-25T10:00:00.000Z', 0.8, 'slower'));
      await saveResult(ws, benchResult('sum', '2026-11-25T11:00:00.000Z', 1.43, 'faster'));
      await saveResult(ws, benchResult('fill', '2026-11-25T11:00:00.000Z', 3, 'faster', 'src/other.ts'));
      await mkdir(join(ws, '.hotloop/results/broken'), { recursive: true });
      await writeFile(join(ws, '.hotloop/results/broken/x.json'), '{ not json');
      const results = await readLatestResults(ws);
      assert.deepEqual([...results.keys()].sort(), ['fill', 'sum']);
      assert.equal(resultForLoop(sumLoop, results)?.createdAt, '2026-11-25T11:00:00.000Z');
      assert.equal(resultForLoop(fillLoop, results), undefined, 'fill was benchmarked from another file');
      assert.equal(adviceSegment(sumLoop, undefined, { results })?.text, 'native 1.4× measured (n=5,000)');
      assert.equal(
        measuredSummary(benchResult('sum', '2026-11-25T10:00:00.000Z', 0.8, 'slower')),
        'no rewrite faster, measured (best native 0.8×, n=5,000)',
      );
      // Without a result and without a calibration there is nothing to say yet.
      assert.equal(adviceSegment(fillLoop, undefined, { results }), undefined);
    } finally {
      await rm(ws, { recursive: true, force: true });
    }
  });

  test('profile shapes give the n (largest array the loop saw), else the literal trip count, else the default', async () => {
    const ws = await mkdtemp(join(tmpdir(), 'hotloop-evidence-'));
    try {
      await mkdir(join(ws, '.hotloop/profiles'), { recursive: true });
      const heat = (loopId: string, shape?: object): object => ({
        loopId,
        file: 'src/stats.ts',
        functionName: 'sum',
        selfMs: 1,
        totalMs: 1,
        ...(shape ? { shape } : {}),
      });
      const profile = (id: string, createdAt: string, loopsOf: object[]): string =>
        JSON.stringify({ schema: 1, id, createdAt, label: 't', source: 'run', loops: loopsOf });
      await writeFile(
        join(ws, '.hotloop/profiles/old.json'),
        profile('old', '2026-11-25T09:00:00.000Z', [
          heat(sumLoop.id, {
            entries: 1,
            iterations: 10,
            arrays: [{ name: 'xs', kind: 'Float64Array', minLength: 10, maxLength: 10 }],
          }),
        ]),
      );
      await writeFile(
        join(ws, '.hotloop/profiles/new.json'),
        profile('new', '2026-11-25T12:00:00.000Z', [
          heat(sumLoop.id, {
            entries: 4,
            iterations: 20_000,
            arrays: [{ name: 'xs', kind: 'Float64Array', minLength: 3000, maxLength: 7000 }],
          }),
          heat(fillLoop.id),
        ]),
      );
      const sizes = await readProfileSizes(ws);
      assert.equal(sizes.get(sumLoop.id), 7000);
      assert.equal(sizes.has(fillLoop.id), false, 'no shapes pass for fill');
      assert.equal(sizeForLens(sumLoop, sizes), 7000);
      assert.equal(sizeForLens(fillLoop, sizes), 4096);
      assert.equal(sizeForLens(sumLoop), LENS_DEFAULT_N);
      assert.equal(sizeFromShape({ entries: 4, iterations: 400, arrays: [] }), 100);
    } finally {
      await rm(ws, { recursive: true, force: true });
    }
  });
});
