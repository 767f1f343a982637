// A short workload run several times as one profile: times add up, shares are over the sum, the
// first run's shapes are kept, and profileTarget repeats only while asked to (bounded by maxRuns).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { profileTarget } from '../../src/core/profile/index.js';
import { mergeProfiles } from '../../src/core/profile/merge.js';
import type { LoopHeat, ProfileResult } from '../../src/core/profile/types.js';

const loop = (id: string, ms: number, total: number, shape?: LoopHeat['shape']): LoopHeat => ({
  loopId: id,
  file: 'a.js',
  range: { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } },
  functionName: 'f',
  selfMs: ms,
  totalMs: ms,
  inclusiveMs: ms,
  selfShare: ms / total,
  totalShare: ms / total,
  gcMs: 0,
  waitMs: 0,
  threads: [0],
  ...(shape ? { shape } : {}),
});

const profile = (totalMs: number, loops: LoopHeat[]): ProfileResult => ({
  schema: 1,
  id: 'x',
  createdAt: '',
  label: 'npm test',
  source: 'run',
  intervalUs: 250,
  totalMs,
  shares: { user: 0.5, dependency: 0.2, node: 0.1, gc: 0.1, idle: 0.1, program: 0 },
  verdict: { kind: 'cpu-bound', cpuShare: 0.9, gcShare: 0.1, idleShare: 0.1, advice: '' },
  loops,
  functions: [],
  lines: { 'a.js': { 3: 2 } },
  threads: [],
  children: [],
  sources: [],
  warnings: ['w'],
});

describe('merging runs of one workload', () => {
  test('times add, shares are over the summed time, a loop seen once keeps its time, shapes kept', () => {
    const shape = { entries: 3, iterations: 30, arrays: [] };
    const a = profile(100, [loop('a.js#f/0', 10, 100, shape)]);
    const b = profile(300, [loop('a.js#f/0', 20, 300), loop('a.js#g/0', 6, 300)]);
    const m = mergeProfiles(a, b);
    assert.equal(m.totalMs, 400);
    const f = m.loops.find((l) => l.loopId === 'a.js#f/0')!;
    assert.equal(f.totalMs, 30);
    assert.equal(f.totalShare, 30 / 400);
    assert.deepEqual(f.shape, shape);
    const g = m.loops.find((l) => l.loopId === 'a.js#g/0')!;
    assert.equal(g.totalShare, 6 / 400);
    assert.equal(m.lines['a.js']![3], 4);
    assert.deepEqual(m.warnings, ['w']);
    assert.equal(m.verdict.kind, 'cpu-bound');
  });

  test('profileTarget repeats while `until` is false, at most maxRuns times, and says so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotloop-merge-'));
    try {
      writeFileSync(
        join(dir, 'main.js'),
        'let s = 0; for (let r = 0; r < 200; r++) for (let i = 0; i < 20000; i++) s += Math.sqrt(i); console.log(s > 0);\n',
      );
      const seen: number[] = [];
      const three = await profileTarget(
        { kind: 'file', file: 'main.js' },
        {
          root: dir,
          repeat: {
            until: (r) => {
              seen.push(r.totalMs);
              return false;
            },
            maxRuns: 3,
          },
        },
      );
      assert.equal(seen.length, 2, 'asked after runs 1 and 2, not after the last');
      assert.ok(seen[1]! > seen[0]!, `merged time grows: ${seen.join(', ')}`);
      assert.ok(three.totalMs >= seen[1]!);
      assert.ok(
        three.warnings.some((w) => /ran 3 times/.test(w)),
        three.warnings.join('\n'),
      );
      const one = await profileTarget(
        { kind: 'file', file: 'main.js' },
        { root: dir, repeat: { until: () => true, maxRuns: 3 } },
      );
      assert.equal(
        one.warnings.some((w) => /ran \d+ times/.test(w)),
        false,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
