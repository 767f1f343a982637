// `hotloop apply --all` applies only a measured win: no benchmark, a slower or undecided verdict, a
// CI that reaches 1, or a benchmark older than the folder's build is each a stated refusal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchWins, bestPerLoop, type Selection } from '../../src/core/apply/all.js';
import { saveResult } from '../../src/core/bench/store.js';
import type { BenchResult, PairVerdict } from '../../src/core/bench/types.js';

function result(id: string, createdAt: string, verdict: PairVerdict | undefined): BenchResult {
  return {
    schemaVersion: 1,
    kind: 'bench',
    id,
    kernel: 'dist',
    createdAt,
    n: 1000,
    seed: 1,
    reference: 'original',
    variants: [],
    verdicts: verdict ? [verdict] : [],
    winner: verdict?.verdict === 'faster' ? 'wasm' : 'original',
    notes: [],
  } as unknown as BenchResult;
}

const v = (verdict: PairVerdict['verdict'], low: number, high: number): PairVerdict => ({
  variant: 'wasm',
  reference: 'original',
  ratio: (low + high) / 2,
  ci: { low, high },
  verdict,
  text: `wasm is ${verdict} (95 % CI ${low}–${high}×)`,
});

test('apply --all needs a significant win measured after the build', async () => {
  const root = await mkdtemp(join(tmpdir(), 'hotloop-all-'));
  try {
    const dir = join(root, 'hotloop', 'dist-wasm');
    await mkdir(join(dir, 'dist'), { recursive: true });
    await writeFile(join(dir, 'dist', 'kernel.wasm'), '');
    const builtAt = new Date('2026-01-02T00:00:00Z');
    await utimes(join(dir, 'dist', 'kernel.wasm'), builtAt, builtAt);

    assert.match(
      String(await benchWins(root, dir, 'dist', 'wasm')),
      /never benchmarked.*without a measurement/,
    );

    await saveResult(root, result('1', '2026-01-03T00:00:00.000Z', undefined));
    assert.match(String(await benchWins(root, dir, 'dist', 'wasm')), /no wasm variant/);

    await saveResult(root, result('2', '2026-01-03T00:00:01.000Z', v('slower', 0.2, 0.4)));
    assert.match(String(await benchWins(root, dir, 'dist', 'wasm')), /says: wasm is slower.*not applied/);

    await saveResult(root, result('3', '2026-01-03T00:00:02.000Z', v('no difference', 0.9, 1.3)));
    assert.match(String(await benchWins(root, dir, 'dist', 'wasm')), /not applied/);

    // A 'faster' verdict whose CI still reaches 1 (an older record's rule) is not a win either.
    await saveResult(root, result('4', '2026-01-03T00:00:03.000Z', v('faster', 0.99, 2)));
    assert.match(String(await benchWins(root, dir, 'dist', 'wasm')), /not applied/);

    await saveResult(root, result('5', '2026-01-03T00:00:04.000Z', v('faster', 1.5, 2.5)));
    assert.equal(await benchWins(root, dir, 'dist', 'wasm'), true);

    // Rebuilt after that benchmark: the measurement is of another build.
    const rebuilt = new Date('2026-01-04T00:00:00Z');
    await utimes(join(dir, 'dist', 'kernel.wasm'), rebuilt, rebuilt);
    assert.match(String(await benchWins(root, dir, 'dist', 'wasm')), /older than the folder's build/);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('apply --all applies one folder per loop: the target measured fastest', () => {
  const pick = (target: 'wasm' | 'native' | 'worker', loopId: string, ratio: number): Selection => ({
    apply: true,
    candidate: { dir: `hotloop/k-${target}-${loopId}`, target, kernel: 'k', file: 'a.js', loopId },
    ratio,
    why: 'wins',
  });
  const out = bestPerLoop([
    pick('wasm', 'a.js#f/0', 1.3),
    pick('native', 'a.js#f/0', 4.1),
    pick('worker', 'a.js#f/0', 1.5),
    { apply: false, dir: 'hotloop/k-gpu', why: 'slower' },
    pick('wasm', 'a.js#g/0', 1.25),
  ]);
  assert.deepEqual(
    out.map((p) => (p.apply ? `apply ${p.candidate.target} ${p.candidate.loopId}` : 'skip')),
    ['skip', 'apply native a.js#f/0', 'skip', 'skip', 'apply wasm a.js#g/0'],
  );
  assert.match(out[0]!.why, /wasm wins \(1\.30×\) but native measured faster on the same loop \(4\.10×\)/);
  assert.equal(out[3]!.why, 'slower');
});
