// Builds a scaffold folder written into the optimize pipeline's temporary copy, without `npm install`
// (packages resolve through a `node_modules` link to Hotloop's). wasm and worker take the fast path —
// TypeScript → dist/*.js with esbuild (what `tsc -p tsconfig.json` emits, minus type checking, seconds
// less per folder), AssemblyScript → dist/kernel.wasm with Hotloop's own `asc`; native goes through
// `buildScaffold` (scaffold/build/). Every child runs in its own
// process group and is killed (the whole group) on cancel or time-out. A build that leaves no
// artefact is reported as failed, so a variant never silently benchmarks its JS fallback.
import { spawnGroup } from '../process/group.js';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { transformTs } from './transformTs.js';
import type { Logger } from '../logger.js';
import { ASC_FLAGS } from '../scaffold/wasm/emit.js';
import type { TargetName } from '../scaffold/types.js';
import { buildScaffold } from '../scaffold/build/index.js';

export type BuildOutcome =
  | { readonly ok: true; readonly entry: string; readonly ms: number }
  | { readonly ok: false; readonly reason: string };

export interface BuildOptions {
  readonly signal: AbortSignal;
  readonly log: Logger;
  /** Hotloop's own node_modules (assemblyscript, node-gyp, piscina, node-addon-api, webgpu). */
  readonly toolModules: string;
  /** Wall-clock limit of one build step, ms. */
  readonly timeoutMs: number;
}

/** The node_modules folder holding Hotloop's tools, found from this module's location upwards. */
export function findToolModules(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (
      existsSync(join(dir, 'node_modules', 'piscina')) &&
      existsSync(join(dir, 'node_modules', 'assemblyscript'))
    )
      return join(dir, 'node_modules');
    if (dirname(dir) === dir)
      throw new Error(
        `Hotloop's node_modules (with assemblyscript and piscina) not found above ${from}; run \`npm ci\` in the Hotloop folder`,
      );
  }
}

/** Exits 0 when the webgpu package finds an adapter (default backend, then OpenGL ES), like the GPU runtime. */
const GPU_PROBE = `import { create } from 'webgpu';
for (const o of [[], ['backend=opengles']]) {
  const a = await create(o).requestAdapter().catch(() => null);
  if (a) process.exit(0);
}
process.exit(3);`;

/** Runs a program (argument array, no shell) in its own process group; kills the group on abort/time-out. */
export function runTool(cmd: string, args: readonly string[], cwd: string, o: BuildOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    if (o.signal.aborted) {
      reject(new Error('cancelled'));
      return;
    }
    const proc = spawnGroup(cmd, args, { cwd });
    let output = '';
    const keep = (d: Buffer): void => {
      output = (output + d.toString()).slice(-3000);
    };
    proc.child.stdout?.on('data', keep);
    proc.child.stderr?.on('data', keep);
    const kill = (): void => {
      proc.signal('SIGKILL');
    };
    let why: string | undefined;
    const timer = setTimeout(() => {
      why = `timed out after ${Math.round(o.timeoutMs / 1000)} s`;
      kill();
    }, o.timeoutMs);
    const onAbort = (): void => {
      why = 'cancelled';
      kill();
    };
    o.signal.addEventListener('abort', onAbort, { once: true });
    void proc.exited.then(async ({ code, spawnError }) => {
      if (spawnError) why ??= spawnError;
      await proc.settle();
      clearTimeout(timer);
      o.signal.removeEventListener('abort', onAbort);
      if (code === 0 && !why) resolve();
      else
        reject(
          new Error(
            `${[cmd, ...args].join(' ')} ${why ?? `exited with ${code}`}${output.trim() ? `:\n${output.trim().split('\n').slice(-12).join('\n')}` : ''}`,
          ),
        );
    });
  });
}

async function tsFiles(dir: string, base = dir): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (!['node_modules', 'dist', 'build', 'assembly', 'cuda', 'prebuilds'].includes(e.name))
        out.push(...(await tsFiles(p, base)));
    } else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(relative(base, p));
  }
  return out;
}

/** Every .ts of the scaffold (not assembly/) → dist/<same path>.js, ESM like `tsc` with NodeNext emits. */
async function transpile(dir: string): Promise<void> {
  for (const rel of await tsFiles(dir)) {
    const code = await transformTs(await readFile(join(dir, rel), 'utf8'), dir, rel);
    const out = join(dir, 'dist', rel.replace(/\.ts$/, '.js'));
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, code);
  }
}

async function findNodeAddon(dir: string): Promise<string | undefined> {
  const rel = join(dir, 'build', 'Release');
  if (!existsSync(rel)) return undefined;
  return (await readdir(rel)).find((f) => f.endsWith('.node'));
}

/**
 * The native target through the team's `buildScaffold` (its README's `npm run build`, prerequisite
 * checks, offline node-gyp against the local headers, then its own `npm run check`); no `npm install`.
 */
async function buildNative(dir: string, o: BuildOptions): Promise<BuildOutcome> {
  const t0 = Date.now();
  const r = await buildScaffold(dir, {
    signal: o.signal,
    log: o.log,
    install: false,
    timeoutMs: o.timeoutMs,
  });
  if (o.signal.aborted) throw new Error('cancelled');
  if (!r.ok) return { ok: false, reason: r.reason ?? `build failed (${r.failure ?? 'unknown'})` };
  const entry = join(dir, 'dist', 'index.js');
  if (!existsSync(entry) || !(await findNodeAddon(dir)))
    return { ok: false, reason: 'the build left no dist/index.js or build/Release/*.node' };
  return { ok: true, entry, ms: Date.now() - t0 };
}

/** Builds one scaffold folder; `entry` is the module to benchmark (dist/index.js). */
export async function buildScaffoldDir(
  target: TargetName,
  dir: string,
  o: BuildOptions,
): Promise<BuildOutcome> {
  if (target === 'native') return buildNative(dir, o);
  const t0 = Date.now();
  const node = process.execPath;
  try {
    // The js target's folder is already JavaScript: its build only copies it to dist/.
    if (target === 'js') await runTool(node, ['build.mjs'], dir, o);
    else await transpile(dir);
    if (target === 'wasm') {
      await runTool(
        node,
        [
          join(o.toolModules, 'assemblyscript', 'bin', 'asc.js'),
          'assembly/kernel.ts',
          ...ASC_FLAGS,
          '-o',
          'dist/kernel.wasm',
        ],
        dir,
        o,
      );
      if (!existsSync(join(dir, 'dist', 'kernel.wasm')))
        return { ok: false, reason: 'asc produced no dist/kernel.wasm' };
    }
    if (target === 'gpu') {
      // Without an adapter the wrapper runs its JS fallback: that is not a GPU variant to time.
      try {
        await runTool(node, ['--input-type=module', '-e', GPU_PROBE], dir, {
          ...o,
          timeoutMs: Math.min(o.timeoutMs, 30_000),
        });
      } catch (err) {
        if (o.signal.aborted) throw err;
        return {
          ok: false,
          reason:
            'no WebGPU adapter here (the wrapper would run its JavaScript fallback), so there is no GPU variant to measure',
        };
      }
    }
    const entry = join(dir, 'dist', 'index.js');
    if (!existsSync(entry)) return { ok: false, reason: 'no dist/index.js after the build' };
    o.log.info(`built ${target} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    return { ok: true, entry, ms: Date.now() - t0 };
  } catch (err) {
    if (o.signal.aborted) throw err;
    return { ok: false, reason: err instanceof Error ? err.message : String(err) };
  }
}
