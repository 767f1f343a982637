// A deterministic before/after comparison for the webview test and screenshots: a hot loop whose body
// became a call to a wasm wrapper (matched by its function), a loop that stayed, a new loop, ~2.1× faster.
import { compareRuns } from '../../src/core/profile/compare.js';
import type { FunctionHeat, LoopHeat, ProfileResult } from '../../src/core/profile/types.js';

const jitter = [-0.021, 0.012, 0, 0.017, -0.009];

function loop(id: string, fn: string, line: number, share: number, cpuMs: number): LoopHeat {
  const ms = share * cpuMs;
  return {
    loopId: `src/stats.ts#${id}`,
    file: 'src/stats.ts',
    range: { start: { line, character: 2 }, end: { line: line + 4, character: 3 } },
    functionName: fn,
    selfMs: ms,
    totalMs: ms,
    inclusiveMs: ms,
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
    file: 'src/stats.ts',
    line: 10,
    selfMs: 0,
    totalMs: share * cpuMs,
    selfShare: 0.01,
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

function run(
  i: number,
  wallMs: number,
  loops: LoopHeat[],
  functions: FunctionHeat[],
  day: number,
): ProfileResult {
  return {
    schema: 1,
    id: `fixture-${day}-${i}`,
    createdAt: new Date(Date.UTC(2026, 10, day, 14, 30, i)).toISOString(),
    label: 'src/main.ts all',
    source: 'run',
    target: { kind: 'file', file: 'src/main.ts', args: ['all'] },
    intervalUs: 1000,
    outcome: {
      exitCode: 0,
      signal: null,
      timedOut: false,
      cancelled: false,
      wallMs,
      outputBytes: 120,
      outputTruncated: false,
    },
    totalMs: wallMs * 0.92,
    shares: { user: 0.9, dependency: 0, node: 0.05, gc: 0.03, idle: 0.01, program: 0.01 },
    verdict: { kind: 'cpu-bound', cpuShare: 0.99, gcShare: 0.03, idleShare: 0.01, advice: '' },
    loops,
    functions,
    lines: {},
    threads: [],
    children: [],
    sources: [],
    warnings: [],
  };
}

export function fixtureComparison(): ReturnType<typeof compareRuns> {
  const before = jitter.map((j, i) => {
    const w = 1840 * (1 + j);
    return run(
      i,
      w,
      [
        loop('variance/0', 'variance', 11, 0.78, w),
        loop('parse/0', 'parse', 40, 0.12, w),
        loop('mean/0', 'mean', 5, 0.04, w),
      ],
      [fn('variance', 0.79, w)],
      24,
    );
  });
  const after = jitter.map((j, i) => {
    const w = 870 * (1 - j);
    return run(
      i,
      w,
      [
        loop('parse/0', 'parse', 40, 0.27, w),
        loop('mean/0', 'mean', 5, 0.085, w),
        loop('toTyped/0', 'toTyped', 60, 0.06, w),
      ],
      [fn('variance', 0.31, w)],
      25,
    );
  });
  return compareRuns(before, after, { id: 'compare-fixture', now: new Date(Date.UTC(2026, 10, 25, 14, 31)) });
}
