// compareRuns on synthetic profiles: the speedup of medians with its bootstrap CI decides the verdict;
// loops are matched by id, or by file + function when the loop disappeared; baselines round-trip.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  beforeRuns,
  listBaselines,
  loadBaseline,
  readBaseline,
  saveBaseline,
  baselineFile,
} from '../../src/core/profile/beforeAfter.js';
import { compareRuns, formatComparison } from '../../src/core/profile/compare.js';
import { saveProfile } from '../../src/core/profile/store.js';
import { compareCommand } from '../../src/cli/compare.js';
import type { CliContext } from '../../src/cli/command.js';
import { Writable } from 'node:stream';
import type { FunctionHeat, LoopHeat, ProfileResult } from '../../src/core/profile/types.js';

const range = (line: number) => ({ start: { line, character: 2 }, end: { line: line + 3, character: 3 } });

function loop(id: string, fn: string, line: number, share: number, cpuMs: number): LoopHeat {
  return {
    loopId: `main.ts#${id}`,
    file: 'main.ts',
    range: range(line),
    functionName: fn,
    selfMs: share * cpuMs,
    totalMs: share * cpuMs,
    inclusiveMs: share * cpuMs,
    selfShare: share,
    totalShare: share,
    gcMs: 0,
    waitMs: 0,
    threads: [0],
  };
}

function fn(name: string, share: number, cpuMs: number): FunctionHeat {
  return {
    functionName: name,
    file: 'main.ts',
    line: 1,
    selfMs: share * cpuMs,
    totalMs: share * cpuMs,
    selfShare: share,
    totalShare: share,
    gcMs: 0,
    idleMs: 0,
    category: 'user',
    cpuShare: 1,
    gcShare: 0,
    idleShare: 0,
    threads: [0],
  };
}

let seq = 0;
function run(wallMs: number, loops: LoopHeat[], functions: FunctionHeat[] = []): ProfileResult {
  seq++;
  return {
    schema: 1,
    id: `r${seq}`,
    createdAt: new Date(Date.UTC(2026, 10, 25, 12, 0, seq)).toISOString(),
    label: 'main.ts',
    source: 'run',
    target: { kind: 'file', file: 'main.ts', args: [] },
    intervalUs: 1000,
    outcome: {
      exitCode: 0,
      signal: null,
      timedOut: false,
      cancelled: false,
      wallMs,
      outputBytes: 0,
      outputTruncated: false,
    },
    totalMs: wallMs * 0.9,
    shares: { user: 0.9, dependency: 0, node: 0.05, gc: 0.02, idle: 0.01, program: 0.02 },
    verdict: { kind: 'cpu-bound', cpuShare: 0.99, gcShare: 0.02, idleShare: 0.01, advice: '' },
    loops,
    functions,
    lines: {},
    threads: [],
    children: [],
    sources: [],
    warnings: [],
  };
}

/** Wall times around a centre with a little deterministic jitter. */
const walls = (centre: number, k = 5): number[] =>
  Array.from({ length: k }, (_, i) => centre * (1 + [-0.02, 0.01, 0, 0.015, -0.01, 0.005, -0.005][i % 7]!));

describe('compareRuns', () => {
  test('a loop whose share drops from 80 % to 10 % with a 2× faster run: "2× faster" with a CI, loop matched by id', () => {
    const before = walls(1000).map((w) =>
      run(w, [loop('hot/0', 'hot', 10, 0.8, w), loop('other/0', 'other', 30, 0.15, w)]),
    );
    const after = walls(500).map((w) =>
      run(w, [loop('hot/0', 'hot', 10, 0.1, w), loop('other/0', 'other', 30, 0.6, w)]),
    );
    const c = compareRuns(before, after);
    assert.equal(c.kind, 'before-after');
    assert.ok(Math.abs(c.speedup.ratio - 2) < 0.02, `ratio ${c.speedup.ratio}`);
    assert.equal(c.speedup.verdict, 'faster');
    assert.ok(
      c.speedup.ci && c.speedup.ci.low > 1.9 && c.speedup.ci.high < 2.1,
      JSON.stringify(c.speedup.ci),
    );
    assert.match(c.speedup.text, /^2\.\d\d× faster, 95 % CI 1\.9\d–2\.0\d×$/);
    const hot = c.loops.find((l) => l.loopId === 'main.ts#hot/0')!;
    assert.equal(hot.change, 'kept');
    assert.equal(hot.before?.totalShare, 0.8);
    assert.equal(hot.after?.totalShare, 0.1);
    assert.equal(hot.after.matchedBy, 'loop');
    assert.equal(c.loops[0]?.loopId, 'main.ts#hot/0', 'ordered by share before');
    assert.equal(hot.line, 11);
    assert.ok(c.before.wall.ci && c.before.wall.ci.low <= 1000 && c.before.wall.ci.high >= 1000);
    assert.match(formatComparison(c), /main\.ts:11 {2}hot {2}80 % \(.*\) → 10 %/);
  });

  test('identical runs give "no difference"', () => {
    const mk = (): ProfileResult[] => walls(800).map((w) => run(w, [loop('hot/0', 'hot', 10, 0.7, w)]));
    const c = compareRuns(mk(), mk());
    assert.equal(c.speedup.verdict, 'no difference');
    assert.match(c.speedup.text, /^no difference \(95 % CI of the speedup 0\.9\d–1\.0\d×\)$/);
    assert.equal(c.loops[0]?.before?.totalShare, c.loops[0]?.after?.totalShare);
  });

  test('a slower run is called slower', () => {
    const before = walls(500).map((w) => run(w, []));
    const after = walls(750).map((w) => run(w, []));
    const c = compareRuns(before, after);
    assert.equal(c.speedup.verdict, 'slower');
    assert.match(c.speedup.text, /^1\.5\d× slower, 95 % CI/);
  });

  test('a loop whose body became a call is matched by its function; a vanished one is "gone"; a new one "new"', () => {
    const before = walls(1000).map((w) =>
      run(w, [loop('hot/0', 'hot', 10, 0.8, w), loop('cold/0', 'cold', 40, 0.05, w)], [fn('hot', 0.8, w)]),
    );
    const after = walls(400).map((w) =>
      run(w, [loop('wrapper/0', 'wrapper', 60, 0.3, w)], [fn('hot', 0.35, w)]),
    );
    const c = compareRuns(before, after);
    const hot = c.loops.find((l) => l.loopId === 'main.ts#hot/0')!;
    assert.equal(hot.change, 'replaced');
    assert.equal(hot.after?.matchedBy, 'function');
    assert.equal(hot.after.totalShare, 0.35);
    assert.equal(c.loops.find((l) => l.loopId === 'main.ts#cold/0')?.change, 'gone');
    const added = c.loops.find((l) => l.loopId === 'main.ts#wrapper/0')!;
    assert.equal(added.change, 'new');
    assert.equal(added.before, undefined);
    assert.equal(c.loops.at(-1)?.loopId, 'main.ts#wrapper/0', 'new loops come last');
  });

  test('one run on a side: the ratio without a CI, and a note that says why', () => {
    const c = compareRuns(
      [run(1000, [])],
      walls(500).map((w) => run(w, [])),
    );
    assert.equal(c.speedup.verdict, 'not enough runs');
    assert.equal(c.speedup.ci, undefined);
    assert.match(c.speedup.text, /2\.00× faster by the medians, but .* no CI/);
    assert.ok(c.notes.some((n) => /at least 3 runs/.test(n)));
  });

  test('imported profiles (no wall time) are refused with a clear message', () => {
    const imported = { ...run(100, []), outcome: undefined } as ProfileResult;
    assert.throws(() => compareRuns([imported], [run(100, [])]), /profiled runs with a wall time/);
    assert.throws(() => compareRuns([], [run(100, [])]), /runs on both sides/);
  });
});

describe('baselines', () => {
  test('save, load by target however its path is written, list; a stored profile stands in without one', () => {
    const root = mkdtempSync(join(tmpdir(), 'hotloop-baseline-'));
    try {
      const target = { kind: 'file' as const, file: 'main.ts', args: [] };
      assert.equal(beforeRuns(root, target), undefined);
      saveProfile(root, run(950, []));
      const fallback = beforeRuns(root, { kind: 'file', file: join(root, 'main.ts') });
      assert.equal(fallback?.source, 'profile');
      assert.equal(fallback.runs.length, 1);
      const runs = walls(900, 3).map((w) => run(w, [loop('hot/0', 'hot', 10, 0.8, w)]));
      const file = saveBaseline(root, target, runs);
      assert.equal(file, baselineFile(root, { kind: 'file', file: join(root, 'main.ts') }));
      const b = loadBaseline(root, { kind: 'file', file: join(root, 'main.ts') });
      assert.equal(b?.runs.length, 3);
      assert.deepEqual(
        b.runs.map((r) => r.outcome?.wallMs),
        runs.map((r) => r.outcome?.wallMs),
      );
      assert.equal(beforeRuns(root, target)?.source, 'baseline');
      assert.equal(listBaselines(root).length, 1);
      assert.equal(loadBaseline(root, { kind: 'file', file: 'other.ts' }), undefined);
      assert.throws(() => readBaseline(join(root, 'nope.json')), /Cannot read the baseline/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('hotloop compare (CLI)', () => {
  function ctx(): CliContext & { out: () => string; err: () => string } {
    let out = '';
    let err = '';
    const sink = (add: (s: string) => void): Writable =>
      new Writable({
        write(chunk: Buffer, _e, cb) {
          add(chunk.toString());
          cb();
        },
      });
    return {
      signal: new AbortController().signal,
      stdout: sink((s) => {
        out += s;
      }),
      stderr: sink((s) => {
        err += s;
      }),
      out: () => out,
      err: () => err,
    };
  }

  test('bad usage exits 2 with a message; --help exits 0; no baseline is a clear failure', async () => {
    const c1 = ctx();
    assert.equal(await compareCommand.run(['--runs', '0', 'main.ts'], c1), 2);
    assert.match(c1.err(), /--runs must be a whole number/);
    const c2 = ctx();
    assert.equal(await compareCommand.run(['--save-baseline', '--baseline', 'b.json', 'main.ts'], c2), 2);
    assert.match(c2.err(), /exclude each other/);
    const c3 = ctx();
    assert.equal(await compareCommand.run(['--help'], c3), 0);
    assert.match(c3.out(), /--save-baseline/);
    const root = mkdtempSync(join(tmpdir(), 'hotloop-compare-cli-'));
    try {
      await assert.rejects(
        compareCommand.run(['--root', root, 'main.ts'], ctx()),
        /No baseline for main\.ts: save one/,
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
