// `hotloop compare`: before/after of a target. `--save-baseline` runs it k times under the profiler and
// stores the runs as its baseline (.hotloop/baselines/); without it the target runs k times again and
// is compared with the baseline: whole-run speedup with its 95 % CI and each loop's share before vs after.
import { resolve } from 'node:path';
import {
  compareWithBaseline,
  DEFAULT_RUNS,
  profileBeforeAfter,
  readBaseline,
  saveBaseline,
} from '../core/profile/beforeAfter.js';
import { formatComparison } from '../core/profile/compare.js';
import { DEFAULT_INTERVAL_US, DEFAULT_TIMEOUT_MS } from '../core/profile/index.js';
import type { CliCommand } from './command.js';
import { stderrLogger } from './logger.js';
import type { RunArgs } from './runArgs.js';
import { parsedOrExit, parseRunArgs } from './runArgs.js';

const help = `usage: hotloop compare [options] <file.ts|file.js> [-- args…]
       hotloop compare [options] --script <file.js> | --npm <script> [-- args…]

Before/after of a rewrite, for the whole program: first save a baseline of the target
(--save-baseline), change the code (e.g. apply a rewrite), then compare: the target runs
--runs times under the profiler; the result is the speedup of the median wall time with its
bootstrap 95 % CI ("1.9× faster, 95 % CI 1.7–2.1×" or "no difference") and each loop's share
of the CPU time before vs after.

options:
  --save-baseline     run the target and store the runs as its baseline (the "before")
  --baseline <file>   compare with this baseline file instead of the stored one
  --runs <k>          runs of the target per side (default ${DEFAULT_RUNS})
  --root <dir>        workspace root (cwd of the target, base of loop ids); default: cwd
  --interval <µs>     sampling interval (default ${DEFAULT_INTERVAL_US})
  --timeout <s>       per-run limit in seconds (default ${DEFAULT_TIMEOUT_MS / 1000})
  --json              print the comparison as JSON
  --verbose           log the runs and the target's output to stderr
`;

interface Parsed extends RunArgs {
  save: boolean;
  baseline?: string;
  runs: number;
}

function parse(args: readonly string[]): Parsed | string {
  const own = { save: false, baseline: undefined as string | undefined, runs: DEFAULT_RUNS };
  const common = parseRunArgs(args, (name, value) => {
    switch (name) {
      case '--save-baseline':
        own.save = true;
        return true;
      case '--baseline':
        own.baseline = resolve(value());
        return true;
      case '--runs':
        own.runs = Number(value());
        return true;
      default:
        return false;
    }
  });
  if (typeof common === 'string') return common;
  if (!common.target) return 'give the target: a file, --script or --npm';
  if (!(Number.isInteger(own.runs) && own.runs >= 1))
    return '--runs must be a whole number ≥ 1 (3 or more for a CI)';
  if (own.save && own.baseline) return '--save-baseline and --baseline exclude each other';
  return { ...common, save: own.save, runs: own.runs, ...(own.baseline ? { baseline: own.baseline } : {}) };
}

export const compareCommand: CliCommand = {
  name: 'compare',
  summary: 'before/after of a rewrite: save a baseline, then compare wall time and loop shares',
  async run(args, ctx) {
    const p = parsedOrExit('compare', help, args, ctx, parse);
    if (typeof p === 'number') return p;
    const target = p.target!;
    const log = stderrLogger(ctx, p.verbose);
    const opts = {
      root: p.root,
      runs: p.runs,
      intervalUs: p.interval,
      timeoutMs: p.timeoutS * 1000,
      signal: ctx.signal,
      log,
    };
    if (p.save) {
      const set = await profileBeforeAfter(target, opts);
      const file = saveBaseline(p.root, target, set.profiles);
      const med = [...set.wallMs].sort((a, b) => a - b)[Math.floor((set.wallMs.length - 1) / 2)]!;
      ctx.stdout.write(
        p.json
          ? `${JSON.stringify({ baseline: file, wallMs: set.wallMs })}\n`
          : `baseline saved to ${file} (${set.wallMs.length} runs, median ${med.toFixed(0)} ms wall)\n`,
      );
      return 0;
    }
    const before = p.baseline ? readBaseline(p.baseline).runs : undefined;
    const { comparison } = await compareWithBaseline(target, { ...opts, ...(before ? { before } : {}) });
    ctx.stdout.write(p.json ? `${JSON.stringify(comparison)}\n` : formatComparison(comparison));
    return 0;
  },
};
