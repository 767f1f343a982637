// bench:rewrites' figures from its rows (one row per loop and target): the closing JSON line, and
// the choice of one target per loop. A loop's rewrite is what `hotloop apply --all` would apply:
// of its targets whose tests pass under HOTLOOP_STRICT=1, whose result agrees with the original's
// and whose speedup's 95 % CI lies above 1, the fastest — or none (the loop stays as it is, 1×).
// `wins` and `typed_data_loops` count loops with that choice; the `rows_…` figures count every
// (loop, target) row as before. Rows of several runs (`--merge`) are pooled by (lib, loop).

export type Stage = 'scaffold' | 'build' | 'apply' | 'tests' | 'bench' | 'undo' | 'done';

export interface LoopResult {
  lib: string;
  loop: string;
  target: string;
  /** The data is typed: the kernel's arrays are typed arrays in the source, or the tests pass typed arrays at every call. */
  typed: boolean;
  typed_declared: boolean;
  typed_at_call: boolean;
  /** The unmodified tests run the loop (V8 coverage); false: not built, reported as not exercised. */
  ran: boolean;
  stage: Stage;
  built: boolean;
  applied: boolean;
  tests_pass: boolean | null;
  /** Calls that reached the wrapper during the tests, and calls the wrapper ran as the original. */
  calls: number;
  /** Of those, calls from the library's own bench script (run after the tests, strict, when it ships one). */
  bench_calls?: number;
  /** The bench script's output, timings left out, against the unmodified library's (null: no bench script). */
  bench_script?: 'same' | 'differs' | 'fails' | null;
  fallback_calls: number;
  fallback_warnings: number;
  silent_fallback: boolean;
  typecheck: 'ok' | 'broken' | 'n/a';
  /** Original ÷ rewrite with the arrays as the tests passed them (a number[] converted on every call). */
  speedup: number | null;
  ci: [number, number] | null;
  win: boolean;
  /** The same with the data already typed (number[] → Float64Array upstream; in wasm memory for wasm). */
  speedup_typed: number | null;
  ci_typed: [number, number] | null;
  win_typed: boolean;
  /** The original's own time on the typed data ÷ as called (what the upstream change alone does to the JS). */
  original_typed_ratio: number | null;
  /** How the wrapper ran each variant ('copied', 'in-place', 'native'…). */
  mode: string | null;
  mode_typed: string | null;
  bench_size: number | null;
  /** The distinct recorded calls of that size replayed in turn (the workload's mix). */
  bench_mix: number | null;
  undo_exact: boolean | null;
  why: string;
}

/** The target `hotloop apply --all` would apply to one loop, and what it measured. */
export interface LoopChoice {
  readonly lib: string;
  readonly loop: string;
  /** Typed in the source, or typed arrays at every call the tests made (any row that ran them). */
  readonly typed: boolean;
  readonly targets: readonly string[];
  /** The chosen target, or null: no target measured faster with its CI above 1 (nothing applied). */
  readonly chosen: string | null;
  readonly speedup: number | null;
  readonly ci: [number, number] | null;
  readonly win: boolean;
  /** The fastest target measured at all (chosen or not), for the table. */
  readonly best_measured: string | null;
  readonly best_speedup: number | null;
}

const agrees = (r: LoopResult): boolean => !/differs/.test(r.why);

/** True when `--all` would apply this row: tests pass (strict), the result agrees, the CI is above 1. */
export function applicable(r: LoopResult): boolean {
  return (
    r.tests_pass === true &&
    r.bench_script !== 'differs' &&
    r.bench_script !== 'fails' &&
    r.speedup !== null &&
    r.ci !== null &&
    r.ci[0] > 1 &&
    agrees(r)
  );
}

/** One choice per (lib, loop), in the order the rows first name them. */
export function chooseTargets(rows: readonly LoopResult[]): LoopChoice[] {
  const groups = new Map<string, LoopResult[]>();
  for (const r of rows) {
    const k = `${r.lib}\0${r.loop}`;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  return [...groups.values()].map((g) => {
    const first = g[0]!;
    const byspeed = (a: LoopResult, b: LoopResult): number => (b.speedup ?? 0) - (a.speedup ?? 0);
    const chosen = g.filter(applicable).sort(byspeed)[0];
    const best = g.filter((r) => r.speedup !== null && r.tests_pass === true).sort(byspeed)[0];
    return {
      lib: first.lib,
      loop: first.loop,
      typed: g.some((r) => r.typed),
      targets: g.map((r) => r.target),
      chosen: chosen?.target ?? null,
      speedup: chosen?.speedup ?? null,
      ci: chosen?.ci ?? null,
      win: chosen?.win ?? false,
      best_measured: best?.target ?? null,
      best_speedup: best?.speedup ?? null,
    };
  });
}

export const median = (xs: readonly number[]): number | null => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** The closing line's figures: rows (attempted … undo_exact) and loops (wins, typed_data_loops …). */
export function figures(all: readonly LoopResult[]): Record<string, unknown> {
  const choices = chooseTargets(all);
  const speedups = all.flatMap((r) => (r.speedup === null ? [] : [r.speedup]));
  return {
    attempted: all.length,
    scaffolded: all.filter((r) => r.stage !== 'scaffold').length,
    built: all.filter((r) => r.built).length,
    applied: all.filter((r) => r.applied).length,
    tests_pass: all.filter((r) => r.tests_pass === true).length,
    exercised: all.filter((r) => r.calls > 0).length,
    not_exercised: all.filter((r) => (r.tests_pass === true && r.calls === 0) || !r.ran).length,
    silent_fallbacks: all.filter((r) => r.silent_fallback).length,
    /** Rows whose library's bench script failed or printed something else with the rewrite applied. */
    bench_script_breaks: all.filter((r) => r.bench_script === 'differs' || r.bench_script === 'fails').length,
    /** Rows only the bench script calls (the tests never do). */
    bench_only: all.filter((r) => (r.bench_calls ?? 0) > 0 && r.calls === r.bench_calls).length,
    typecheck_breaks: all.filter((r) => r.typecheck === 'broken').length,
    undo_exact: all.filter((r) => r.undo_exact === true).length,
    loops: choices.length,
    /** Loops whose chosen target (what `apply --all` applies) is a win: ≥ 1.2× with the CI above 1. */
    wins: choices.filter((c) => c.win).length,
    typed_data_loops: choices.filter((c) => c.typed).length,
    typed_data_wins: choices.filter((c) => c.typed && c.win).length,
    /** Typed-data loops with a measured rewrite (the tests run them and a target applied and was timed). */
    typed_data_loops_measured: choices.filter((c) => c.typed && c.best_measured !== null).length,
    /** Loops `apply --all` would change (a target faster with its CI above 1), wins or not. */
    loops_applied_by_all: choices.filter((c) => c.chosen !== null).length,
    median_speedup_chosen: median(choices.flatMap((c) => (c.speedup === null ? [] : [c.speedup]))),
    rows_wins: all.filter((r) => r.win).length,
    rows_typed: all.filter((r) => r.typed).length,
    rows_typed_wins: all.filter((r) => r.typed && r.win).length,
    /** Rows that would win if the caller kept its data typed (number[] → Float64Array upstream; wasm memory for wasm). */
    wins_if_typed: all.filter((r) => r.win_typed).length,
    median_speedup_typed: median(all.flatMap((r) => (r.speedup_typed === null ? [] : [r.speedup_typed]))),
    median_speedup: median(speedups),
    choices,
    per_loop: all,
  };
}

/** Rows padded into columns under a header and a rule. */
function columns(head: readonly string[], rows: readonly string[][]): string {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: readonly string[]): string => r.map((c, i) => c.padEnd(w[i]!)).join('  ');
  return `${line(head)}\n${line(w.map((n) => '─'.repeat(n)))}\n${rows.map(line).join('\n')}\n`;
}

/** The human-readable tables of a run: every row, the reasons, and one target per loop. */
export function printTable(all: readonly LoopResult[]): void {
  const x = (v: number | null, ci: [number, number] | null): string =>
    v === null || !ci ? '—' : `${v.toFixed(2)}× [${ci[0].toFixed(2)}–${ci[1].toFixed(2)}]`;
  const rows = all.map((r) => [
    r.lib,
    r.loop,
    r.target,
    r.stage === 'done' ? 'done' : `stopped at ${r.stage}`,
    r.tests_pass === null ? '—' : r.tests_pass ? 'pass' : 'FAIL',
    String(r.calls),
    r.typed_declared ? 'typed (source)' : r.typed_at_call ? 'typed (calls)' : 'number[]',
    x(r.speedup, r.ci),
    x(r.speedup_typed, r.ci_typed),
    r.undo_exact === null ? '—' : r.undo_exact ? 'exact' : 'NO',
  ]);
  const head = [
    'lib',
    'loop',
    'target',
    'stage',
    'tests',
    'calls',
    'data',
    'as called (95% CI)',
    'data already typed (95% CI)',
    'undo',
  ];
  process.stdout.write(columns(head, rows));
  for (const r of all) if (r.why) process.stdout.write(`  ${r.lib} ${r.loop} ${r.target}: ${r.why}\n`);
  // One target per loop: what `hotloop apply --all` would apply.
  const f = (v: number | null): string => (v === null ? '—' : `${v.toFixed(2)}×`);
  const choices = chooseTargets(all).map((c) => [
    c.lib,
    c.loop,
    c.typed ? 'typed' : 'number[]',
    c.chosen ?? 'none (stays JS)',
    c.chosen ? `${f(c.speedup)} [${c.ci![0].toFixed(2)}–${c.ci![1].toFixed(2)}]` : '—',
    c.win ? 'WIN' : '',
    c.best_measured ? `${c.best_measured} ${f(c.best_speedup)}` : '—',
  ]);
  const h2 = ['lib', 'loop', 'data', 'chosen', 'speedup (95% CI)', 'win', 'best measured'];
  process.stdout.write(`\n${columns(h2, choices)}`);
}
