// `hotloop advise <file|dir…> [--json] [--n N] [--recalibrate]`: which rewrite wins at size n, predicted
// by the calibrated cost model (calibration cached per machine and Node version).
import { analyzePath } from '../core/analysis/index.js';
import type { FileAnalysis } from '../core/analysis/types.js';
import { adviseKernel, adviceSummary, loadCalibration, type KernelAdvice } from '../core/advice/index.js';
import { formatN, formatSpeedup } from '../core/format.js';
import {
  adviseIoFiles,
  DEFAULT_IO_CONCURRENCY,
  ioSummary,
  type IoLoopFinding,
} from '../core/advisors/io/index.js';
import { adviseZeroCopyFiles, type ZeroCopyFinding } from '../core/advisors/zerocopy/index.js';
import { adviseHashingFiles, type HashingFinding } from '../core/advisors/hashing/index.js';
import { adviseLayoutFiles, type LayoutFinding } from '../core/advisors/layout/index.js';
import { adviseColumnarFiles, type ColumnarFinding } from '../core/advisors/columnar/index.js';
import { adviseShapesRun, type ShapesFinding } from '../core/advisors/shapes/index.js';
import type { CliCommand, CliContext } from './command.js';

const DEFAULT_N = 100_000;

const help = `usage: hotloop advise <file|dir…> [--json] [--n N] [--concurrency K] [--recalibrate]
                      [--run ENTRY [--run-arg ARG]…]

For every translatable loop, predicts each rewrite target's time at size n from constants measured
on this machine (the calibration: a few seconds the first time, then cached in ~/.cache/hotloop or
$HOTLOOP_CACHE_DIR), and suggests the targets predicted to win by ≥ 1.2×, with the size where each
starts to win and why. A loop that awaits is IO-bound: it gets the IO advice only (run independent
awaits concurrently, in order) — never a worker, WebAssembly, native or GPU target.

options:
  --n N          elements per array / outer trip count to predict at (default: the loop's literal
                 trip count when it has one, else ${DEFAULT_N.toLocaleString('en-US')})
  --concurrency K  awaits in flight in the IO rewrite (default ${DEFAULT_IO_CONCURRENCY})
  --recalibrate  measure the machine again instead of using the cached calibration
  --run ENTRY    also run ENTRY (a workspace program, with each --run-arg) under V8's inline-cache
                 log and report the property sites that saw several hidden classes (polymorphic or
                 megamorphic) in code V8 optimized, with the shapes and where each was made (the
                 program runs: use it on your own code only; give it a short input, V8 logs every
                 miss of a megamorphic site)
  --json         print {"schema": 1, "calibration": …, "loops": […], "io": […], "zerocopy": […],
                 "layout": […], "hashing": […], "columnar": […]} (and "shapes": […] with --run)
                 instead of text
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
  let concurrency = DEFAULT_IO_CONCURRENCY;
  const paths: string[] = [];
  let runEntry: string | undefined;
  const runArgs: string[] = [];
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
    } else if (a === '--concurrency') {
      concurrency = Number(args[++i]);
      if (!Number.isInteger(concurrency) || concurrency < 1) {
        ctx.stderr.write(`hotloop advise: --concurrency needs a positive integer, got '${args[i] ?? ''}'\n`);
        return 2;
      }
    } else if (a === '--run' || a === '--run-arg') {
      const v = args[++i];
      if (v === undefined) {
        ctx.stderr.write(`hotloop advise: ${a} needs a value\n`);
        return 2;
      }
      if (a === '--run') runEntry = v;
      else runArgs.push(v);
    } else if (a === '-h' || a === '--help') {
      ctx.stdout.write(help);
      return 0;
    } else if (a.startsWith('-')) {
      ctx.stderr.write(`hotloop advise: unknown option '${a}'\n\n${help}`);
      return 2;
    } else paths.push(a);
  }
  if (paths.length === 0 && runEntry) paths.push(runEntry);
  if (paths.length === 0) {
    ctx.stderr.write(`hotloop advise: give at least one file or folder\n\n${help}`);
    return 2;
  }
  const files: FileAnalysis[] = await analyzePath(paths, { rootDir: process.cwd(), signal: ctx.signal });
  const io = await adviseIoFiles(files, process.cwd(), { concurrency });
  // An IO-bound loop gets the IO advice only (the GIL lesson): never a kernel target for it.
  const zerocopy = await adviseZeroCopyFiles(files, process.cwd());
  const columnar = await adviseColumnarFiles(files, process.cwd());
  const ioLines = new Set(io.map((f) => `${f.file}:${f.line}`));
  // Layout and hashing: an awaiting loop is left alone by both (with the reason), so the IO advice
  // stays the only suggestion for it.
  const layout = await adviseLayoutFiles(files, process.cwd());
  const hashing = await adviseHashingFiles(files, process.cwd());
  const shapes = runEntry ? await shapesOf(runEntry, runArgs, ctx) : undefined;
  const cal = await loadCalibration({ recalibrate, signal: ctx.signal });
  const loops: LoopAdvice[] = [];
  for (const f of files) {
    for (const l of f.loops) {
      if (!l.kernel || l.depth > 0 || ioLines.has(`${f.file}:${l.line}`)) continue;
      loops.push({
        id: l.id,
        file: f.file,
        line: l.range.start.line + 1,
        advice: adviseKernel(l.kernel, cal, n ?? sizeOf(l.tripCount, DEFAULT_N)),
      });
    }
  }
  if (json) {
    ctx.stdout.write(
      `${JSON.stringify({ schema: 1, calibration: cal, loops, io, zerocopy, layout, hashing, columnar, ...(shapes ? { shapes } : {}) })}\n`,
    );
    return 0;
  }
  const out: string[] = [
    `calibration: ${cal.cpu}, ${cal.threads} thread(s), Node ${cal.node}, measured ${cal.createdAt}; native: ${cal.native.available ? 'yes' : 'no'}, GPU: ${cal.gpu.available ? 'yes' : 'no'}`,
    '',
  ];
  if (loops.length === 0) out.push('no translatable loops found.');
  if (loops.length === 0 && io.length > 0) out.push('');
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
  for (const f of io) out.push(...ioBlock(f));
  for (const f of zerocopy) out.push(...zeroCopyBlock(f));
  for (const f of [...layout, ...hashing]) out.push(...dataBlock(f));
  for (const f of columnar) out.push(...columnarBlock(f));
  for (const f of shapes ?? []) out.push(...shapesBlock(f));
  ctx.stdout.write(`${out.join('\n')}\n`);
  return 0;
}

/** The polymorphic sites of one run of `entry` (relative to the working directory). */
async function shapesOf(entry: string, args: readonly string[], ctx: CliContext): Promise<ShapesFinding[]> {
  const r = await adviseShapesRun({ root: process.cwd(), file: entry, args });
  if (r.exit.code !== 0 || r.timedOut)
    ctx.stderr.write(
      `hotloop advise: ${entry} ${r.timedOut ? 'timed out' : `exited with ${r.exit.code ?? r.exit.signal}`}; its sites so far are reported\n`,
    );
  return r.findings;
}

/** The text block of one polymorphic site. */
function shapesBlock(f: ShapesFinding): string[] {
  const at = `${f.file}:${f.line}:${f.column}  shapes ${f.state} ${f.key} in ${f.functionName}`;
  const v = f.verdict;
  switch (v.kind) {
    case 'advice':
      return [`${at}  ${v.summary}`, `  → ${v.advice}`, ''];
    case 'left-alone':
      return [`${at}  left as is: ${v.reason}`, ''];
    default: {
      const never: never = v;
      return never;
    }
  }
}

/** The text block of one columnar finding. */
function columnarBlock(f: ColumnarFinding): string[] {
  const head = `${f.file}:${f.line}  columnar \`${f.records}\` (${f.source}) in ${f.functionName}`;
  const v = f.verdict;
  switch (v.kind) {
    case 'rewrite':
      return [
        `${head}  ${v.summary}`,
        `    assumes ${v.assumes} (VS Code: the light bulb on the records applies it)`,
        '',
      ];
    case 'left-alone':
      return [`${head}  left as is: ${v.reason}`, ''];
    default: {
      const never: never = v;
      return never;
    }
  }
}

/** The text block of one zero-copy finding. */
function zeroCopyBlock(f: ZeroCopyFinding): string[] {
  const v = f.verdict;
  switch (v.kind) {
    case 'rewrite':
      return [
        `${f.file}:${f.line}  zero-copy ${f.kind} in ${f.functionName}  ${v.summary}`,
        `    assumes ${v.assumes}`,
        '',
      ];
    case 'left-alone':
      return [`${f.file}:${f.line}  zero-copy ${f.kind} in ${f.functionName}  left as is: ${v.reason}`, ''];
    default: {
      const never: never = v;
      return never;
    }
  }
}

/** The text block of one layout or hashing finding. */
function dataBlock(f: LayoutFinding | HashingFinding): string[] {
  const what = f.advisor === 'layout' ? `layout ${f.kind} of ${f.array}` : `hashing ${f.kind} ${f.object}`;
  const v = f.verdict;
  switch (v.kind) {
    case 'rewrite':
      return [
        `${f.file}:${f.line}  ${what} in ${f.functionName}  ${v.summary}`,
        `  ✓ ${f.advisor.padEnd(8)} VS Code: the light bulb on the ${f.advisor === 'layout' ? 'loop' : 'declaration'} applies it`,
        `    assumes ${v.assumes}`,
        '',
      ];
    case 'left-alone':
      return [`${f.file}:${f.line}  ${what} in ${f.functionName}  left as is: ${v.reason}`, ''];
    default: {
      const never: never = v;
      return never;
    }
  }
}

/** The text block of one IO-bound loop. */
function ioBlock(f: IoLoopFinding): string[] {
  const head = `${f.file}:${f.line}  io-bound ${f.loopKind} in ${f.functionName}  ${ioSummary(f)}`;
  const v = f.verdict;
  switch (v.kind) {
    case 'independent':
      return [
        head,
        `  ✓ io       at most ${v.rewrite.concurrency} in flight via hotloopMapInOrder (VS Code: the light bulb on the loop applies it)`,
        `    assumes ${v.assumes}`,
        '',
      ];
    case 'dependent':
    case 'not-rewritable':
      return [head, '    no rewrite (worker, WebAssembly, native and GPU would not help either)', ''];
    default: {
      const never: never = v;
      return never;
    }
  }
}

export const adviseCommand: CliCommand = {
  name: 'advise',
  summary: 'predict which rewrite wins at size n (calibrated cost model)',
  run,
};
