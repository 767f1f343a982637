// Several runs of one short workload as one profile: a library's test suite often runs its loops for
// a few milliseconds, so one run gives them no sample at all. Times add up (loops, functions, lines,
// threads), shares are recomputed over the summed time, the verdict is re-derived, and the shapes of a
// loop are those of the first run that has them.
import type { FunctionHeat, LoopHeat, ProfileResult, SampleCategory, Shares } from './types.js';
import { classifyRun } from './verdict.js';

const share = (ms: number, total: number): number => (total > 0 ? ms / total : 0);

function mergeLoops(a: readonly LoopHeat[], b: readonly LoopHeat[], total: number): LoopHeat[] {
  const by = new Map<string, LoopHeat>();
  for (const h of [...a, ...b]) {
    const p = by.get(h.loopId);
    if (!p) {
      by.set(h.loopId, h);
      continue;
    }
    by.set(h.loopId, {
      ...p,
      selfMs: p.selfMs + h.selfMs,
      totalMs: p.totalMs + h.totalMs,
      inclusiveMs: p.inclusiveMs + h.inclusiveMs,
      gcMs: p.gcMs + h.gcMs,
      waitMs: p.waitMs + h.waitMs,
      threads: [...new Set([...p.threads, ...h.threads])],
      ...((p.shape ?? h.shape) ? { shape: p.shape ?? h.shape } : {}),
    });
  }
  return [...by.values()]
    .map((h) => ({ ...h, selfShare: share(h.selfMs, total), totalShare: share(h.totalMs, total) }))
    .sort((x, y) => y.totalMs - x.totalMs);
}

function mergeFunctions(
  a: readonly FunctionHeat[],
  b: readonly FunctionHeat[],
  total: number,
): FunctionHeat[] {
  const key = (f: FunctionHeat): string => `${f.file}\0${f.line}\0${f.functionName}`;
  const by = new Map<string, FunctionHeat>();
  for (const f of [...a, ...b]) {
    const p = by.get(key(f));
    by.set(
      key(f),
      p
        ? {
            ...p,
            selfMs: p.selfMs + f.selfMs,
            totalMs: p.totalMs + f.totalMs,
            gcMs: p.gcMs + f.gcMs,
            idleMs: p.idleMs + f.idleMs,
            threads: [...new Set([...p.threads, ...f.threads])],
          }
        : f,
    );
  }
  return [...by.values()]
    .map((f) => {
      const all = f.totalMs + f.gcMs + f.idleMs;
      return {
        ...f,
        selfShare: share(f.selfMs, total),
        totalShare: share(f.totalMs, total),
        cpuShare: share(f.totalMs, all),
        gcShare: share(f.gcMs, all),
        idleShare: share(f.idleMs, all),
      };
    })
    .sort((x, y) => y.totalMs - x.totalMs);
}

function mergeShares(a: ProfileResult, b: ProfileResult): Shares {
  const t = a.totalMs + b.totalMs;
  const out = {} as Record<SampleCategory, number>;
  for (const k of Object.keys(a.shares) as SampleCategory[])
    out[k] = share(a.shares[k] * a.totalMs + b.shares[k] * b.totalMs, t);
  return out;
}

function mergeLines(a: ProfileResult['lines'], b: ProfileResult['lines']): ProfileResult['lines'] {
  const out: Record<string, Record<number, number>> = {};
  for (const lines of [a, b])
    for (const [file, byLine] of Object.entries(lines)) {
      const acc = (out[file] ??= {});
      for (const [line, ms] of Object.entries(byLine)) acc[Number(line)] = (acc[Number(line)] ?? 0) + ms;
    }
  return out;
}

/** One profile of runs `a` and `b` of the same target (times summed, shares over the sum). */
export function mergeProfiles(a: ProfileResult, b: ProfileResult): ProfileResult {
  const totalMs = a.totalMs + b.totalMs;
  const loops = mergeLoops(a.loops, b.loops, totalMs);
  const shares = mergeShares(a, b);
  const cpuShare = share(a.verdict.cpuShare * a.totalMs + b.verdict.cpuShare * b.totalMs, totalMs);
  return {
    ...a,
    totalMs,
    shares,
    verdict: classifyRun(shares, cpuShare, loops[0]),
    loops,
    functions: mergeFunctions(a.functions, b.functions, totalMs),
    lines: mergeLines(a.lines, b.lines),
    threads: [...a.threads, ...b.threads],
    children: [...a.children, ...b.children],
    warnings: [...new Set([...a.warnings, ...b.warnings])],
  };
}
