// The whole pipeline on a workspace (`hotloop optimize`, `npm start`): analyse → profile → pick the
// hottest translatable loops → scaffold each into a TEMPORARY copy of the workspace (never the
// workspace itself) → build what needs building → benchmark every variant side by side → results,
// a printed table and a static HTML report of the results webview. Cancellable (every child process
// is killed), time-bounded, the temporary copy removed at the end unless `keep`.
import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { analyzePath } from '../analysis/index.js';
import { formatShare } from '../format.js';
import type { FileAnalysis } from '../analysis/types.js';
import { runBench } from '../bench/runner.js';
import type { BenchOptions, BenchResult } from '../bench/types.js';
import type { Logger } from '../logger.js';
import { profileTarget } from '../profile/index.js';
import type { ProfileResult } from '../profile/types.js';
import { planScaffold, writeScaffold } from '../scaffold/index.js';
import type { TargetName } from '../scaffold/types.js';
import { buildScaffoldDir, findToolModules } from './build.js';
import { loadCaptured } from '../profile/capture.js';
import { checkOnCaptured } from './realInputs.js';
import { pickLoops, type Candidate } from './select.js';
import { chooseWorkload, discoverWorkloads, type Workload, type WorkloadKind } from './workload.js';
import { replayShapeFor, replayText, type ReplayShape } from './shape.js';
import { benchSpecFor, stateReassociation, writeOriginal, type BuiltTarget } from './spec.js';

export interface OptimizeOptions {
  /** Absolute workspace root. */
  readonly root: string;
  /** Targets to scaffold (default: wasm, worker, and native when a C++ compiler is on PATH). */
  readonly targets?: readonly TargetName[];
  /** How many loops (default: 3 with a profile, every translatable loop without). */
  readonly top?: number;
  /** The workload to profile (default: the benchmark if there is one, else the tests, else start/main). */
  readonly workload?: WorkloadKind;
  /** Keep a bounded sample of real arguments (under .hotloop/inputs/) and check every variant on them too. */
  readonly captureInputs?: boolean;
  /** Skip profiling: all translatable loops (up to `top`), in source order. */
  readonly noProfile?: boolean;
  /** n when the profile recorded no array sizes (default 100,000); sizes are capped at `maxN` (default 1,000,000). */
  readonly n?: number;
  readonly maxN?: number;
  readonly profileTimeoutMs?: number;
  /** Per-loop benchmark options (defaults: short, for a pipeline that ends in a couple of minutes). */
  readonly bench?: BenchOptions;
  /** Keep the temporary copy (its path is in the result). */
  readonly keep?: boolean;
}

export interface LoopOutcome {
  readonly candidate: Candidate;
  readonly n: number;
  /** The shape the benchmark replayed (recorded or guessed). */
  readonly replay: ReplayShape;
  readonly result?: BenchResult;
  /** Targets that could not be scaffolded or built, with the reason. */
  readonly skipped: readonly { readonly target: TargetName; readonly reason: string }[];
  readonly error?: string;
}

export interface OptimizeResult {
  readonly root: string;
  readonly profile?: ProfileResult;
  readonly profileNote?: string;
  /** The workload profiled, and every one found (bench, test, start). */
  readonly workload?: Workload;
  readonly workloads: readonly Workload[];
  readonly loops: readonly LoopOutcome[];
  readonly tempDir: string;
  readonly kept: boolean;
  readonly wallMs: number;
}

export interface OptimizeContext {
  readonly signal: AbortSignal;
  readonly log: Logger;
  /** One line per step, for people (the CLI prints them to stderr). */
  readonly progress: (line: string) => void;
}

export const DEFAULT_OPTIMIZE_BENCH: BenchOptions = {
  samples: 12,
  sampleMs: 8,
  warmupMs: 40,
  timeoutMs: 45_000,
  resamples: 1000,
};

/** Whether a C++ compiler is on PATH (the native target needs one). */
export function hasCompiler(): boolean {
  for (const cxx of [process.env.CXX ?? 'c++', 'g++', 'clang++']) {
    try {
      execFileSync(cxx, ['--version'], { stdio: 'ignore', timeout: 5000 });
      return true;
    } catch {
      /* next */
    }
  }
  return false;
}

const SKIP_COPY = new Set(['node_modules', '.git', '.hotloop', 'dist', 'out', 'build', 'hotloop']);

/** The workspace's sources in a fresh temp folder, with Hotloop's node_modules linked in. */
async function tempCopy(root: string, toolModules: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hotloop-optimize-'));
  await cp(root, join(dir, 'ws'), {
    recursive: true,
    filter: (src) =>
      !relative(root, src)
        .split(sep)
        .some((part) => SKIP_COPY.has(part)),
  });
  await symlink(toolModules, join(dir, 'ws', 'node_modules'), 'dir');
  return dir;
}

interface Profiled {
  readonly profile?: ProfileResult;
  readonly note?: string;
  readonly workload?: Workload;
  readonly workloads: readonly Workload[];
  readonly failed?: boolean;
}

/** Runs of a short test or bench workload merged until a translatable loop has samples (or 10 s sampled). */
const REPEAT_RUNS = 5;
const REPEAT_SAMPLED_MS = 10_000;

async function runProfile(
  o: OptimizeOptions,
  ctx: OptimizeContext,
  files: readonly FileAnalysis[],
): Promise<Profiled> {
  const workloads = discoverWorkloads(o.root);
  if (o.noProfile) return { note: 'profiling skipped (--no-profile): every translatable loop', workloads };
  const workload = chooseWorkload(workloads, o.workload);
  if (!workload) {
    const why = o.workload
      ? `no ${o.workload} workload found (found: ${workloads.map((w) => w.kind).join(', ') || 'none'})`
      : 'no workload found (no bench or test script, no test files, no start script or main)';
    return { note: `nothing to profile: ${why}; every translatable loop`, workloads };
  }
  if (workload.missing) ctx.progress(`warning: ${workload.missing}`);
  const target = workload.target;
  ctx.progress(`profiling the ${workload.kind} workload (${workload.from}): ${workload.label} …`);
  try {
    const profile = await profileTarget(target, {
      root: o.root,
      // A test suite is many short calls (a library's tests often run its loops for milliseconds):
      // sampled at 250 µs rather than 2 ms, so its loops get samples at all.
      ...(workload.kind === 'test' ? { intervalUs: 250 } : {}),
      shapes: true,
      ...(o.captureInputs ? { captureInputs: true } : {}),
      // A library's tests may run its loops for a few milliseconds: one run can miss them entirely.
      ...(workload.kind === 'test' || workload.kind === 'bench'
        ? {
            repeat: {
              until: (r: ProfileResult) =>
                pickLoops(files, r, 1).length > 0 || r.totalMs >= REPEAT_SAMPLED_MS,
              maxRuns: REPEAT_RUNS,
            },
          }
        : {}),
      timeoutMs: o.profileTimeoutMs ?? 60_000,
      signal: ctx.signal,
      logger: ctx.log,
    });
    const runs = /The workload ran (\d+) times/.exec(profile.warnings.join('\n'))?.[1];
    ctx.progress(
      `profiled ${profile.label}${runs ? ` (${runs} runs merged: one gave no translatable loop a sample)` : ''}: ${profile.loops.length} loop(s) with samples`,
    );
    return { profile, workload, workloads };
  } catch (err) {
    if (ctx.signal.aborted) throw err;
    const why = err instanceof Error ? err.message : String(err);
    ctx.log.warn(`profiling failed: ${why}`);
    // No profile, no samples: nothing is optimised on a guess (--no-profile asks for that explicitly).
    const others = workloads.filter((w) => w !== workload).map((w) => `--workload ${w.kind} (${w.label})`);
    const next = [...others, '--no-profile for every translatable loop'].join(' or ');
    return {
      note: `profiling the ${workload.kind} workload (${workload.label}) failed: ${why.split('\n')[0]}${workload.missing ? ` — ${workload.missing}` : ''}; nothing was optimised — run ${next}`,
      workload,
      workloads,
      failed: true,
    };
  }
}

async function optimizeLoop(
  c: Candidate,
  replay: ReplayShape,
  ws: string,
  targets: readonly TargetName[],
  o: OptimizeOptions,
  ctx: OptimizeContext,
  toolModules: string,
): Promise<LoopOutcome> {
  const k = c.kernel;
  const skipped: { target: TargetName; reason: string }[] = [];
  const built: BuiltTarget[] = [];
  const source = { file: c.loop.file, line: c.loop.range.start.line + 1, loopId: c.loop.id };
  for (const target of targets) {
    ctx.signal.throwIfAborted();
    const planned = await planScaffold({
      kernel: k,
      target,
      workspaceRoot: ws,
      outputDir: 'hotloop',
      workspaceTrusted: true,
      source,
      workerInlineBelowOps: 0,
    });
    if (!planned.ok) {
      skipped.push({ target, reason: planned.reason });
      continue;
    }
    const written = await writeScaffold(planned.plan);
    if (!written.ok) {
      skipped.push({ target, reason: written.reason });
      continue;
    }
    ctx.progress(`  building ${k.name} for ${target} …`);
    const b = await buildScaffoldDir(target, planned.plan.dir, {
      signal: ctx.signal,
      log: ctx.log,
      toolModules,
      timeoutMs: target === 'native' ? 120_000 : 60_000,
    });
    if (!b.ok) {
      skipped.push({ target, reason: b.reason });
      ctx.progress(`  ${target}: not built (${b.reason.split('\n')[0]})`);
      continue;
    }
    built.push({ target, entry: b.entry, properties: planned.plan.properties });
  }
  const original = await writeOriginal(k, join(ws, 'hotloop', '.originals'));
  const n = replay.n;
  const { spec, notes } = benchSpecFor(
    k,
    n,
    original,
    built,
    { file: join(o.root, c.loop.file), line: c.loop.range.start.line + 1 },
    replay,
  );
  ctx.progress(
    `  benchmarking ${k.name} at ${replayText(replay)}: ${spec.variants.map((v) => v.label).join(', ')}`,
  );
  try {
    const result = await runBench(
      spec,
      { ...DEFAULT_OPTIMIZE_BENCH, ...o.bench },
      { signal: ctx.signal, log: ctx.log },
    );
    const captured = o.captureInputs ? loadCaptured(o.root, c.loop.id) : undefined;
    const real = captured ? await checkOnCaptured(spec, captured, ctx.signal, ctx.log) : [];
    const extra = [...notes, ...real, ...skipped.map((s) => `${s.target}: ${s.reason.split('\n')[0]}`)];
    return {
      candidate: c,
      n,
      replay,
      skipped,
      result: stateReassociation({ ...result, notes: [...result.notes, ...extra] }),
    };
  } catch (err) {
    if (ctx.signal.aborted) throw err;
    return { candidate: c, n, replay, skipped, error: err instanceof Error ? err.message : String(err) };
  }
}

/** When no translatable loop has samples under the workload: says so and what to run instead. */
function noSamplesNote(
  files: readonly FileAnalysis[],
  profile: ProfileResult,
  workload: Workload | undefined,
  workloads: readonly Workload[],
): string | undefined {
  if (pickLoops(files, profile, 1).length > 0) return undefined;
  const others = workloads.filter((w) => w !== workload);
  const suggest = others.length
    ? `run another workload: ${others.map((w) => `--workload ${w.kind} (${w.label})`).join(' or ')}`
    : 'add a benchmark or test that calls the loops (a "bench" or "test" script), or a start script that does';
  const under = workload ? ` (${workload.kind}: ${workload.label})` : '';
  // Loops that ran but cannot be translated are counted, so the message is not read as "nothing ran".
  const hot = profile.loops.filter((h) => h.totalShare > 0).length;
  const what = hot
    ? `no translatable loop has CPU samples under this workload${under} (${hot} loop(s) have samples, none translatable: \`hotloop analyze\` says why)`
    : `no loop has CPU samples under this workload${under}`;
  return `${what}; nothing was optimised — ${suggest}`;
}

export async function runOptimize(o: OptimizeOptions, ctx: OptimizeContext): Promise<OptimizeResult> {
  const t0 = Date.now();
  const toolModules = findToolModules();
  ctx.progress(`analysing ${o.root} …`);
  const files = await analyzePath([o.root], { rootDir: o.root, signal: ctx.signal, logger: ctx.log });
  const loops = files.flatMap((f) => f.loops);
  ctx.progress(
    `${loops.length} loop(s) in ${files.length} file(s), ${loops.filter((l) => l.verdict.translatable && l.kernel).length} translatable`,
  );
  const profiled = await runProfile(o, ctx, files);
  const { profile, workload, workloads } = profiled;
  const note = profiled.note ?? (profile ? noSamplesNote(files, profile, workload, workloads) : undefined);
  const base = {
    root: o.root,
    ...(profile ? { profile } : {}),
    ...(note ? { profileNote: note } : {}),
    ...(workload ? { workload } : {}),
    workloads,
  };
  const picked = profiled.failed ? [] : pickLoops(files, profile, o.top);
  if (picked.length === 0) return { ...base, loops: [], tempDir: '', kept: false, wallMs: Date.now() - t0 };
  const targets =
    o.targets ?? (['js', 'wasm', 'worker', ...(hasCompiler() ? ['native' as const] : [])] as TargetName[]);
  const tmp = await tempCopy(o.root, toolModules);
  const outcomes: LoopOutcome[] = [];
  try {
    for (const [i, c] of picked.entries()) {
      let replay: ReplayShape;
      try {
        replay = replayShapeFor(c.kernel, c.heat?.shape, o.n ?? 100_000, o.maxN ?? 1_000_000);
      } catch (err) {
        // Sizing probes the kernel under an iteration budget: a loop that overruns it (a driver loop
        // calling a hot function thousands of times, or one that never ends) is reported, not fatal.
        if (ctx.signal.aborted) throw err;
        const why = err instanceof Error ? err.message : String(err);
        ctx.progress(`[${i + 1}/${picked.length}] ${c.kernel.name}: not benchmarked — ${why}`);
        const shape = { source: 'guessed' as const, params: [], note: `sizing stopped: ${why}` };
        outcomes.push({
          candidate: c,
          n: 0,
          replay: { args: [], n: 0, shape },
          skipped: [],
          error: `its inputs could not be sized: ${why}`,
        });
        continue;
      }
      ctx.progress(
        `[${i + 1}/${picked.length}] ${c.kernel.name} (${c.loop.file}:${c.loop.range.start.line + 1}${c.share !== undefined ? `, ${formatShare(c.share)} CPU` : ''})`,
      );
      outcomes.push(await optimizeLoop(c, replay, join(tmp, 'ws'), targets, o, ctx, toolModules));
    }
  } finally {
    if (!o.keep) await rm(tmp, { recursive: true, force: true });
  }
  return { ...base, loops: outcomes, tempDir: tmp, kept: !!o.keep, wallMs: Date.now() - t0 };
}
