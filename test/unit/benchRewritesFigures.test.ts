// bench:rewrites' figures: one target per loop — what `hotloop apply --all` would apply (tests pass,
// result agrees, CI above 1, the fastest) — and wins / typed_data_loops counted per loop, not per row.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseTargets, figures, type LoopResult } from '../../bench/rewritesFigures.js';

const row = (
  loop: string,
  target: string,
  speedup: number | null,
  ci: [number, number] | null,
  more: Partial<LoopResult> = {},
): LoopResult => ({
  lib: 'dsp-js',
  loop,
  target,
  typed: true,
  typed_declared: true,
  typed_at_call: false,
  ran: true,
  stage: 'done',
  built: true,
  applied: true,
  tests_pass: true,
  calls: 10,
  fallback_calls: 0,
  fallback_warnings: 0,
  silent_fallback: false,
  typecheck: 'n/a',
  speedup,
  ci,
  win: speedup !== null && ci !== null && speedup >= 1.2 && ci[0] > 1,
  speedup_typed: null,
  ci_typed: null,
  win_typed: false,
  original_typed_ratio: null,
  mode: null,
  mode_typed: null,
  bench_size: 1,
  bench_mix: 1,
  undo_exact: true,
  why: '',
  ...more,
});

test('each loop gets its fastest applicable target; a loop where every target loses keeps its JS', () => {
  const rows = [
    row('add', 'wasm', 0.86, [0.81, 0.91]),
    row('add', 'native', 4.05, [3.89, 4.14]),
    row('add', 'js', 1.3, [1.25, 1.35]),
    row('rev', 'wasm', 0.01, [0.01, 0.02]),
    row('rev', 'native', 0.07, [0.06, 0.08]),
    // Faster but its result differs, or its tests fail: never chosen.
    row('fwd', 'native', 3, [2.9, 3.1], {
      why: "the rewrite's result differs from the original's on the recorded input",
      win: false,
    }),
    row('fwd', 'wasm', 2, [1.9, 2.1], { tests_pass: false, win: false }),
    // Faster with the CI above 1 but under 1.2×: applied by --all, not a win.
    row('tables', 'native', 1.05, [1.04, 1.06], { typed: false, typed_declared: false }),
  ];
  const c = chooseTargets(rows);
  assert.deepEqual(
    c.map((x) => [x.loop, x.chosen, x.win]),
    [
      ['add', 'native', true],
      ['rev', null, false],
      ['fwd', null, false],
      ['tables', 'native', false],
    ],
  );
  assert.equal(c[1]!.best_measured, 'native');
  const f = figures(rows);
  assert.equal(f.loops, 4);
  assert.equal(f.wins, 1);
  assert.equal(f.typed_data_loops, 3);
  assert.equal(f.loops_applied_by_all, 2);
  assert.equal(f.rows_wins, 2);
  assert.equal(f.rows_typed, 7);
  assert.equal(f.attempted, 8);
});

test('typed_data_loops_measured leaves out typed loops the tests never run or that no target could be applied to', () => {
  const rows = [
    row('add', 'native', 4.05, [3.89, 4.14]),
    row('cold', 'native', null, null, {
      ran: false,
      stage: 'tests',
      built: false,
      applied: false,
      tests_pass: null,
    }),
    row('refused', 'native', null, null, { stage: 'apply', built: false, applied: false, tests_pass: null }),
  ];
  const f = figures(rows);
  assert.equal(f.typed_data_loops, 3);
  assert.equal(f.typed_data_loops_measured, 1);
  assert.equal(f.typed_data_wins, 1);
});

test('a row whose library bench script printed something else or failed is never chosen; counted apart', () => {
  const rows = [
    row('spec', 'native', 3, [2.9, 3.1], { bench_script: 'differs', bench_calls: 10 }),
    row('spec', 'js', 1.3, [1.25, 1.35], { bench_script: 'same', bench_calls: 4 }),
    row('rfft', 'native', 2, [1.9, 2.1], { bench_script: 'fails' }),
  ];
  const c = chooseTargets(rows);
  assert.equal(c.find((x) => x.loop === 'spec')!.chosen, 'js');
  assert.equal(c.find((x) => x.loop === 'rfft')!.chosen, null);
  const f = figures(rows);
  assert.equal(f.bench_script_breaks, 2);
  // Every call of `spec` native came from the bench script (10 of 10): the tests never call it.
  assert.equal(f.bench_only, 1);
});
