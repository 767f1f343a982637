// Which program the pipeline profiles (from the workspace's package.json), and which loops it
// optimises: the translatable loops with a kernel, ranked by the profile's CPU share (or all of
// them, in source order, when there is no profile), one per kernel.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FileAnalysis, LoopFacts } from '../analysis/types.js';
import type { Kernel } from '../ir/types.js';
import type { LoopHeat, ProfileResult, ProfileTarget } from '../profile/types.js';

export interface Candidate {
  readonly loop: LoopFacts;
  readonly kernel: Kernel;
  /** Share of the run's CPU time in this loop (nested loops included), 0..1; undefined without a profile. */
  readonly share?: number;
  readonly heat?: LoopHeat;
}

/**
 * What to run: the package.json `main`, else a `start` script of the form `node [flags] <file> [args…]`
 * (run as a file target, so TS needs no loader in the workspace), else `npm run start`; undefined when
 * there is nothing to run.
 */
export function profileTargetOf(root: string): ProfileTarget | undefined {
  const pkgFile = join(root, 'package.json');
  if (!existsSync(pkgFile)) return undefined;
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as {
    main?: unknown;
    scripts?: Record<string, unknown>;
  };
  const start = typeof pkg.scripts?.start === 'string' ? pkg.scripts.start : undefined;
  if (start) {
    const words = start.trim().split(/\s+/);
    if (words[0] === 'node' || words[0] === 'tsx') {
      let i = 1;
      while (i < words.length && words[i]!.startsWith('-'))
        i += words[i] === '--import' || words[i] === '-r' || words[i] === '--require' ? 2 : 1;
      const file = words[i];
      if (file && /\.[cm]?[jt]sx?$/.test(file) && !/[|&;<>$`]/.test(start))
        return { kind: 'file', file, args: words.slice(i + 1) };
    }
  }
  if (typeof pkg.main === 'string' && existsSync(join(root, pkg.main)))
    return { kind: 'file', file: pkg.main, args: [] };
  return start ? { kind: 'npm', script: 'start' } : undefined;
}

/** The loop's own heat entry (nested loops have their own). */
function heatOf(profile: ProfileResult | undefined, loop: LoopFacts): LoopHeat | undefined {
  return profile?.loops.find((h) => h.loopId === loop.id);
}

/**
 * Whether a workspace-relative path is test code (`test/`, `tests/`, `__tests__/`, `spec/` folders,
 * `*.test.*`, `*.spec.*`): its loops are helpers of the workload, not the code the user ships.
 */
export function isTestFile(path: string): boolean {
  const p = path.replaceAll('\\', '/');
  return /(^|\/)(test|tests|__tests__|spec|specs)\//.test(p) || /\.(test|spec)\.[cm]?[jt]sx?$/.test(p);
}

/**
 * Translatable loops with a kernel, one per kernel, ranked by CPU share: the `top` (default 3) with
 * samples in the profile (none when no loop has any); without a profile every translatable loop in
 * source order (up to `top` when given).
 */
export function pickLoops(
  files: readonly FileAnalysis[],
  profile: ProfileResult | undefined,
  top?: number,
): Candidate[] {
  const all: Candidate[] = [];
  const seen = new Set<string>();
  for (const f of files) {
    for (const loop of f.loops) {
      const k = loop.kernel;
      if (!k || !loop.verdict.translatable || isTestFile(loop.file)) continue;
      const key = `${loop.file}#${k.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const heat = heatOf(profile, loop);
      all.push({
        loop,
        kernel: k,
        ...(heat ? { share: heat.totalShare, heat } : profile ? { share: 0 } : {}),
      });
    }
  }
  if (!profile) return top === undefined ? all : all.slice(0, top);
  const hot = all.filter((c) => (c.share ?? 0) > 0).sort((a, b) => (b.share ?? 0) - (a.share ?? 0));
  // A loop with no samples under the workload is never optimised: its speed-up would be of nothing.
  return hot.slice(0, top ?? 3);
}

/** n for a loop: the longest array the shapes pass saw, capped; else the default. */
export function sizeFor(c: Candidate, dflt: number, cap: number): number {
  const lengths = c.heat?.shape?.arrays.map((a) => a.maxLength) ?? [];
  const seen = lengths.length ? Math.max(...lengths) : 0;
  return Math.max(1, Math.min(cap, seen > 0 ? seen : dflt));
}
