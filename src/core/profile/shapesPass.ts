// The shapes pass: a second, instrumented run of the target that records the top loops' trip counts,
// array lengths and every kernel parameter at entry. A file target is instrumented in its esbuild
// bundle; any other target (a test runner, npm script, node --test, their child processes and workers)
// through the preload, which hands the instrumented text of the loops' source files to whatever
// reads them (node's CommonJS loader, ts-jest, babel/register, the ESM loader). The inserted code adds
// no line to a JavaScript file, so its lines and the loop facts' ranges stay as they were.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { LoopFacts } from '../analysis/types.js';
import type { Logger } from '../logger.js';
import { captureDirFor, collectCaptured } from './capture.js';
import type { Command, LoopsFor, ProfileOptions } from './options.js';
import { DEFAULT_TIMEOUT_MS } from './options.js';
import { analysisLoops } from './loopLookup.js';
import { runProfiled } from './runner.js';
import { SHAPES_SOURCES_FILE } from './runtimeFiles.js';
import { readShapes, shapesTransform } from './shapes.js';
import type { LoopHeat, ProfileResult, ProfileTarget } from './types.js';

type CommandFor = (
  target: ProfileTarget,
  opts: ProfileOptions,
  dir: string,
  node: string,
  logger: Logger,
  transform?: (f: string, t: string) => string | undefined,
) => Promise<Command>;

/**
 * The loops the shapes pass instruments: the `top` hottest, and as many of the hottest loops with a
 * translatable kernel (the ones `optimize` benchmarks at their recorded shapes) — so a kernel ranked
 * below nested or untranslatable loops still has its parameters recorded.
 */
export async function shapeLoops(
  ranked: readonly LoopHeat[],
  top: number,
  root: string,
  loopsFor: LoopsFor,
): Promise<{ facts: LoopFacts; absFile: string }[]> {
  const out: { facts: LoopFacts; absFile: string }[] = [];
  let kernels = 0;
  for (const [i, heat] of ranked.entries()) {
    if (i >= top && kernels >= top) break;
    const abs = resolve(root, heat.file);
    const f = (await loopsFor(abs))?.find((l) => l.id === heat.loopId);
    if (!f) continue;
    const isKernel = !!f.kernel && f.verdict.translatable && heat.totalShare > 0;
    if (i < top || (isKernel && kernels < top)) out.push({ facts: f, absFile: abs });
    if (isKernel) kernels++;
  }
  return out;
}

/**
 * The instrumented text of every source file with an instrumented loop, by absolute path, for the
 * preload to serve in place of the file. A TypeScript file is marked `// @ts-nocheck` (a type-checking
 * loader such as ts-jest would reject the hooks' untyped globals); that line is the only one added,
 * and the shapes pass records no CPU profile, so nothing reads its line numbers.
 */
export function instrumentedSources(
  files: readonly string[],
  transform: (f: string, t: string) => string | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const file of new Set(files)) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const done = transform(file, text);
    if (done === undefined) continue;
    out[file] = /\.[cm]?tsx?$/.test(file) && !done.startsWith('#!') ? `// @ts-nocheck\n${done}` : done;
  }
  return out;
}

/** Adds the shapes pass's records (and, when asked, the captured inputs) to a profile result. */
export async function addShapes(
  result: ProfileResult,
  target: ProfileTarget,
  opts: ProfileOptions,
  baseWallMs: number,
  logger: Logger,
  commandFor: CommandFor,
): Promise<ProfileResult> {
  const loopsFor = opts.loopsFor ?? analysisLoops(opts.root);
  const facts = await shapeLoops(result.loops, opts.topLoops ?? 5, opts.root, loopsFor);
  const dir = mkdtempSync(join(tmpdir(), 'hotloop-shapes-'));
  let cleanupDir: string | undefined;
  try {
    const { transform, slots } = shapesTransform(facts);
    const node = opts.nodePath ?? (process.versions.electron ? 'node' : process.execPath);
    const bundled = target.kind === 'file';
    const cmd = await commandFor(target, opts, dir, node, logger, bundled ? transform : undefined);
    const env: Record<string, string> = { ...opts.env };
    if (!bundled) {
      const sources = instrumentedSources(
        facts.map((f) => f.absFile),
        transform,
      );
      const file = join(dir, SHAPES_SOURCES_FILE);
      writeFileSync(file, JSON.stringify(sources));
      env.HOTLOOP_SHAPES_SOURCES = file;
      // babel/register (5, 6) caches its output by file name and mtime: it would run the text it
      // compiled in the profiling run, not the instrumented one.
      env.BABEL_DISABLE_CACHE = '1';
    }
    const { command, args, isNode } = cmd;
    cleanupDir = cmd.cleanupDir;
    logger.info(
      `Shapes pass over ${slots.length} loop(s)${bundled ? '' : ' (sources served by the preload)'}`,
    );
    const captureDir = opts.captureInputs ? captureDirFor(opts.root) : undefined;
    // Always set: off unless asked for, even when Hotloop's own environment happens to have it.
    env.HOTLOOP_CAPTURE_DIR = captureDir ?? '';
    const run = await runProfiled({
      command,
      args,
      isNode,
      cwd: opts.root,
      dir,
      intervalUs: result.intervalUs,
      timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      logger,
      shapes: true,
      cpuProfile: false,
      ...(opts.signal ? { signal: opts.signal } : {}),
      env,
    });
    if (captureDir)
      logger.info(`Captured inputs: ${collectCaptured(captureDir, slots).length} loop(s) in ${captureDir}`);
    const shapes = readShapes(dir, slots);
    const loops: LoopHeat[] = result.loops.map((l) => {
      const shape = shapes.get(l.loopId);
      if (!shape) return l;
      const secs = l.totalMs / 1000;
      return { ...l, shape, ...(secs > 0 ? { iterationsPerSecond: shape.iterations / secs } : {}) };
    });
    return { ...result, loops, shapesOverhead: baseWallMs > 0 ? run.wallMs / baseWallMs : 1 };
  } finally {
    if (!opts.keepTemp) for (const d of [dir, cleanupDir]) if (d) rmSync(d, { recursive: true, force: true });
  }
}
