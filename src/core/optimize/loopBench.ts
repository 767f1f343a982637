// The benchmark of one loop of the workspace (the "Benchmark…" lens): the original (the kernel as
// plain JS), the same JS on Float64Array, the bundled kernel library's routine where one matches, and
// every scaffold of this kernel already BUILT in the workspace (`<outputDir>/<kernel>-<target>/dist/`).
// Nothing is built here: scaffold and build first (the lens actions), then benchmark.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchSpec } from '../bench/types.js';
import type { Kernel } from '../ir/types.js';
import { emitterFor } from '../scaffold/registry.js';
import type { TargetName } from '../scaffold/types.js';
import type { LoopShape } from '../profile/types.js';
import { replayShapeFor } from './shape.js';
import { benchSpecFor, sweepArgsFor, writeOriginal, type BuiltTarget } from './spec.js';

export interface LoopBenchRequest {
  readonly kernel: Kernel;
  /** Absolute workspace folder. */
  readonly workspaceRoot: string;
  /** Scaffold folder relative to the root (setting `hotloop.scaffold.outputDir`, default `hotloop`). */
  readonly outputDir?: string;
  /** Input size (default 100,000). */
  readonly n?: number;
  /** For a size sweep: arrays follow n (throws with a clear message for loops whose shapes do not). */
  readonly sweep?: boolean;
  /** What the profile's shapes pass recorded for this loop: the benchmark replays it (a sweep centres on it). */
  readonly recorded?: LoopShape;
  /** The loop in the source (absolute file, 1-based line), for "open source location". */
  readonly source?: { readonly file: string; readonly line: number };
}

const TARGETS: readonly TargetName[] = ['js', 'wasm', 'worker', 'native', 'gpu'];

/** The scaffold's build artefact is there (so the wrapper will not silently run its JS fallback). */
function isBuilt(target: TargetName, dir: string): boolean {
  if (!existsSync(join(dir, 'dist', 'index.js'))) return false;
  if (target === 'wasm') return existsSync(join(dir, 'dist', 'kernel.wasm'));
  if (target === 'native') {
    const rel = join(dir, 'build', 'Release');
    return existsSync(rel) && readdirSync(rel).some((f) => f.endsWith('.node'));
  }
  return true;
}

/** The spec (and notes for the result); writes the original's module to `.hotloop/variants/`. */
export async function loopBenchSpec(req: LoopBenchRequest): Promise<{ spec: BenchSpec; notes: string[] }> {
  const k = req.kernel;
  const sweepArgs = req.sweep ? sweepArgsFor(k) : undefined;
  if (req.sweep && !sweepArgs)
    throw new Error(
      `the size sweep needs a loop whose arrays all have length n; ${k.name}'s sizes do not follow one n (a 2-D nest or size parameters) — benchmark it at one size instead`,
    );
  const built: BuiltTarget[] = [];
  const unbuilt: string[] = [];
  for (const target of TARGETS) {
    const dir = join(req.workspaceRoot, req.outputDir ?? 'hotloop', `${k.name}-${target}`);
    if (!existsSync(dir)) continue;
    const emitted = emitterFor(target)?.emit(k, { exportName: k.name });
    if (!emitted?.ok) continue;
    if (isBuilt(target, dir))
      built.push({ target, entry: join(dir, 'dist', 'index.js'), properties: emitted.properties });
    else unbuilt.push(target);
  }
  const original = await writeOriginal(k, join(req.workspaceRoot, '.hotloop', 'variants'));
  const replay = replayShapeFor(k, req.recorded, req.n ?? 100_000, Number.MAX_SAFE_INTEGER);
  const made = benchSpecFor(k, replay.n, original, built, req.source, replay);
  // A sweep varies n over size-free args; a recorded shape then only gives the sweep its centre.
  const spec = sweepArgs ? { ...made.spec, args: sweepArgs } : made.spec;
  const notes = made.notes;
  if (unbuilt.length)
    notes.push(
      `Scaffolded but not built, so not measured: ${unbuilt.join(', ')} (build them, then benchmark again).`,
    );
  if (!built.length && !unbuilt.length)
    notes.push(
      'No scaffold of this loop yet: scaffold a rewrite (lens actions) and build it to see it here; `hotloop optimize` does all of it in a temporary copy.',
    );
  return { spec, notes };
}
