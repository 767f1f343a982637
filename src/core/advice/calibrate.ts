// Calibration: MEASURES the cost model's constants on this machine (a second or two, in-process),
// caches them as JSON per Node version and CPU, and re-runs on demand. Nothing here is a
// hard-coded speedup: every constant below comes from a timer.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, homedir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { kernelToJs } from '../ir/index.js';
import type { Kernel } from '../ir/types.js';
import type { Logger } from '../logger.js';
import { getKernels, loadKernels, packageRoot } from '../../../native/index.js';
import type { Kernels } from '../../../native/index.js';
import { kernelWork, type WorkClass } from './work.js';
import { CAL_KERNELS } from './calKernels.js';

export const CALIBRATION_SCHEMA = 1;

/** ns per elementary IR operation, per work class. */
export type Rates = Readonly<Record<WorkClass, number>>;

export interface Calibration {
  readonly schema: typeof CALIBRATION_SCHEMA;
  readonly createdAt: string;
  readonly node: string;
  readonly cpu: string;
  readonly threads: number;
  /** Wall time the calibration took, ms. */
  readonly tookMs: number;
  /** Elements per array used to measure throughput. */
  readonly n: number;
  readonly js: {
    /** ns per IR op on Float64Array inputs, per class. */
    readonly typed: Rates;
    /** ns per IR op on `number[]` (packed doubles) inputs, per class. */
    readonly array: Rates;
    /** `Float64Array.from(number[])`, ns per element (the cheap JS-level fix's one-off cost). */
    readonly fromArrayNsPerElement: number;
    /** Structured clone of a `number[]` (what postMessage pays), ns per element. */
    readonly cloneNsPerElement: number;
    /** Byte copy between typed arrays (`set`), ns per byte. */
    readonly copyNsPerByte: number;
  };
  readonly native: {
    readonly available: boolean;
    readonly backend: string;
    /** Fixed cost of one call with one small Float64Array, ns. */
    readonly callNs: number;
    /** Converting a `number[]` element by element at the boundary, ns per element. */
    readonly arrayNsPerElement: number;
    /** ns per IR op of the equivalent JS kernel (the library's SIMD code), per class. */
    readonly rates: Rates;
  };
  readonly wasm: {
    readonly available: boolean;
    readonly callNs: number;
    /** Copy into linear memory, ns per byte (measured as the size-dependent part beyond compute). */
    readonly copyNsPerByte: number;
    readonly rates: Rates;
  };
  readonly worker: {
    readonly available: boolean;
    /** postMessage round trip to a warm worker_threads worker, ns. */
    readonly dispatchNs: number;
    readonly threads: number;
  };
  readonly gpu: {
    readonly available: boolean;
    readonly reason: string;
  };
}

export interface CalibrateOptions {
  /** Time budget per measured quantity, ms (default 40; tests use ~10). */
  readonly budgetMs?: number;
  /** Elements per array for throughput (default 100,000: out of L1, below the library's thread threshold). */
  readonly n?: number;
  readonly logger?: Logger;
  readonly signal?: AbortSignal;
  /** Probe for a WebGPU adapter (default true; loads Dawn, which takes a moment). */
  readonly gpu?: boolean;
}

export type Fn = (...args: unknown[]) => unknown;

function calKernels(): Record<WorkClass, Kernel> {
  return { reduce: CAL_KERNELS.sum, 'map-reduce': CAL_KERNELS.var, map: CAL_KERNELS.map };
}

/** A fresh function instance (own inline caches) of the kernel's plain JS (kernelToJs). */
export function compileKernelJs(k: Kernel): Fn {
  // The kernel's source is generated from the IR here (no user text): compiling it is the point.
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const factory = new Function(`${kernelToJs(k)}\nreturn ${k.name};`) as () => Fn;
  return factory();
}

let sink = 0;
function consume(v: unknown): void {
  if (typeof v === 'number') sink += v;
}

/**
 * ns per call of `fn`: the fastest of 5 batches filling `budgetMs` (on a busy machine the fastest batch
 * is the one least disturbed by other processes; a median would measure the neighbours).
 */
export function timeCall(fn: () => unknown, budgetMs: number): number {
  for (let i = 0; i < 3; i++) consume(fn());
  let reps = 1;
  let t0 = process.hrtime.bigint();
  consume(fn());
  let one = Number(process.hrtime.bigint() - t0);
  while (one * reps < (budgetMs * 1e6) / 5 && reps < 1e7) reps *= 2;
  const per: number[] = [];
  for (let b = 0; b < 5; b++) {
    t0 = process.hrtime.bigint();
    for (let r = 0; r < reps; r++) consume(fn());
    one = Number(process.hrtime.bigint() - t0);
    per.push(one / reps);
  }
  return Math.min(...per);
}

function randomF64(n: number): Float64Array {
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = Math.random() * 2 - 1;
  return a;
}

function ratesFrom(times: Record<WorkClass, number>, ops: Record<WorkClass, number>, n: number): Rates {
  return {
    reduce: Math.max(1e-3, times.reduce / (n * ops.reduce)),
    'map-reduce': Math.max(1e-3, times['map-reduce'] / (n * ops['map-reduce'])),
    map: Math.max(1e-3, times.map / (n * ops.map)),
  };
}

function libraryTimes(
  k: Kernels,
  x: Float64Array | number[],
  out: Float64Array,
  budget: number,
): Record<WorkClass, number> {
  return {
    reduce: timeCall(() => k.sum(x, { threads: 1 }), budget),
    'map-reduce': timeCall(() => k.variance(x, { threads: 1 }), budget),
    // scale(2, x) then +1 is two passes in the library; scale alone is the closest one-pass map.
    map: timeCall(() => k.scale(2, x as Float64Array, { out, threads: 1 }), budget),
  };
}

async function workerRoundTrip(budgetMs: number): Promise<number> {
  const w = new Worker(
    'const { parentPort } = require("node:worker_threads"); parentPort.on("message", (m) => parentPort.postMessage(m));',
    { eval: true },
  );
  try {
    const ping = (): Promise<void> =>
      new Promise((resolve) => {
        w.once('message', () => {
          resolve();
        });
        w.postMessage(1);
      });
    for (let i = 0; i < 5; i++) await ping();
    const per: number[] = [];
    const end = performance.now() + budgetMs;
    while (per.length < 10 || (performance.now() < end && per.length < 500)) {
      const t0 = process.hrtime.bigint();
      await ping();
      per.push(Number(process.hrtime.bigint() - t0));
    }
    per.sort((a, b) => a - b);
    return per[Math.floor(per.length / 2)]!;
  } finally {
    await w.terminate();
  }
}

async function probeGpu(timeoutMs: number): Promise<{ available: boolean; reason: string }> {
  try {
    const req = createRequire(join(packageRoot(), 'package.json'));
    const mod = req('webgpu') as { create: (o: string[]) => { requestAdapter(): Promise<unknown> } };
    const gpu = mod.create([]);
    const adapter = await Promise.race([
      gpu.requestAdapter(),
      new Promise((r) => {
        setTimeout(() => {
          r('timeout');
        }, timeoutMs);
      }),
    ]);
    if (adapter === 'timeout')
      return { available: false, reason: `no WebGPU adapter within ${timeoutMs} ms` };
    if (!adapter)
      return { available: false, reason: 'no WebGPU adapter on this machine (requestAdapter() gave null)' };
    return {
      available: false,
      reason: 'a WebGPU adapter opened, but GPU transfer costs are not calibrated yet; GPU is not suggested',
    };
  } catch (e) {
    return {
      available: false,
      reason: `WebGPU could not load: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]!.slice(0, 200)}`,
    };
  }
}

export function machineKey(): string {
  const c = cpus();
  const model = c[0]?.model ?? 'unknown-cpu';
  const hash = createHash('sha1').update(`${model}|${c.length}|${process.arch}`).digest('hex').slice(0, 10);
  return `calibration-${process.version}-${hash}`;
}

/** Runs the calibration now (no cache). */
export async function calibrate(opts: CalibrateOptions = {}): Promise<Calibration> {
  const started = performance.now();
  const budget = opts.budgetMs ?? 40;
  const n = opts.n ?? 100_000;
  const ks = calKernels();
  const ops: Record<WorkClass, number> = {
    reduce: kernelWork(ks.reduce).opsPerElement,
    'map-reduce': kernelWork(ks['map-reduce']).opsPerElement,
    map: kernelWork(ks.map).opsPerElement,
  };
  const typed = randomF64(n);
  const arr = Array.from(typed);
  const out = new Float64Array(n);
  const classes: WorkClass[] = ['reduce', 'map-reduce', 'map'];
  const jsTimes = (container: 'typed' | 'array'): Record<WorkClass, number> => {
    const r = {} as Record<WorkClass, number>;
    for (const c of classes) {
      const f = compileKernelJs(ks[c]);
      const x = container === 'typed' ? typed : arr;
      r[c] = c === 'map' ? timeCall(() => f(x, out), budget) : timeCall(() => f(x), budget);
    }
    return r;
  };
  opts.signal?.throwIfAborted();
  // Alternate the containers over 3 rounds and keep each one's fastest: a busy neighbour then
  // disturbs both alike instead of whichever happened to run during the burst.
  let tTyped = jsTimes('typed');
  let tArray = jsTimes('array');
  for (let round = 1; round < 3; round++) {
    const a = jsTimes('typed');
    const b = jsTimes('array');
    for (const c of classes) {
      tTyped = { ...tTyped, [c]: Math.min(tTyped[c], a[c]) };
      tArray = { ...tArray, [c]: Math.min(tArray[c], b[c]) };
    }
  }
  const jsTyped = ratesFrom(tTyped, ops, n);
  const jsArray = ratesFrom(tArray, ops, n);
  const small = arr.slice(0, 10_000);
  const fromArrayNsPerElement = timeCall(() => Float64Array.from(small), budget) / small.length;
  const cloneNsPerElement = timeCall(() => structuredClone(small), budget) / small.length;
  const dst = new Float64Array(n);
  const copyNsPerByte =
    timeCall(() => {
      dst.set(typed);
      return 0;
    }, budget) /
    (n * 8);
  opts.signal?.throwIfAborted();

  // Native: the bundled library (zero-copy typed arrays; number[] converted element by element).
  const lib = getKernels();
  const one = new Float64Array(1);
  const nativeOk = lib.backend === 'native';
  let native: Calibration['native'] = {
    available: false,
    backend: lib.backend,
    callNs: 0,
    arrayNsPerElement: 0,
    rates: jsTyped,
  };
  if (nativeOk) {
    const callNs = timeCall(() => lib.sum(one), budget);
    const m = 5_000;
    const smallArr = arr.slice(0, m);
    const smallTyped = typed.subarray(0, m);
    const conv =
      (timeCall(() => lib.sum(smallArr, { threads: 1 }), budget) -
        timeCall(() => lib.sum(smallTyped, { threads: 1 }), budget)) /
      m;
    native = {
      available: true,
      backend: 'native',
      callNs,
      arrayNsPerElement: Math.max(0, conv),
      rates: ratesFrom(libraryTimes(lib, typed, out, budget), ops, n),
    };
  }
  opts.signal?.throwIfAborted();

  // Wasm: the library's wasm build (copies typed inputs into linear memory on every call).
  let wasm: Calibration['wasm'] = { available: false, callNs: 0, copyNsPerByte: 0, rates: jsTyped };
  try {
    const wk = loadKernels({ backend: 'wasm' });
    const callNs = timeCall(() => wk.sum(one), budget);
    const times = libraryTimes(wk, typed, out, budget);
    // The copy is part of every library call; attribute the measured copy rate (typed set) to it
    // and the rest to compute.
    const copyTotal = copyNsPerByte * n * 8;
    const compute: Record<WorkClass, number> = {
      reduce: Math.max(times.reduce - copyTotal - callNs, times.reduce * 0.1),
      'map-reduce': Math.max(times['map-reduce'] - copyTotal - callNs, times['map-reduce'] * 0.1),
      map: Math.max(times.map - 2 * copyTotal - callNs, times.map * 0.1),
    };
    wasm = { available: true, callNs, copyNsPerByte, rates: ratesFrom(compute, ops, n) };
  } catch (e) {
    opts.logger?.info(
      `calibration: wasm backend unavailable (${e instanceof Error ? e.message : String(e)})`,
    );
  }
  opts.signal?.throwIfAborted();

  let worker: Calibration['worker'] = { available: false, dispatchNs: 0, threads: availableParallelism() };
  try {
    worker = { available: true, dispatchNs: await workerRoundTrip(budget), threads: availableParallelism() };
  } catch (e) {
    opts.logger?.info(
      `calibration: worker round trip failed (${e instanceof Error ? e.message : String(e)})`,
    );
  }
  const gpu =
    opts.gpu === false
      ? { available: false, reason: 'not probed (calibrated with gpu: false)' }
      : await probeGpu(Math.max(500, budget * 25));
  consume(sink);
  return {
    schema: CALIBRATION_SCHEMA,
    createdAt: new Date().toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown-cpu',
    threads: availableParallelism(),
    tookMs: Math.round(performance.now() - started),
    n,
    js: { typed: jsTyped, array: jsArray, fromArrayNsPerElement, cloneNsPerElement, copyNsPerByte },
    native,
    wasm,
    worker,
    gpu,
  };
}

export interface CachedCalibrationOptions extends CalibrateOptions {
  /** Cache folder (default `$HOTLOOP_CACHE_DIR` or `~/.cache/hotloop`). */
  readonly cacheDir?: string;
  /** Ignore the cache and measure again. */
  readonly recalibrate?: boolean;
}

export function defaultCacheDir(): string {
  return process.env.HOTLOOP_CACHE_DIR ?? join(homedir(), '.cache', 'hotloop');
}

export function calibrationPath(cacheDir: string = defaultCacheDir()): string {
  return join(cacheDir, `${machineKey()}.json`);
}

function isCalibration(v: unknown): v is Calibration {
  return (
    typeof v === 'object' &&
    v !== null &&
    (v as { schema?: unknown }).schema === CALIBRATION_SCHEMA &&
    (v as { node?: unknown }).node === process.version
  );
}

/** The cached calibration of this machine and Node version, measuring (and caching) it if missing or stale. */
export async function loadCalibration(opts: CachedCalibrationOptions = {}): Promise<Calibration> {
  const path = calibrationPath(opts.cacheDir);
  if (!opts.recalibrate) {
    try {
      const parsed: unknown = JSON.parse(await readFile(path, 'utf8'));
      if (isCalibration(parsed)) return parsed;
      opts.logger?.info(`calibration: ${path} has another schema or Node version; measuring again`);
    } catch {
      // missing or unreadable: measure
    }
  }
  const cal = await calibrate(opts);
  try {
    await mkdir(opts.cacheDir ?? defaultCacheDir(), { recursive: true });
    await writeFile(path, `${JSON.stringify(cal, null, 2)}\n`);
  } catch (e) {
    opts.logger?.warn(
      `calibration: could not cache to ${path}: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  return cal;
}
