// Before/after: did a rewrite help the *program*, not only the kernel? Compares k profiled runs of a
// target before a change with k runs after it — the whole run's wall time (median, bootstrap 95 % CI
// of the speedup of medians, a verdict decided by that CI) and each loop's share of the CPU time
// (matched by Loop-fact id, or by file + function where the loop disappeared because its body became
// a call). Pure data in, data out: no file system, no vscode (the webview imports the types).
import { bootstrapMedianCI, bootstrapRatioCI, mad, median, verdictOf } from '../bench/stats.js';
import { fmtRatio } from '../format.js';
import type { Verdict } from '../bench/stats.js';
import type { Interval } from '../bench/types.js';
import type { FunctionHeat, LoopHeat, ProfileResult } from './types.js';

/** Wall times of one side (ms): every run, their median, MAD and the bootstrap 95 % CI of the median. */
export interface WallStats {
  readonly runs: readonly number[];
  readonly median: number;
  readonly mad: number;
  /** Undefined with fewer than MIN_RUNS_FOR_CI runs. */
  readonly ci?: Interval;
}

export interface SideSummary {
  readonly label: string;
  /** createdAt of the newest run of this side. */
  readonly createdAt: string;
  readonly wall: WallStats;
  /** Median sampled CPU time per run, ms. */
  readonly cpuMs: number;
}

/** A loop's figures on one side: medians over that side's runs (a run where it was not sampled counts 0). */
export interface LoopSide {
  readonly selfShare: number;
  readonly totalShare: number;
  readonly totalMs: number;
  /** How the after side was found: the same Loop-fact id, or the enclosing function (the loop is gone). */
  readonly matchedBy: 'loop' | 'function';
}

export type LoopChange =
  /** Seen before and after under the same Loop-fact id. */
  | 'kept'
  /** Gone after, its function still seen (body replaced by a call): the function's figures stand in. */
  | 'replaced'
  /** Neither the loop nor its function was sampled after. */
  | 'gone'
  /** Sampled only after. */
  | 'new';

export interface LoopDelta {
  readonly loopId: string;
  readonly file: string;
  /** One-based line of the loop (of the side that has it; before where both do). */
  readonly line: number;
  readonly functionName: string;
  readonly change: LoopChange;
  readonly before?: LoopSide;
  readonly after?: LoopSide;
}

export type CompareVerdict = Verdict | 'not enough runs';

export interface Speedup {
  /** median(before wall) ÷ median(after wall): above 1 = the run got faster. */
  readonly ratio: number;
  /** Bootstrap 95 % CI of the ratio of medians; undefined with too few runs. */
  readonly ci?: Interval;
  readonly verdict: CompareVerdict;
  /** "1.93× faster, 95 % CI 1.81–2.05×" / "no difference (…)" / "… slower …". */
  readonly text: string;
}

export interface BeforeAfterComparison {
  readonly schema: 1;
  readonly kind: 'before-after';
  readonly id: string;
  readonly createdAt: string;
  /** What ran (the target's label). */
  readonly label: string;
  readonly before: SideSummary;
  readonly after: SideSummary;
  readonly speedup: Speedup;
  /** Loops by share before (largest first), then loops new after. */
  readonly loops: readonly LoopDelta[];
  readonly notes: readonly string[];
}

export interface CompareOptions {
  /** Loops below this share on both sides are left out (default 0.005 = 0.5 %). */
  readonly minShare?: number;
  /** At most this many loops (default 20). */
  readonly maxLoops?: number;
  /** Equivalence band of the verdict: within ±e the runs are the same (default 0.03). */
  readonly equivalence?: number;
  readonly id?: string;
  readonly now?: Date;
}

/** A CI from fewer runs than this is not worth showing (a bootstrap of 1–2 values is degenerate). */
export const MIN_RUNS_FOR_CI = 3;

const wallOf = (r: ProfileResult): number | undefined =>
  r.outcome && r.outcome.wallMs > 0 ? r.outcome.wallMs : undefined;

function wallStats(runs: readonly ProfileResult[]): WallStats {
  const walls = runs.map(wallOf).filter((x): x is number => x !== undefined);
  if (walls.length === 0)
    throw new Error(
      'Before/after needs profiled runs with a wall time (runs of a target, not imported .cpuprofile files).',
    );
  return {
    runs: walls,
    median: median(walls),
    mad: mad(walls),
    ...(walls.length >= MIN_RUNS_FOR_CI ? { ci: bootstrapMedianCI(walls) } : {}),
  };
}

function side(runs: readonly ProfileResult[]): SideSummary {
  const newest = [...runs].sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0]!;
  return {
    label: newest.label,
    createdAt: newest.createdAt,
    wall: wallStats(runs),
    cpuMs: median(runs.map((r) => r.totalMs)),
  };
}

/** The last name of a function path: `Stats.mean` → `mean`, `outer/inner` → `inner`. */
const lastName = (name: string): string => name.split(/[./#]/).filter(Boolean).pop() ?? name;

function findFunction(r: ProfileResult, file: string, functionName: string): FunctionHeat | undefined {
  const inFile = r.functions.filter((f) => f.file === file);
  return (
    inFile.find((f) => f.functionName === functionName) ??
    inFile.find((f) => lastName(f.functionName) === lastName(functionName))
  );
}

function loopSide(runs: readonly ProfileResult[], loopId: string): LoopSide | undefined {
  const seen = runs.map((r) => r.loops.find((l) => l.loopId === loopId));
  if (seen.every((l) => l === undefined)) return undefined;
  const med = (f: (l: LoopHeat) => number): number => median(seen.map((l) => (l ? f(l) : 0)));
  return {
    selfShare: med((l) => l.selfShare),
    totalShare: med((l) => l.totalShare),
    totalMs: med((l) => l.totalMs),
    matchedBy: 'loop',
  };
}

function functionSide(
  runs: readonly ProfileResult[],
  file: string,
  functionName: string,
): LoopSide | undefined {
  const seen = runs.map((r) => findFunction(r, file, functionName));
  if (seen.every((f) => f === undefined)) return undefined;
  const med = (f: (x: FunctionHeat) => number): number => median(seen.map((x) => (x ? f(x) : 0)));
  return {
    selfShare: med((x) => x.selfShare),
    totalShare: med((x) => x.totalShare),
    totalMs: med((x) => x.totalMs),
    matchedBy: 'function',
  };
}

/** The sentence for the whole run. */
export function speedupText(
  ratio: number,
  ci: Interval | undefined,
  verdict: CompareVerdict,
  runs: { before: number; after: number },
): string {
  if (verdict === 'not enough runs' || !ci) {
    const by = ratio >= 1 ? `${fmtRatio(ratio)}× faster` : `${fmtRatio(1 / ratio)}× slower`;
    return `${by} by the medians, but with ${runs.before} run(s) before and ${runs.after} after there is no CI: compare at least ${MIN_RUNS_FOR_CI} runs each (save a baseline first)`;
  }
  if (verdict === 'faster')
    return `${fmtRatio(ratio)}× faster, 95 % CI ${fmtRatio(ci.low)}–${fmtRatio(ci.high)}×`;
  if (verdict === 'slower')
    return `${fmtRatio(1 / ratio)}× slower, 95 % CI ${fmtRatio(1 / ci.high)}–${fmtRatio(1 / ci.low)}×`;
  return `no difference (95 % CI of the speedup ${fmtRatio(ci.low)}–${fmtRatio(ci.high)}×)`;
}

/**
 * Compares runs of the same target before and after a change: wall-time speedup of the medians with
 * its bootstrap CI and verdict, and each loop's share before vs after.
 */
export function compareRuns(
  before: readonly ProfileResult[],
  after: readonly ProfileResult[],
  opts: CompareOptions = {},
): BeforeAfterComparison {
  if (before.length === 0 || after.length === 0)
    throw new Error(
      `Before/after needs runs on both sides (got ${before.length} before, ${after.length} after).`,
    );
  const b = side(before);
  const a = side(after);
  const ratio = b.wall.median / a.wall.median;
  const enough = b.wall.runs.length >= MIN_RUNS_FOR_CI && a.wall.runs.length >= MIN_RUNS_FOR_CI;
  const ci = enough ? bootstrapRatioCI(b.wall.runs, a.wall.runs) : undefined;
  const verdict: CompareVerdict = ci ? verdictOf(ci, opts.equivalence ?? 0.03, ratio) : 'not enough runs';
  const speedup: Speedup = {
    ratio,
    ...(ci ? { ci } : {}),
    verdict,
    text: speedupText(ratio, ci, verdict, { before: b.wall.runs.length, after: a.wall.runs.length }),
  };

  // Every loop of either side, described by the first run that has it.
  const described = new Map<string, LoopHeat>();
  for (const r of [...before, ...after])
    for (const l of r.loops) if (!described.has(l.loopId)) described.set(l.loopId, l);
  const minShare = opts.minShare ?? 0.005;
  const deltas: LoopDelta[] = [];
  for (const [loopId, l] of described) {
    const bs = loopSide(before, loopId);
    let as = loopSide(after, loopId);
    let change: LoopChange = bs ? 'kept' : 'new';
    if (bs && !as) {
      as = functionSide(after, l.file, l.functionName);
      change = as ? 'replaced' : 'gone';
    }
    if (Math.max(bs?.totalShare ?? 0, as?.totalShare ?? 0) < minShare) continue;
    deltas.push({
      loopId,
      file: l.file,
      line: l.range.start.line + 1,
      functionName: l.functionName,
      change,
      ...(bs ? { before: bs } : {}),
      ...(as ? { after: as } : {}),
    });
  }
  deltas.sort(
    (x, y) =>
      (y.before?.totalShare ?? -1) - (x.before?.totalShare ?? -1) ||
      (y.after?.totalShare ?? 0) - (x.after?.totalShare ?? 0),
  );

  const notes: string[] = [];
  const labels = new Set([...before, ...after].map((r) => r.label));
  if (labels.size > 1)
    notes.push(
      `The runs are of different targets (${[...labels].join(' / ')}): the comparison only means something for the same target.`,
    );
  const failed = [...before, ...after].filter(
    (r) => r.outcome && (r.outcome.exitCode !== 0 || r.outcome.timedOut || r.outcome.cancelled),
  );
  if (failed.length)
    notes.push(
      `${failed.length} run(s) did not finish normally (crash, timeout or cancel): their wall times are not comparable.`,
    );
  if (!enough)
    notes.push(
      `The CI needs at least ${MIN_RUNS_FOR_CI} runs on each side (${b.wall.runs.length} before, ${a.wall.runs.length} after).`,
    );
  notes.push(
    'Shares are of each run’s own CPU time: a loop that got faster leaves a larger share to everything else, so read shares together with the milliseconds.',
  );
  const now = opts.now ?? new Date();
  return {
    schema: 1,
    kind: 'before-after',
    id: opts.id ?? `compare-${now.toISOString().replace(/[:.]/g, '-')}`,
    createdAt: now.toISOString(),
    label: a.label,
    before: b,
    after: a,
    speedup,
    loops: deltas.slice(0, opts.maxLoops ?? 20),
    notes,
  };
}

const pct = (x: number): string => `${(x * 100).toFixed(x >= 0.095 ? 0 : 1)} %`;

/** The CLI report of a comparison. */
export function formatComparison(c: BeforeAfterComparison): string {
  const ms = (x: number): string => `${x.toFixed(x >= 100 ? 0 : 1)} ms`;
  const wall = (s: SideSummary): string =>
    `${ms(s.wall.median)}${s.wall.ci ? ` (95 % CI ${ms(s.wall.ci.low)}–${ms(s.wall.ci.high)})` : ''} over ${s.wall.runs.length} run(s)`;
  const out = [
    `Before/after of ${c.label}`,
    `wall time: before ${wall(c.before)}, after ${wall(c.after)}`,
    `whole run: ${c.speedup.text}`,
    '',
    'loops (share of CPU before → after, ms):',
  ];
  if (c.loops.length === 0) out.push('  (no loop above 0.5 % on either side)');
  for (const l of c.loops) {
    const s = (x?: LoopSide): string => (x ? `${pct(x.totalShare)} (${ms(x.totalMs)})` : '—');
    const how =
      l.change === 'replaced'
        ? '  [loop gone; its function after]'
        : l.change === 'gone'
          ? '  [gone]'
          : l.change === 'new'
            ? '  [new]'
            : '';
    out.push(`  ${l.file}:${l.line}  ${l.functionName}  ${s(l.before)} → ${s(l.after)}${how}`);
  }
  if (c.notes.length) out.push('', ...c.notes.map((n) => `note: ${n}`));
  return `${out.join('\n')}\n`;
}
