// Before/after on a real program: profile a small program 3×, save the baseline, replace its hot loop
// with a precomputed (closed-form) result, compare: the loop is gone (matched by its function, whose
// share collapsed), the loop that stayed takes a larger share, and the whole run is faster with a CI.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  compareWithBaseline,
  loadBaseline,
  profileBeforeAfter,
  saveBaseline,
} from '../../src/core/profile/beforeAfter.js';
import { formatComparison } from '../../src/core/profile/compare.js';

const tail = `
function other(n: number): number {
  let t = 0;
  for (let i = 0; i < n; i++) t = (t + i * 7) % 1000003;
  return t;
}

console.log(sumOfRoots(100_000_000), other(4_000_000));
`;

/** The hot loop: Σ sqrt(i)·sqrt(i) over i < n (which is Σ i, up to rounding). */
const BEFORE = `function sumOfRoots(n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) {
    s += Math.round(Math.sqrt(i) * Math.sqrt(i));
  }
  return s;
}
${tail}`;

/** The rewrite: the closed form; the loop (and its Loop-fact id) disappears, the function stays. */
const AFTER = `function sumOfRoots(n: number): number {
  return (n * (n - 1)) / 2;
}
${tail}`;

describe('before/after on a real program', () => {
  test('the hot loop\u2019s share collapses and the run gets faster', { timeout: 180_000 }, async () => {
    const root = mkdtempSync(join(tmpdir(), 'hotloop-before-after-'));
    try {
      const target = { kind: 'file' as const, file: 'main.ts' };
      writeFileSync(join(root, 'main.ts'), BEFORE);
      const progress: number[] = [];
      const before = await profileBeforeAfter(target, { root, runs: 3, onProgress: (d) => progress.push(d) });
      assert.deepEqual(progress, [1, 2, 3]);
      assert.equal(before.wallMs.length, 3);
      const hot = before.profile.loops[0];
      assert.equal(
        hot?.functionName,
        'sumOfRoots',
        JSON.stringify(before.profile.loops.map((l) => [l.functionName, l.totalShare])),
      );
      saveBaseline(root, target, before.profiles);
      assert.equal(loadBaseline(root, { kind: 'file', file: join(root, 'main.ts') })?.runs.length, 3);

      writeFileSync(join(root, 'main.ts'), AFTER);
      // Seven after-runs: with three, one run stretched by the machine's load puts the bootstrap CI's
      // low end below 1 (a ~0.25 s run against ~0.8 s ones), and "faster" becomes "no difference".
      const { comparison: c, after } = await compareWithBaseline(target, { root, runs: 7 });
      process.stdout.write(formatComparison(c));
      assert.equal(after.profiles.length, 7);
      const loop = c.loops.find((l) => l.loopId === hot.loopId)!;
      assert.ok(loop, 'the hot loop is in the comparison');
      assert.ok(loop.change === 'replaced' || loop.change === 'gone', loop.change);
      assert.ok(loop.before!.totalShare > 0.5, `share before ${loop.before!.totalShare}`);
      assert.ok((loop.after?.totalShare ?? 0) < 0.1, `share after ${loop.after?.totalShare}`);
      const kept = c.loops.find((l) => l.functionName === 'other')!;
      assert.equal(kept.change, 'kept');
      assert.ok(
        kept.after!.totalShare > kept.before!.totalShare,
        'the loop that stayed takes a larger share',
      );
      assert.equal(c.speedup.verdict, 'faster', c.speedup.text);
      assert.ok(c.speedup.ratio > 1.3, c.speedup.text);
      assert.match(c.speedup.text, /× faster, 95 % CI /);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
