// `hotloop optimize [workspace]` (what `npm start` runs on examples/): analyse → profile → scaffold the
// hottest translatable loops into a temporary copy → build → benchmark; prints the table, writes the
// results under .hotloop/results/ and the HTML report to .hotloop/report.html. Progress on stderr.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { saveResult } from '../core/bench/store.js';
import type { Logger } from '../core/logger.js';
import { optimizeJson } from '../core/optimize/json.js';
import { runOptimize } from '../core/optimize/pipeline.js';
import type { WorkloadKind } from '../core/optimize/workload.js';
import { formatOptimizeTable, writeReports } from '../core/optimize/report.js';
import type { TargetName } from '../core/scaffold/types.js';
import type { CliCommand } from './command.js';

const HELP = `usage: hotloop optimize [workspace] [options]

The whole pipeline on a workspace (default: the current folder): analyse every loop, profile the
project's own workload (its benchmark if there is one, else its tests — node --test, mocha, jest,
vitest —, else its start script or package.json main), pick the hottest translatable loops (never one
without CPU samples), benchmark each at the shape the program really called it with, scaffold
each into a TEMPORARY copy (your files are never written), build the rewrites and benchmark them
side by side with the original, plain JS on Float64Array and the bundled kernel library.

options:
  --top N          loops to optimise (default 3; without a profile: every translatable loop, up to N)
  --targets LIST   comma-separated: js,wasm,worker,native,gpu (default js,wasm,worker + native with a C++ compiler)
  --workload KIND  profile this workload: bench, test or start (default: the first found in that order)
  --capture-inputs keep a bounded sample of the real arguments of the hot loops (only under
                   <workspace>/.hotloop/inputs/, never sent anywhere) and check every variant on them too
  --no-profile     don't run the program; take the translatable loops in source order
  --n N            size when the profile recorded none (default 100000); --max-n caps sizes (default 1000000)
  --max-n N
  --samples N      samples per variant (default 12)
  --out FILE       the HTML report, every loop on one page (default <workspace>/.hotloop/report.html)
  --keep           keep the temporary copy (its path is printed)
  --no-save        don't write .hotloop/results/
  --json           print the results as one JSON object (the last line of stdout) instead of the table
  --verbose        log every step
`;

const TARGETS: readonly TargetName[] = ['js', 'wasm', 'worker', 'native', 'gpu'];
const WORKLOADS: readonly WorkloadKind[] = ['bench', 'test', 'start'];

function positive(v: string | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  const x = Number(v);
  if (!Number.isFinite(x) || x <= 0) throw new Error(`--${name} must be a positive number, got '${v}'`);
  return x;
}

export const optimizeCommand: CliCommand = {
  name: 'optimize',
  summary: 'the full pipeline: analyse, profile, scaffold in a temp copy, build, benchmark, report',
  async run(argv, ctx) {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        top: { type: 'string' },
        targets: { type: 'string' },
        workload: { type: 'string' },
        'capture-inputs': { type: 'boolean' },
        'no-profile': { type: 'boolean' },
        n: { type: 'string' },
        'max-n': { type: 'string' },
        samples: { type: 'string' },
        out: { type: 'string' },
        keep: { type: 'boolean' },
        'no-save': { type: 'boolean' },
        json: { type: 'boolean' },
        verbose: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      ctx.stdout.write(HELP);
      return 0;
    }
    if (positionals.length > 1) {
      ctx.stderr.write(`hotloop optimize: give one workspace folder\n\n${HELP}`);
      return 2;
    }
    const targets = values.targets
      ?.split(',')
      .map((t) => t.trim())
      .filter(Boolean);
    const bad = targets?.find((t) => !TARGETS.includes(t as TargetName));
    if (bad) {
      ctx.stderr.write(`hotloop optimize: unknown target '${bad}' (targets: ${TARGETS.join(', ')})\n`);
      return 2;
    }
    const workload = values.workload;
    if (workload !== undefined && !WORKLOADS.includes(workload as WorkloadKind)) {
      ctx.stderr.write(
        `hotloop optimize: unknown workload '${workload}' (workloads: ${WORKLOADS.join(', ')})\n`,
      );
      return 2;
    }
    const root = resolve(positionals[0] ?? '.');
    const started = Date.now();
    const stamp = (): string => `${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s`;
    const say = (line: string): void => {
      ctx.stderr.write(`[optimize ${stamp()}] ${line}\n`);
    };
    const verbose = values.verbose ?? false;
    const log: Logger = {
      trace: () => undefined,
      info: (m) => {
        if (verbose) say(m);
      },
      warn: (m) => {
        if (verbose) say(`warning: ${m}`);
      },
      error: (m) => {
        say(m instanceof Error ? m.message : m);
      },
    };
    const samples = positive(values.samples, 'samples');
    const run = runOptimize(
      {
        root,
        ...(targets ? { targets: targets as TargetName[] } : {}),
        ...(values.top ? { top: positive(values.top, 'top')! } : {}),
        noProfile: values['no-profile'] ?? false,
        ...(workload ? { workload: workload as WorkloadKind } : {}),
        ...(values['capture-inputs'] ? { captureInputs: true } : {}),
        ...(values.n ? { n: positive(values.n, 'n')! } : {}),
        ...(values['max-n'] ? { maxN: positive(values['max-n'], 'max-n')! } : {}),
        ...(samples ? { bench: { samples } } : {}),
        keep: values.keep ?? false,
      },
      { signal: ctx.signal, log, progress: say },
    );
    const result = await run.catch((err: unknown) => {
      if (ctx.signal.aborted)
        throw new Error('cancelled: every child process was stopped and the temporary copy removed', {
          cause: err,
        });
      throw err;
    });
    const results = result.loops.flatMap((l) => (l.result ? [l.result] : []));
    if (!values['no-save']) for (const r of results) await saveResult(root, r);
    const reports = await writeReports(
      resolve(values.out ?? resolve(root, '.hotloop', 'report.html')),
      results,
    );
    if (reports.length)
      say(`report: ${reports[0]!}${results.length > 1 ? ` (${results.length} loops, a tab each)` : ''}`);
    if (result.kept) say(`temporary copy kept: ${result.tempDir}`);
    say(`done in ${(result.wallMs / 1000).toFixed(1)} s`);
    if (result.profileNote) say(result.profileNote);
    ctx.stdout.write(values.json ? `${JSON.stringify(optimizeJson(result))}\n` : formatOptimizeTable(result));
    return results.length || result.loops.length === 0 ? 0 : 1;
  },
};
