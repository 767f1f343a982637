// Batched differential checking of scaffold emitters: many kernels are emitted, built together
// (ONE AssemblyScript module holding every kernel, ONE worker pool shared by every worker wrapper)
// and run on the same inputs as the IR interpreter and the original JS.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { transformSync } from 'esbuild';
import type { Kernel, KernelArg, KernelOutput } from '../../src/core/ir/types.js';
import { runKernel } from '../../src/core/ir/interpret.js';
import { cloneArgs, makeInputs } from '../../src/core/ir/random.js';
import type { InputEdge } from '../../src/core/ir/random.js';
import { compareOutputs } from '../../src/core/ir/tolerance.js';
import { kernelToJs } from '../../src/core/ir/toJs.js';
import { printKernel } from '../../src/core/ir/print.js';
import { kernelToTs } from '../../src/core/scaffold/common/tsEmit.js';
import {
  wasmEmitter,
  emitAssemblyScript,
  assemblyModule,
  ASC_FLAGS,
} from '../../src/core/scaffold/wasm/emit.js';
import { workerEmitter } from '../../src/core/scaffold/worker/emit.js';
import { RUNTIME_TS, WORKER_TS } from '../../src/core/scaffold/worker/templates.js';
import { WASM_RUNTIME_TS } from '../../src/core/scaffold/wasm/templates.js';
import type { TargetProperties } from '../../src/core/scaffold/types.js';
import { loadJs } from '../support/loadJs.js';

export const REPO = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

type Fn = (...args: KernelArg[]) => unknown;

export interface Built {
  readonly kernel: Kernel;
  readonly wasm?: {
    readonly fn: Fn;
    readonly props: TargetProperties;
    readonly alloc: (dtype: string, n: number) => KernelArg;
    readonly mode: () => string;
  };
  readonly worker?: { readonly fn: Fn; readonly props: TargetProperties };
  /** Why a target declined (kept for the report; a decline is not a mismatch). */
  readonly declined: Partial<Record<'wasm' | 'worker', string>>;
}

export interface Batch {
  readonly built: readonly Built[];
  readonly dir: string;
  readonly close: () => Promise<void>;
}

function js(ts: string): string {
  return transformSync(ts, { loader: 'ts', format: 'esm', target: 'es2022' }).code;
}

async function put(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
}

/** Emits, builds and loads every kernel for wasm and worker, in one temp folder. */
export interface BatchOptions {
  /** Worker wrappers run inline below this much work (default 0: always shard, to test sharding). */
  readonly workerInlineBelowOps?: number;
  /** Fewest iterations per shard (default 2: small inputs still make several shards). */
  readonly minIterationsPerShard?: number;
}

/** What the batched layout's locate.js resolves (set per kernel for shards.js), shared through globalThis. */
interface HarnessState {
  readonly files: Map<string, string>;
  /** Set while a test expects fallbacks: they are recorded here instead of thrown. */
  expected?: string[] | undefined;
}
const harness: HarnessState = ((globalThis as { __hotloopHarness?: HarnessState }).__hotloopHarness ??= {
  files: new Map<string, string>(),
});

/**
 * Runs `fn` with fallbacks to the original allowed (a test of a wrapper's guard): each one is recorded
 * in `reports` instead of throwing.
 */
export function expectingFallbacks<T>(fn: () => T): { value: T; reports: string[] } {
  const reports: string[] = [];
  harness.expected = reports;
  try {
    return { value: fn(), reports };
  } finally {
    harness.expected = undefined;
  }
}

const HARNESS_LOCATE = `const h = globalThis.__hotloopHarness;
export function findArtefact(...names) {
  for (const n of names) { const p = h.files.get(n); if (p) return p; }
  return undefined;
}
export function searched(...names) { return 'the test harness (' + names.join(', ') + ')'; }
export function strict() { return true; }
export function fallback(kernel, target, why) { if (h.expected) { h.expected.push(why); return; } throw new Error('hotloop test harness: ' + target + ' of ' + kernel + ' fell back to the original: ' + why); }
export function fallbackCount() { return 0; }
`;

export async function buildBatch(kernels: readonly Kernel[], opts: BatchOptions = {}): Promise<Batch> {
  const dir = await mkdtemp(join(tmpdir(), 'hotloop-scaffold-'));
  await symlink(join(REPO, 'node_modules'), join(dir, 'node_modules'));
  await put(join(dir, 'package.json'), '{ "type": "module" }\n');
  await put(join(dir, 'shared/worker/runtime.js'), js(RUNTIME_TS));
  await put(join(dir, 'shared/worker/worker.js'), js(WORKER_TS));
  await put(join(dir, 'shared/wasm/runtime.js'), js(WASM_RUNTIME_TS));
  // The runtimes find their artefacts through ./locate.js; in this batched layout (one runtime and one
  // wasm module for every kernel) the harness's own locate.js answers, and any fallback to the original
  // throws: a test must never pass by running the original JavaScript.
  await put(join(dir, 'shared/worker/locate.js'), HARNESS_LOCATE);
  await put(join(dir, 'shared/wasm/locate.js'), HARNESS_LOCATE);
  harness.files.set('kernel.wasm', join(dir, 'all.wasm'));
  harness.files.set('worker.js', join(dir, 'shared/worker/worker.js'));
  const fns: string[] = [];
  const plans: {
    k: Kernel;
    wasm?: TargetProperties;
    worker?: TargetProperties;
    declined: Built['declined'];
  }[] = [];
  for (const k of kernels) {
    const kdir = join(dir, k.name);
    const declined: Built['declined'] = {};
    const entry: (typeof plans)[number] = { k, declined };
    await put(join(kdir, 'original.js'), js(kernelToTs(k)));
    const w = wasmEmitter.emit(k, { exportName: k.name });
    const as = emitAssemblyScript(k, k.name, `${k.name}_`);
    if (w.ok && as.ok) {
      fns.push(as.source);
      await put(join(kdir, 'wasm/index.js'), js(w.files.find((f) => f.path === 'index.ts')!.contents));
      await put(join(kdir, 'wasm/original.js'), "export * from '../original.js';\n");
      await put(join(kdir, 'wasm/runtime.js'), "export * from '../../shared/wasm/runtime.js';\n");
      await put(join(kdir, 'wasm/locate.js'), "export * from '../../shared/wasm/locate.js';\n");
      await symlink(join(dir, 'all.wasm'), join(kdir, 'wasm/kernel.wasm'));
      entry.wasm = w.properties;
    } else declined.wasm = w.ok ? (as.ok ? '' : as.reason) : w.reason;
    const r = workerEmitter.emit(k, {
      exportName: k.name,
      workerInlineBelowOps: opts.workerInlineBelowOps ?? 0,
    });
    if (r.ok) {
      await put(join(kdir, 'worker/index.js'), js(r.files.find((f) => f.path === 'index.ts')!.contents));
      await put(join(kdir, 'worker/shards.js'), js(r.files.find((f) => f.path === 'shards.ts')!.contents));
      await put(join(kdir, 'worker/original.js'), "export * from '../original.js';\n");
      await put(join(kdir, 'worker/runtime.js'), "export * from '../../shared/worker/runtime.js';\n");
      await put(join(kdir, 'worker/locate.js'), "export * from '../../shared/worker/locate.js';\n");
      entry.worker = r.properties;
    } else declined.worker = r.reason;
    plans.push(entry);
  }
  await put(join(dir, 'all.ts'), assemblyModule(fns));
  try {
    await run(join(REPO, 'node_modules/.bin/asc'), ['all.ts', ...ASC_FLAGS, '-o', 'all.wasm'], {
      cwd: dir,
      maxBuffer: 1 << 26,
    });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(
      `asc failed on the batched module (${join(dir, 'all.ts')}):\n${(e.stderr ?? e.message).slice(0, 4000)}`,
      { cause: err },
    );
  }
  const workerRuntime = (await import(pathToFileURL(join(dir, 'shared/worker/runtime.js')).href)) as {
    configureSharding: (o: { minIterationsPerShard: number }) => void;
  };
  // Small inputs still split into several shards, so shard-order combining is exercised.
  workerRuntime.configureSharding({ minIterationsPerShard: opts.minIterationsPerShard ?? 2 });
  const built: Built[] = [];
  const closers: (() => Promise<void>)[] = [];
  for (const p of plans) {
    const kdir = join(dir, p.k.name);
    const b: { -readonly [K in keyof Built]: Built[K] } = { kernel: p.k, declined: p.declined };
    if (p.wasm) {
      const m = (await import(pathToFileURL(join(kdir, 'wasm/index.js')).href)) as Record<string, unknown>;
      const allocs = Object.fromEntries(Object.entries(m).filter(([n]) => n.startsWith('alloc')));
      b.wasm = {
        fn: m[p.k.name] as Fn,
        props: p.wasm,
        alloc: (ctorName, n) => (allocs[`alloc${ctorName}`] as (n: number) => KernelArg)(n),
        mode: m.lastCallMode as () => string,
      };
    }
    if (p.worker) {
      const m = (await import(pathToFileURL(join(kdir, 'worker/index.js')).href)) as Record<string, unknown>;
      const fn = m[p.k.name] as Fn;
      const shards = join(kdir, 'worker/shards.js');
      // The runtime looks up shards.js synchronously in the first call of its kernel.
      b.worker = {
        fn: (...args) => {
          harness.files.set('shards.js', shards);
          return fn(...args);
        },
        props: p.worker,
      };
      const close = Object.entries(m).find(([n]) => n.startsWith('close'));
      if (close && !closers.length) closers.push(close[1] as () => Promise<void>);
    }
    built.push(b);
  }
  return {
    built,
    dir,
    close: async () => {
      for (const c of closers) await c();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function outputOf(k: Kernel, args: readonly KernelArg[], result: unknown): KernelOutput {
  const written: Record<string, KernelArg> = {};
  k.params.forEach((p, i) => {
    if (p.kind === 'array' && p.access !== 'read') written[p.name] = args[i]!;
  });
  return { result: result as KernelOutput['result'], written };
}

/** Results accepted because reassociation legitimately crossed the domain edge of sqrt/log. */
export const crossings: string[] = [];

/**
 * True when the only differences are NaNs where the reference is finite, on a reassociating target,
 * and the reference equals 0 within its own derived tolerance: the exact result is indistinguishable
 * from the domain edge (e.g. sqrt of a sum of deviations that cancels to ~1e-17), so a reassociated
 * sum may land on the other side and give NaN. Everything else still fails.
 */
function domainCrossing(
  k: Kernel,
  expected: KernelOutput,
  actual: KernelOutput,
  opts: Parameters<typeof compareOutputs>[3],
): boolean {
  if (!opts.reassociated || k.result.kind !== 'scalar') return false;
  const e = expected.result;
  if (typeof e !== 'number' || !Number.isFinite(e) || !Number.isNaN(actual.result)) return false;
  const zeroed: KernelOutput = { result: 0, written: actual.written };
  if (!compareOutputs(expected, zeroed, k, opts).ok) return false;
  crossings.push(`${k.name}: expected ${e}, got NaN (0 is within the derived tolerance)`);
  return true;
}

export interface Case {
  readonly n: number;
  readonly seed: number;
  readonly edge: InputEdge;
}

/** Runs one built kernel on one input case for every target; returns failure descriptions. */
export async function checkCase(b: Built, c: Case, fuzzSeed: number): Promise<string[]> {
  const k = b.kernel;
  const inputs = makeInputs(k, c);
  const expected = runKernel(k, cloneArgs(inputs));
  const failures: string[] = [];
  const fail = (what: string, detail: string): void => {
    failures.push(
      `${k.name} ${what} (fuzz seed ${fuzzSeed}, n=${c.n}, input seed ${c.seed}, edge ${c.edge}): ${detail}\n${printKernel(k)}`,
    );
  };
  const jsArgs = cloneArgs(inputs);
  const orig = loadJs(kernelToJs(k), k.name);
  const jsOut = outputOf(k, jsArgs, orig(...jsArgs));
  const exact = compareOutputs(expected, jsOut, k, { n: c.n, reassociated: false, precision: 'f64', inputs });
  if (!exact.ok) fail('original JS vs interpreter', exact.detail);
  const compare = (what: string, props: TargetProperties, actual: KernelOutput): void => {
    const opts = { n: c.n, reassociated: props.reassociates, precision: props.precision, inputs };
    const vsInterp = compareOutputs(expected, actual, k, opts);
    if (!vsInterp.ok && !domainCrossing(k, expected, actual, opts))
      fail(`${what} vs interpreter`, vsInterp.detail);
    const vsJs = compareOutputs(jsOut, actual, k, opts);
    if (!vsJs.ok && !domainCrossing(k, jsOut, actual, opts)) fail(`${what} vs original JS`, vsJs.detail);
  };
  if (b.wasm) {
    const args = cloneArgs(inputs);
    compare('wasm (copied)', b.wasm.props, outputOf(k, args, b.wasm.fn(...args)));
    // In place: the same inputs in arrays allocated in wasm memory.
    const wasm = b.wasm;
    const placed = inputs.map((a, i) => {
      const p = k.params[i]!;
      if (typeof a === 'number' || p.kind !== 'array' || Array.isArray(a))
        return typeof a === 'number' ? a : cloneArgs([a])[0]!;
      const arr = wasm.alloc(a.constructor.name, a.length) as Float64Array;
      arr.set(a);
      return arr;
    });
    const res = wasm.fn(...placed);
    const mode = wasm.mode();
    const anyTyped = placed.some((a) => ArrayBuffer.isView(a));
    const anyNumbers = placed.some((a) => Array.isArray(a));
    if (anyTyped && !anyNumbers && mode !== 'in-place')
      fail('wasm (in place)', `expected an in-place call, the wrapper reports '${mode}'`);
    compare('wasm (in place)', wasm.props, outputOf(k, placed, res));
  }
  if (b.worker) {
    const args = cloneArgs(inputs);
    compare('worker', b.worker.props, outputOf(k, args, await b.worker.fn(...args)));
  }
  return failures;
}
