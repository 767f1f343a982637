// Profiling, the public face: run a target under the V8 CPU profiler (or import a .cpuprofile),
// attribute the samples to loops and functions, classify CPU vs IO, optionally record shapes.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, isAbsolute, join, relative, resolve } from 'node:path';
import type { Logger } from '../logger.js';
import { nullLogger } from '../logger.js';
import type { ThreadProfile } from './attribute.js';
import { attribute } from './attribute.js';
import { bundleEntry } from './bundle.js';
import { parseCpuProfile } from './cpuprofile.js';
import { analysisLoops } from './loopLookup.js';
import { runProfiled } from './runner.js';
import { childrenOf, loadThreads, outcomeOf, ownUrl } from './runOutcome.js';
import { RUNTIME_MAPS_FILE } from './runtimeFiles.js';
import { readRuntimeMaps } from './sourceMaps.js';
import { mergeProfiles } from './merge.js';
import { addShapes } from './shapesPass.js';
import { stampFiles } from './store.js';
import type { ChildProcessInfo, ProfileResult, ProfileTarget, RunOutcome } from './types.js';
import { classifyRun } from './verdict.js';
import { DEFAULT_INTERVAL_US, DEFAULT_TIMEOUT_MS } from './options.js';
import type { Command, ProfileOptions } from './options.js';

export { DEFAULT_INTERVAL_US, DEFAULT_TIMEOUT_MS } from './options.js';
export type { Command, LoopsFor, ProfileOptions } from './options.js';

function defaultNode(): string {
  return process.versions.electron ? 'node' : process.execPath;
}

/** Human label of a target. */
export function targetLabel(target: ProfileTarget, root: string): string {
  const args = (a?: readonly string[]): string => (a?.length ? ` ${a.join(' ')}` : '');
  switch (target.kind) {
    case 'file':
    case 'script':
      return `${relative(root, resolve(root, target.file)) || target.file}${args(target.args)}`;
    case 'npm':
      return `npm run ${target.script}${args(target.args)}`;
    case 'command':
      return target.command.join(' ');
    default: {
      const never: never = target;
      throw new Error(`unknown target ${JSON.stringify(never)}`);
    }
  }
}

export async function commandFor(
  target: ProfileTarget,
  opts: ProfileOptions,
  dir: string,
  node: string,
  logger: Logger,
  transform?: (f: string, t: string) => string | undefined,
): Promise<Command> {
  const root = opts.root;
  switch (target.kind) {
    case 'file': {
      const t0 = performance.now();
      const bundle = await bundleEntry({
        entry: resolve(root, target.file),
        outDir: join(dir, 'bundle'),
        root,
        ...(opts.bundler ? { bundler: opts.bundler } : {}),
        ...(transform ? { transform } : {}),
      });
      logger.info(
        `Built ${target.file} with ${bundle.via}${bundle.cached ? ' (cached: sources unchanged)' : ''} in ${(performance.now() - t0).toFixed(0)} ms.`,
      );
      return {
        command: node,
        args: [bundle.file, ...(target.args ?? [])],
        isNode: true,
        ...(bundle.cleanupDir ? { cleanupDir: bundle.cleanupDir } : {}),
      };
    }
    case 'script':
      return { command: node, args: [resolve(root, target.file), ...(target.args ?? [])], isNode: true };
    case 'npm':
      return {
        command: process.platform === 'win32' ? 'npm.cmd' : 'npm',
        args: ['run', '--silent', target.script, ...(target.args?.length ? ['--', ...target.args] : [])],
        isNode: false,
      };
    case 'command': {
      const [command, ...args] = target.command;
      if (!command)
        throw new Error(
          'The command target is empty: give the program and its arguments, e.g. ["npx", "mocha"].',
        );
      return { command, args, isNode: false };
    }
    default: {
      const never: never = target;
      throw new Error(`unknown target ${JSON.stringify(never)}`);
    }
  }
}

/** Attributes thread profiles into a result (shared by runs and imports). */
async function buildResult(
  threads: readonly ThreadProfile[],
  base: {
    label: string;
    source: 'run' | 'import';
    target?: ProfileTarget;
    outcome?: RunOutcome;
    children?: ChildProcessInfo[];
  },
  opts: ProfileOptions,
  intervalUs: number,
  runtimeMaps?: ReadonlyMap<string, string>,
): Promise<ProfileResult> {
  const loopsFor = opts.loopsFor ?? analysisLoops(opts.root);
  const a = await attribute({
    threads,
    root: opts.root,
    intervalUs,
    loopsFor,
    ownUrls: ownUrl,
    ...(runtimeMaps?.size ? { runtimeMaps } : {}),
  });
  const verdict = classifyRun(a.shares, a.busyWallShare, a.loops[0]);
  // A run that mostly waits ranks its loops by the time spent waiting in them (then CPU); else by CPU.
  const loops =
    verdict.kind === 'io-bound'
      ? [...a.loops].sort((x, y) => y.waitMs + y.totalMs - (x.waitMs + x.totalMs))
      : a.loops;
  const warnings: string[] = [];
  if (a.files.length === 0 && threads.length > 0)
    warnings.push(
      'No sample landed in a source file of the workspace: the profile shows only node internals (is the target the right one, or are its source maps missing?).',
    );
  return {
    schema: 1,
    id: `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}`,
    createdAt: new Date().toISOString(),
    label: base.label,
    source: base.source,
    ...(base.target ? { target: base.target } : {}),
    intervalUs,
    ...(base.outcome ? { outcome: base.outcome } : {}),
    totalMs: a.totalMs,
    shares: a.shares,
    verdict,
    loops,
    functions: a.functions.slice(0, 200),
    lines: a.lines,
    threads: a.threads,
    children: base.children ?? [],
    sources: stampFiles(
      opts.root,
      a.files.map((f) =>
        isAbsolute(f) && !relative(opts.root, f).startsWith('..') ? relative(opts.root, f) : f,
      ),
    ),
    warnings,
  };
}

/** Runs `target` under the profiler and returns the attributed result (also for crashed or stopped runs with a profile). */
export async function profileTarget(target: ProfileTarget, opts: ProfileOptions): Promise<ProfileResult> {
  const logger = opts.logger ?? nullLogger;
  const first = await profileOnce(target, opts);
  let result = first.result;
  const maxRuns = opts.repeat?.maxRuns ?? 1;
  let runs = 1;
  while (runs < maxRuns && !opts.signal?.aborted && !opts.repeat!.until(result)) {
    logger.info(`Profiling: run ${runs + 1} of at most ${maxRuns} (no loop of interest has a sample yet)`);
    result = mergeProfiles(result, (await profileOnce(target, opts)).result);
    runs++;
  }
  if (runs > 1)
    result = {
      ...result,
      warnings: [
        ...result.warnings,
        `The workload ran ${runs} times (merged into this profile): one run gave the translatable loops no CPU sample.`,
      ],
    };
  if (opts.shapes && !opts.signal?.aborted)
    result = await addShapes(result, target, opts, first.wallMs, logger, commandFor);
  return result;
}

/** One profiled run of `target`, attributed (no shapes pass). */
async function profileOnce(
  target: ProfileTarget,
  opts: ProfileOptions,
): Promise<{ result: ProfileResult; wallMs: number }> {
  const logger = opts.logger ?? nullLogger;
  const intervalUs = opts.intervalUs ?? DEFAULT_INTERVAL_US;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const dir = mkdtempSync(join(tmpdir(), 'hotloop-profile-'));
  let cleanupDir: string | undefined;
  try {
    const cmd = await commandFor(target, opts, dir, opts.nodePath ?? defaultNode(), logger);
    const { command, args, isNode } = cmd;
    cleanupDir = cmd.cleanupDir;
    logger.info(
      `Profiling: ${command} ${args.join(' ')} (interval ${intervalUs} µs, timeout ${timeoutMs} ms)`,
    );
    const run = await runProfiled({
      command,
      args,
      isNode,
      cwd: opts.root,
      dir,
      intervalUs,
      timeoutMs,
      logger,
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(opts.env ? { env: opts.env } : {}),
      ...(opts.outputCapBytes !== undefined ? { outputCapBytes: opts.outputCapBytes } : {}),
      ...(opts.graceMs !== undefined ? { graceMs: opts.graceMs } : {}),
    });
    const outcome = outcomeOf(run, timeoutMs);
    if (outcome.message) logger.warn(outcome.message);
    const threads = loadThreads(run, logger);
    if (threads.length === 0) {
      const last = run.outputTail.trim().split('\n').slice(-5).join('\n');
      throw new Error(
        `${outcome.message ?? 'The target ran'} but no CPU profile was written${run.spawnError ? '' : ' (a process killed before V8 could write it leaves none)'}.${last ? `\nLast output:\n${last}` : ''}`,
      );
    }
    const result = await buildResult(
      threads,
      {
        label: targetLabel(target, opts.root),
        source: 'run',
        target,
        outcome,
        children: childrenOf(run, threads),
      },
      opts,
      intervalUs,
      readRuntimeMaps(join(dir, RUNTIME_MAPS_FILE)),
    );
    return { result, wallMs: run.wallMs };
  } finally {
    if (!opts.keepTemp) for (const d of [dir, cleanupDir]) if (d) rmSync(d, { recursive: true, force: true });
  }
}

/**
 * Attributes a `.cpuprofile` made elsewhere (VS Code's JS debugger, `node --cpu-prof`). Lines map
 * to loops where the scripts (and their source maps) are still on disk.
 */
export async function importProfile(file: string, opts: ProfileOptions): Promise<ProfileResult> {
  const profile = parseCpuProfile(readFileSync(file, 'utf8'), basename(file));
  const m = /\.(\d+)\.(\d+)\.\d+\.cpuprofile$/.exec(file);
  const samples = profile.samples?.length ?? 0;
  // The interval: the mean time between samples (imported profiles do not state it).
  const intervalUs =
    samples > 1
      ? Math.max(1, Math.round((profile.endTime - profile.startTime) / samples))
      : DEFAULT_INTERVAL_US;
  const threads: ThreadProfile[] = [{ profile, pid: m ? Number(m[1]) : 0, threadId: m ? Number(m[2]) : 0 }];
  return buildResult(threads, { label: basename(file), source: 'import' }, opts, intervalUs);
}

export type { ProfileResult, ProfileTarget } from './types.js';
export { loadLatestProfile, loadProfiles, saveProfile, staleFiles } from './store.js';
