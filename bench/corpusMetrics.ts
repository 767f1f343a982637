// The real-code corpus's figures: matching hand labels (corpus/<lib>/LOOPS.json) to the loops the
// analysis found (by file and 1-based start line) and computing recall, traps called translatable,
// scaffold agreement and the false negatives with their reasons. Pure: no IO, no analysis.
import type { FileAnalysis, LoopFacts } from '../src/core/analysis/types.js';

export type LoopLabelKind = 'kernel' | 'trap' | 'out-of-scope' | 'inner';
const LABEL_KINDS: readonly LoopLabelKind[] = ['kernel', 'trap', 'out-of-scope', 'inner'];

export interface LoopLabel {
  readonly file: string;
  /** 1-based line of the loop's first token. */
  readonly line: number;
  readonly function: string;
  readonly label: LoopLabelKind;
  readonly why: string;
}

export interface LoopsFile {
  readonly lib: string;
  readonly loops: readonly LoopLabel[];
}

/** Validates a parsed LOOPS.json; throws with the first problem. */
export function parseLoopsFile(value: unknown, where: string): LoopsFile {
  if (typeof value !== 'object' || value === null) throw new Error(`${where}: expected a JSON object`);
  const v = value as { lib?: unknown; loops?: unknown };
  if (typeof v.lib !== 'string' || !Array.isArray(v.loops))
    throw new Error(`${where}: expected { "lib": string, "loops": [...] }`);
  v.loops.forEach((raw: unknown, k) => {
    const l = raw as Partial<Record<keyof LoopLabel, unknown>>;
    const bad =
      typeof l.file !== 'string'
        ? 'file'
        : typeof l.line !== 'number' || !Number.isInteger(l.line) || l.line < 1
          ? 'line (1-based integer)'
          : typeof l.function !== 'string'
            ? 'function'
            : !LABEL_KINDS.includes(l.label as LoopLabelKind)
              ? `label (one of ${LABEL_KINDS.join(', ')})`
              : typeof l.why !== 'string' || !l.why.trim()
                ? 'why'
                : undefined;
    if (bad) throw new Error(`${where}: loops[${k}] has a bad or missing "${bad}"`);
  });
  return v as LoopsFile;
}

/** Outcome of planning a scaffold for one translatable outermost loop. */
export type PlanOutcome =
  { readonly ok: true; readonly target: string } | { readonly ok: false; readonly reason: string };

/** 1-based start line of a loop (the `line` field where the analysis gives it, else range + 1). */
export function loopLine(l: LoopFacts): number {
  const line = (l as LoopFacts & { line?: unknown }).line;
  return typeof line === 'number' ? line : l.range.start.line + 1;
}

/** True when the facts carry a warning or note that tells the user the rewrite needs care. */
export function hasWarning(l: LoopFacts): boolean {
  const nonEmpty = (o: unknown, key: string): boolean => {
    const x = (o as Record<string, unknown> | undefined)?.[key];
    return (Array.isArray(x) && x.length > 0) || (typeof x === 'string' && x.length > 0);
  };
  return ['warnings', 'warning', 'notes', 'note'].some((k) => nonEmpty(l.verdict, k) || nonEmpty(l, k));
}

export interface FalseNegative {
  readonly file: string;
  readonly line: number;
  readonly function: string;
  /** The verdict's code, or `not-found` when the analysis reports no loop at that line. */
  readonly code: string;
  readonly reason: string;
}

export interface LibFigures {
  readonly lib: string;
  readonly loops: number;
  readonly labels: Record<LoopLabelKind, number>;
  readonly kernel_labels: number;
  readonly recalled: number;
  readonly recall: number;
  readonly traps_translatable: number;
  readonly traps_translatable_list: readonly string[];
  /** Translatable loops with no translatable enclosing loop (the ones a user would scaffold). */
  readonly translatable: number;
  readonly planned_ok: number;
  readonly agreement: number;
  readonly plan_failures: readonly { readonly loop: string; readonly reason: string }[];
  /** Loops the analysis found that LOOPS.json lacks (file:line function). */
  readonly unlabelled: readonly string[];
  /** Labels that match no loop of the analysis (file:line). */
  readonly unmatched_labels: readonly string[];
  readonly false_negatives: readonly FalseNegative[];
  /** How many false negatives per verdict code. */
  readonly false_negative_codes: Readonly<Record<string, number>>;
  readonly seconds: number;
}

interface Matched {
  readonly label: LoopLabel;
  readonly loop: LoopFacts | undefined;
}

/** Pairs each label with the analysis loop at its file + line (several loops on one line pair in order). */
export function matchLabels(
  labels: readonly LoopLabel[],
  files: readonly FileAnalysis[],
): { matched: Matched[]; unlabelled: LoopFacts[] } {
  const byKey = new Map<string, LoopFacts[]>();
  for (const f of files) {
    for (const l of f.loops) {
      const key = `${f.file}:${loopLine(l)}`;
      byKey.set(key, [...(byKey.get(key) ?? []), l]);
    }
  }
  const matched = labels.map((label) => {
    const queue = byKey.get(`${label.file}:${label.line}`);
    return { label, loop: queue?.shift() };
  });
  return { matched, unlabelled: [...byKey.values()].flat() };
}

/** Whether a loop, or a loop that encloses it, is called translatable. */
function coveredByTranslatable(l: LoopFacts, byId: ReadonlyMap<string, LoopFacts>): boolean {
  for (let cur: LoopFacts | undefined = l; cur; cur = cur.parentId ? byId.get(cur.parentId) : undefined) {
    if (cur.verdict.translatable) return true;
  }
  return false;
}

/** Translatable loops that no translatable loop encloses: what the plan check covers. */
export function outermostTranslatable(files: readonly FileAnalysis[]): LoopFacts[] {
  const byId = new Map(files.flatMap((f) => f.loops.map((l) => [l.id, l] as const)));
  return files.flatMap((f) =>
    f.loops.filter((l) => {
      const parent = l.parentId ? byId.get(l.parentId) : undefined;
      return l.verdict.translatable && !(parent && coveredByTranslatable(parent, byId));
    }),
  );
}

function countBy(keys: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of keys) out[k] = (out[k] ?? 0) + 1;
  return out;
}

const ratio = (a: number, b: number): number => (b === 0 ? 1 : a / b);
const where = (file: string, l: LoopFacts): string => `${file}:${loopLine(l)} ${l.functionName}`;

/** The figures of one lib from its labels, its analysis and the plan outcome of each outermost translatable loop (by loop id). */
export function libFigures(
  lib: string,
  labels: readonly LoopLabel[],
  files: readonly FileAnalysis[],
  plans: ReadonlyMap<string, PlanOutcome>,
  seconds: number,
): LibFigures {
  const byId = new Map(files.flatMap((f) => f.loops.map((l) => [l.id, l] as const)));
  const { matched, unlabelled } = matchLabels(labels, files);
  const counts: Record<LoopLabelKind, number> = { kernel: 0, trap: 0, 'out-of-scope': 0, inner: 0 };
  for (const l of labels) counts[l.label]++;
  const falseNegatives: FalseNegative[] = [];
  let recalled = 0;
  const traps: string[] = [];
  for (const { label, loop } of matched) {
    if (label.label === 'kernel') {
      if (loop && coveredByTranslatable(loop, byId)) recalled++;
      else {
        const v = loop?.verdict;
        falseNegatives.push({
          file: label.file,
          line: label.line,
          function: label.function,
          code: !v ? 'not-found' : v.translatable ? 'translatable' : v.code,
          reason: !v ? 'the analysis reports no loop at this line' : v.translatable ? '' : v.reason,
        });
      }
    } else if (label.label === 'trap' && loop?.verdict.translatable && !hasWarning(loop)) {
      traps.push(`${label.file}:${label.line} ${label.function}`);
    }
  }
  const outer = outermostTranslatable(files);
  const failures = outer.flatMap((l) => {
    const p = plans.get(l.id) ?? { ok: false, reason: 'not planned' };
    return p.ok ? [] : [{ loop: where(l.file, l), reason: p.reason }];
  });
  const kernel = counts.kernel;
  return {
    lib,
    loops: byId.size,
    labels: counts,
    kernel_labels: kernel,
    recalled,
    recall: ratio(recalled, kernel),
    traps_translatable: traps.length,
    traps_translatable_list: traps,
    translatable: outer.length,
    planned_ok: outer.length - failures.length,
    agreement: ratio(outer.length - failures.length, outer.length),
    plan_failures: failures,
    unlabelled: unlabelled.map((l) => where(l.file, l)),
    unmatched_labels: matched
      .filter((m) => !m.loop)
      .map((m) => `${m.label.file}:${m.label.line} (${m.label.label})`),
    false_negatives: falseNegatives,
    false_negative_codes: countBy(falseNegatives.map((f) => f.code)),
    seconds,
  };
}

export interface CorpusFigures {
  readonly libs: number;
  readonly loops: number;
  readonly kernel_labels: number;
  readonly recalled: number;
  readonly recall: number;
  readonly traps_translatable: number;
  readonly translatable: number;
  readonly agreement: number;
  readonly crashed: readonly string[];
  readonly max_lib_seconds: number;
  readonly unlabelled: number;
  readonly unmatched_labels: number;
  readonly per_lib: readonly LibFigures[];
}

/** Totals over the libs (ratios of the summed counts, not means of ratios). */
export function corpusFigures(perLib: readonly LibFigures[], crashed: readonly string[]): CorpusFigures {
  const sum = (f: (l: LibFigures) => number): number => perLib.reduce((a, l) => a + f(l), 0);
  const kernel = sum((l) => l.kernel_labels);
  const translatable = sum((l) => l.translatable);
  return {
    libs: perLib.length,
    loops: sum((l) => l.loops),
    kernel_labels: kernel,
    recalled: sum((l) => l.recalled),
    recall: ratio(
      sum((l) => l.recalled),
      kernel,
    ),
    traps_translatable: sum((l) => l.traps_translatable),
    translatable,
    agreement: ratio(
      sum((l) => l.planned_ok),
      translatable,
    ),
    crashed,
    max_lib_seconds: Math.max(0, ...perLib.map((l) => l.seconds)),
    unlabelled: sum((l) => l.unlabelled.length),
    unmatched_labels: sum((l) => l.unmatched_labels.length),
    per_lib: perLib,
  };
}

/**
 * A reason with its names taken out, so that "reads property fft.re" and "reads property fft.im"
 * count as one kind of miss: what the analysis engineers fix is the shape, not the name.
 */
export function reasonShape(reason: string): string {
  const shapes: readonly (readonly [RegExp, string | ((m: string, g: string) => string)])[] = [
    [/^reads property this\.[\w$.]+/, 'reads property this.<field>'],
    [/^reads property [\w$]+\[[^\]]*\]\.length/, 'reads property <a>[i].length'],
    [/^reads property [\w$.]+\.length$/, 'reads property <obj>.<field>.length'],
    [/^reads property [\w$.]+/, 'reads property <obj>.<field>'],
    [/^type of [\w$]+ is unknown/, 'type of <name> is unknown'],
    [/^indexes a nested array .*/, 'indexes a nested array a[i][j] (use a flat typed array)'],
    [/^[\w$.]+ is (.+), not a number or a numeric array$/, '<name> is $1, not a number or a numeric array'],
    [/^[\w$.]+ has no type and reads [\w$.]+\.([\w$]+)$/, '<name> has no type and reads <name>.$1'],
    [/^assigns to [\w$.]+$/, 'assigns to <x>'],
    [/^uses the row [\w$]+\[[^\]]*\] as a value$/, 'uses the row <a>[i] as a value'],
    [/^calls (?:a |an )?[\w$ ]*\.\s*([\w$]+)\(\)$/, 'calls <obj>.$1()'],
    [/^calls [\w$]+\(\)$/, 'calls <fn>()'],
    [/^loop-carried dependence on [\w$]+/, 'loop-carried dependence on <x>'],
    [
      /^loop condition .+ with step (.+)$/,
      (_m: string, step: string) =>
        `loop condition <cond> with step ${step === '(none)' ? step : step.replace(/[A-Za-z_$][\w$]*/g, 'i')}`,
    ],
    [/^string work on [\w$]+/, 'string work on <x>'],
  ];
  const unquoted = reason.replace(/'[^']*'/g, "'…'");
  for (const [re, shape] of shapes) {
    // Two calls: replace() has no overload for a string-or-function union.
    if (re.test(unquoted))
      return typeof shape === 'string' ? unquoted.replace(re, shape) : unquoted.replace(re, shape);
  }
  return unquoted;
}

export interface ReasonGroup {
  readonly code: string;
  readonly count: number;
  /** Distinct reasons under the code, most frequent first, each with its loops (`lib file:line`). */
  readonly reasons: readonly {
    readonly reason: string;
    readonly count: number;
    readonly loops: readonly string[];
  }[];
}

/** False negatives of every lib grouped by reason code (most frequent first), then by reason shape. */
export function groupFalseNegatives(perLib: readonly LibFigures[]): ReasonGroup[] {
  const byCode = new Map<string, Map<string, string[]>>();
  for (const lib of perLib) {
    for (const fn of lib.false_negatives) {
      const reasons = byCode.get(fn.code) ?? new Map<string, string[]>();
      byCode.set(fn.code, reasons);
      const shape = reasonShape(fn.reason);
      reasons.set(shape, [
        ...(reasons.get(shape) ?? []),
        `${lib.lib} ${fn.file}:${fn.line} ${fn.function}${shape === fn.reason ? '' : ` (${fn.reason})`}`,
      ]);
    }
  }
  const groups = [...byCode].map(([code, reasons]) => ({
    code,
    count: [...reasons.values()].reduce((a, l) => a + l.length, 0),
    reasons: [...reasons]
      .map(([reason, loops]) => ({ reason, count: loops.length, loops }))
      .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
  }));
  return groups.sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
}
