// The shapes advisor: runs a workspace program (built as the profiler builds a file target: bundled,
// with source maps) under V8's IC and map logging (`--log-ic --log-maps --log-maps-details`), and
// reports the property sites that went polymorphic or megamorphic in hot loops, with the maps they saw.
// The program is spawned with an argument array in its own process group, bounded by a timeout; only
// for a trusted workspace (the caller's decision: the CLI is run by the user, VS Code checks trust).
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { nullLogger, type Logger } from '../../logger.js';
import { spawnGroup, type Exit } from '../../process/group.js';
import { commandFor } from '../../profile/index.js';
import { polymorphicSites } from './detect.js';
import { readV8Log } from './v8log.js';
import type { ShapesFinding } from './types.js';

export type { ShapeSeen, ShapesFinding, ShapesVerdict } from './types.js';
export { polymorphicSites } from './detect.js';
export { parseV8Log, readV8Log } from './v8log.js';

/**
 * V8's flags for the IC and map events the advisor reads (Node 20 / V8 11.3 and later). Optimization
 * runs on the main thread (`--no-concurrent-recompilation`, `--no-concurrent-osr`), so whether a hot
 * function got its TurboFan code before the program ended does not depend on the machine's load.
 */
export const V8_LOG_FLAGS = [
  '--log-ic',
  '--log-maps',
  '--log-maps-details',
  '--no-logfile-per-isolate',
  '--no-concurrent-recompilation',
  '--no-concurrent-osr',
];

export interface ShapesRun {
  readonly findings: ShapesFinding[];
  readonly exit: Exit;
  readonly timedOut: boolean;
  /** Size of V8's log. */
  readonly logBytes: number;
}

/** Runs `file` (relative to `root`) with `args` under V8's IC log and returns the polymorphic sites. */
export async function adviseShapesRun(o: {
  readonly root: string;
  readonly file: string;
  readonly args?: readonly string[];
  readonly timeoutMs?: number;
  readonly nodePath?: string;
  readonly logger?: Logger;
}): Promise<ShapesRun> {
  const logger = o.logger ?? nullLogger;
  const dir = mkdtempSync(join(tmpdir(), 'hotloop-shapes-'));
  const node = o.nodePath ?? process.execPath;
  const cmd = await commandFor(
    { kind: 'file', file: o.file, ...(o.args ? { args: [...o.args] } : {}) },
    { root: o.root },
    dir,
    node,
    logger,
  );
  try {
    const logfile = join(dir, 'v8.log');
    const proc = spawnGroup(node, [...V8_LOG_FLAGS, `--logfile=${logfile}`, ...cmd.args], {
      cwd: resolve(o.root),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    proc.child.stderr?.on('data', (c: Buffer) => {
      stderr = (stderr + c.toString('utf8')).slice(-4096);
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      void proc.stop(2000);
    }, o.timeoutMs ?? 120_000);
    const exit = await proc.exited;
    clearTimeout(timer);
    if (exit.code !== 0) logger.warn(`${o.file} exited with ${exit.code ?? exit.signal}: ${stderr.trim()}`);
    if (!existsSync(logfile)) return { findings: [], exit, timedOut, logBytes: 0 };
    const log = await readV8Log(logfile);
    return {
      findings: polymorphicSites(log, resolve(o.root)),
      exit,
      timedOut,
      logBytes: statSync(logfile).size,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    if (cmd.cleanupDir) rmSync(cmd.cleanupDir, { recursive: true, force: true });
  }
}
