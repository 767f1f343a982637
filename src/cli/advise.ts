// `hotloop advise <file|dir…> [--json] [--n N] [--recalibrate]`: which rewrite wins at size n, predicted
// by the calibrated cost model (calibration cached per machine and Node version).
import { analyzePath } from '../core/analysis/index.js';
import type { FileAnalysis } from '../core/analysis/types.js';
import { adviseKernel, adviceSummary, loadCalibration, type KernelAdvice } from '../core/advice/index.js';
import { formatN, formatSpeedup } from '../core/format.js';
import type { CliCommand, CliContext } from './command.js';

const DEFAULT_N = 100_000;

const help = `usage: hotloop advise <file|dir…> [--json] [--n N] [--recalibrate]

For every translatable loop, predicts each rewrite target's time at size n from constants measured
on this machine (the calibration: a few seconds the first time, then cached in ~/.cache/hotloop or
$HOTLOOP_CACHE_DIR), and suggests the targets predicted to win by ≥ 1.2×, with the size where each
starts to win and why.

options:
  --n N          elements per array / outer trip count to predict at (default: the loop's literal
                 trip count when it has one, else ${DEFAULT_N.toLocaleString('en-US')})
  --recalibrate  measure the machine again instead of using the cached calibration
  --json         print {"schema": 1, "calibration": …, "loops": […]} instead of text
  -h, --help     this help
`;

export interface LoopAdvice {
  readonly id: string;
  readonly file: string;
  readonly line: number;
  readonly advice: KernelAdvice;
}

function sizeOf(tripCount: string | undefined, fallback: number): number {
  const v =
    tripCount !== undefined && /^\d[\d_]*$/.test(tripCount) ? Number(tripCount.replaceAll('_', '')) : NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

async function run(args: readonly string[], ctx: CliContext): Promise<number> {
  let json = false;
  let recalibrate = false;
  let n: number | undefined;
  const paths: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--json') json = true;
    else if (a === '--recalibrate') recalibrate = true;
    else if (a === '--n') {
      n = Number(args[++i]);
      if (!Number.isFinite(n) || n < 1) {
        ctx.stderr.write(`hotloop advise: --n needs a positive number, got '${args[i] ?? ''}'\n`);
        return 2;
      }
    } else if (a === '-h' || a === '--help') {
      ctx.stdout.write(help);
      return 0;
    } else if (a.startsWith('-')) {
      ctx.stderr.write(`hotloop advise: unknown option '${a}'\n\n${help}`);
      return 2;
    } else paths.push(a);
  }
  if (paths.length === 0) {
    ctx.stderr.write(`hotloop advise: give at least one file or folder\n\n${help}`);
    return 2;
  }
  const files: FileAnalysis[] = await analyzePath(paths, { rootDir: process.cwd(), signal: ctx.signal });
  const cal = await loadCalibration({ recalibrate, signal: ctx.signal });
  const loops: LoopAdvice[] = [];
  for (const f of files) {
    for (const l of f.loops) {
      if (!l.kernel || l.depth > 0) continue;
      loops.push({
        id: l.id,
        file: f.file,
        line: l.range.start.line + 1,
        advice: adviseKernel(l.kernel, cal, n ?? sizeOf(l.tripCount, DEFAULT_N)),
      });
    }
  }
  if (json) {
    ctx.stdout.write(`${JSON.stringify({ schema: 1, calibration: cal, loops })}\n`);
    return 0;
  }
  const out: string[] = [
    `calibration: ${cal.cpu}, ${cal.threads} thread(s), Node ${cal.node}, measured ${cal.createdAt}; native: ${cal.native.available ? 'yes' : 'no'}, GPU: ${cal.gpu.available ? 'yes' : 'no'}`,
    '',
  ];
  if (loops.length === 0) out.push('no translatable loops found.');
  for (const l of loops) {
    out.push(`${l.file}:${l.line}  ${l.advice.kernel}  ${adviceSummary(l.advice)}`);
    for (const p of l.advice.predictions) {
      const sp = p.speedup !== undefined ? formatSpeedup(p.speedup).padStart(6) : '     –';
      out.push(`  ${p.suggested ? '✓' : ' '} ${p.target.padEnd(8)} ${sp}  ${p.reason}`);
    }
    out.push(
      `  (predicted at n=${formatN(l.advice.n)}; JS baseline ${(l.advice.baselineNs / 1e3).toFixed(1)} µs)`,
      '',
    );
  }
  ctx.stdout.write(`${out.join('\n')}\n`);
  return 0;
}

export const adviseCommand: CliCommand = {
  name: 'advise',
  summary: 'predict which rewrite wins at size n (calibrated cost model)',
  run,
};
