// Planning a scaffold: emit the target's files, add the shared ones and the marker headers, and
// decide per file what writing would do to what is on disk (create, update Hotloop's own file,
// leave it, or conflict with a file of the user's).
import { readFile } from 'node:fs/promises';
import { relative, resolve, sep } from 'node:path';
import type { Kernel, KernelArg } from '../ir/types.js';
import { validateKernel } from '../ir/validate.js';
import { makeInputs } from '../ir/random.js';
import type { Emitter, EmitResult, FileAction, PlanResult, PlannedFile, ScaffoldRequest } from './types.js';
import { planToolchain } from './toolchain.js';
import { emitterFor, emitters } from './registry.js';
import { checkFilePath, checkKernelName, resolveOutputDir } from './names.js';
import { hasMarker, withMarker } from './marker.js';
import { completeFiles } from './files.js';
import { withLocalAccumulators } from './assignedParams.js';
import { freshParams, withoutFresh } from '../ir/fresh.js';
import { freshWrapperNotes, withFreshWrapper } from './freshWrapper.js';
import { asJsFolder } from './js/folder.js';

/** Why scaffolding is refused in an untrusted workspace. */
export const UNTRUSTED_REASON =
  'Scaffolding is disabled in an untrusted workspace: the generated folder is meant to be built and run (npm install, asc, tsc). Trust the workspace (Workspaces: Manage Workspace Trust) and try again.';

/** Inputs recorded for the folder's `npm run check` (seeded, n = 256), or undefined when the kernel cannot be sized. */
export function sampleInputs(kernel: Kernel): KernelArg[] | undefined {
  try {
    return makeInputs(kernel, { n: 256, seed: 1 });
  } catch {
    return undefined;
  }
}

async function actionFor(path: string, contents: string): Promise<FileAction> {
  let existing: string;
  try {
    existing = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'create';
    throw err;
  }
  if (existing === contents) return 'unchanged';
  return hasMarker(existing) ? 'update' : 'conflict';
}

/** The emitter's result with its dependencies moved out (to the shared toolchain) and `npm install` run there. */
function sharedToolchain(r: Extract<EmitResult, { ok: true }>): Extract<EmitResult, { ok: true }> {
  const build = r.commands.build.map((c) => (c === 'npm install' ? 'npm install --prefix ..' : c));
  return { ...r, dependencies: {}, devDependencies: {}, commands: { ...r.commands, build } };
}

/**
 * Plans a scaffold of `req.kernel` for `req.target`: nothing is written. Refuses untrusted
 * workspaces, bad names and output folders outside the workspace; declines kernels the target
 * cannot handle, with the emitter's reason. `inputs` (optional) are recorded for `npm run check`.
 */
export async function planScaffold(
  req: ScaffoldRequest,
  opts: { inputs?: readonly KernelArg[]; emitters?: readonly Emitter[] } = {},
): Promise<PlanResult> {
  if (!req.workspaceTrusted) return { ok: false, reason: UNTRUSTED_REASON };
  // A loop extracted from a larger function assigns its accumulator parameter: make it a local.
  const k = withLocalAccumulators(req.kernel);
  const badName = checkKernelName(k.name);
  if (badName) return { ok: false, reason: badName };
  const problems = validateKernel(k);
  if (problems.length)
    return { ok: false, reason: `the kernel is not valid IR: ${problems.slice(0, 3).join('; ')}` };
  const emitter = emitterFor(req.target, opts.emitters ?? emitters);
  if (!emitter)
    return {
      ok: false,
      reason: `no emitter for target '${req.target}' (available: ${(opts.emitters ?? emitters).map((e) => e.target).join(', ')})`,
    };
  const where = resolveOutputDir(
    req.workspaceRoot,
    req.outputDir,
    req.folderName ?? `${k.name}-${req.target}`,
  );
  if (!where.ok) return where;
  const ctx = {
    exportName: k.name,
    source: req.source,
    workerInlineBelowOps: req.workerInlineBelowOps,
    cuda: req.cuda,
  };
  // Fresh output arrays (allocated by the original itself): the target sees ordinary written arrays,
  // and a thin index.ts with the original's signature allocates them (freshWrapper.ts).
  const fresh = freshParams(k).length > 0;
  const emitted = emitter.emit(withoutFresh(k), ctx);
  if (!emitted.ok) return { ok: false, reason: `${emitter.title} cannot take ${k.name}: ${emitted.reason}` };
  // The build tools go into the shared <outputDir>/package.json when there can be one (toolchain.ts).
  const toolchain = await planToolchain(req.workspaceRoot, where.dir, {
    ...emitted.dependencies,
    ...emitted.devDependencies,
  });
  const shared = toolchain ? sharedToolchain(emitted) : emitted;
  const r = fresh ? { ...shared, notes: [...shared.notes, ...freshWrapperNotes(k)] } : shared;
  const complete = completeFiles(
    withoutFresh(k),
    req.target,
    emitter.title,
    ctx,
    r,
    opts.inputs ?? sampleInputs(k),
    toolchain !== undefined,
  );
  const wrapped = fresh ? withFreshWrapper(k, complete, ctx.exportName, r.properties.async) : complete;
  // The js target's folder is plain JavaScript (+ .d.ts): nothing to compile (js/folder.ts).
  let files = wrapped;
  if (req.target === 'js') {
    try {
      files = await asJsFolder(wrapped);
    } catch (err) {
      return {
        ok: false,
        reason: `${emitter.title} cannot take ${k.name}: ${err instanceof Error ? err.message : String(err)}`,
      };
    }
  }
  const planned: PlannedFile[] = [];
  for (const f of files) {
    const bad = checkFilePath(f.path);
    if (bad) return { ok: false, reason: bad };
    const path = resolve(where.dir, f.path);
    if (!path.startsWith(where.dir + sep))
      return { ok: false, reason: `generated file '${f.path}' would leave ${where.dir}` };
    const contents = withMarker(f.path, f.contents, `${req.target} scaffold of ${k.name}`);
    planned.push({
      path,
      relative: relative(req.workspaceRoot, path).split(sep).join('/'),
      contents,
      role: f.role,
      action: await actionFor(path, contents),
    });
  }
  if (toolchain) planned.push(toolchain);
  return {
    ok: true,
    plan: {
      target: req.target,
      kernelName: k.name,
      dir: where.dir,
      files: planned,
      notes: r.notes,
      properties: r.properties,
      commands: r.commands,
    },
  };
}
