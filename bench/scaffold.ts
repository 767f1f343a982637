// `npm run bench:scaffold [-- --json] [-- --targets js,wasm]`: the examples/ kernels at 3 sizes — original JS vs the
// tuned-JS, worker, wasm, native and gpu scaffolds (median per call, speedup = original / rewrite) and the crossover size where
// each rewrite starts to win (log-interpolated between the measured sizes). The worker wrapper is
// measured with sharding forced (no inline threshold), so its crossover is the threshold's evidence.
// All variants run in this one process on the same inputs, interleaved per sample round.
// Not a test: the machine is shared and noisy; compare ratios from one run.
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { join } from 'node:path';
import { analyzeSource } from '../src/core/analysis/index.js';
import type { Kernel, KernelArg } from '../src/core/ir/types.js';
import { cloneArgs, makeInputs } from '../src/core/ir/random.js';
import { kernelToJs } from '../src/core/ir/toJs.js';
import { buildBatch, REPO } from '../test/unit/scaffoldHarness.js';
import type { Built } from '../test/unit/scaffoldHarness.js';
import { loadJs } from '../test/support/loadJs.js';
import { buildNativeGpuBatch } from '../test/unit/nativeGpuBatch.js';
import { stmtOps } from '../src/core/ir/walk.js';
import { WORKER_INLINE_BELOW_OPS } from '../src/core/scaffold/worker/calibration.js';
import { tunedJsSource } from '../src/core/scaffold/js/emit.js';
import { transformSync } from 'esbuild';

type Fn = (...args: KernelArg[]) => unknown;

/** The rewrites measured against the original (native and gpu are filled in once their batch is built). */
const native = new Map<string, Fn>();
const gpu = new Map<string, Fn>();
/** The tuned-JS rewrite (no build: its wrapper is the kernel itself), loaded like the original. */
const tuned = new Map<string, Fn>();
function tunedJs(k: Kernel): Fn {
  // Loaded once per kernel, like the original: a fresh copy per size would start cold each time.
  const have = tuned.get(k.name);
  if (have) return have;
  const cjs = transformSync(tunedJsSource(k, k.name).source, { loader: 'ts', format: 'cjs' }).code;
  const fn = loadJs(cjs, k.name);
  tuned.set(k.name, fn);
  return fn;
}
const ALL_TARGETS: readonly { readonly name: string; readonly fn: (b: Built) => Fn | undefined }[] = [
  { name: 'js', fn: (b) => tunedJs(b.kernel) },
  { name: 'worker', fn: (b) => b.worker?.fn },
  { name: 'wasm', fn: (b) => b.wasm?.fn },
  { name: 'native', fn: (b) => native.get(b.kernel.name) },
  // The GPU rewrite runs on this machine's WebGPU adapter (llvmpipe on a CPU-only machine), f32.
  { name: 'gpu', fn: (b) => gpu.get(b.kernel.name) },
];

const only =
  process.argv.find((a) => a.startsWith('--targets='))?.slice('--targets='.length) ??
  (process.argv.includes('--targets') ? process.argv[process.argv.indexOf('--targets') + 1] : undefined);
const TARGETS = ALL_TARGETS.filter((t) => !only || only.split(',').includes(t.name));
const PICK = ['sum', 'sumArray', 'variance', 'kineticEnergy', 'gemv', 'gemm', 'boxBlur'];
const SIZES = [1_000, 100_000, 1_000_000];
const SAMPLES = 9;
const json = process.argv.includes('--json');
const log = (s: string): void => {
  if (!json) console.log(s);
  else process.stderr.write(`${s}\n`);
};

function exampleKernels(): Kernel[] {
  const out: Kernel[] = [];
  for (const file of ['sensorStats.ts', 'matmul.ts', 'nbody.ts', 'imageFilter.ts']) {
    const path = join(REPO, 'examples/src', file);
    for (const loop of analyzeSource(path, readFileSync(path, 'utf8'), { rootDir: join(REPO, 'examples') })
      .loops) {
      const k = loop.kernel;
      if (k && PICK.includes(k.name) && !out.some((o) => o.name === k.name)) out.push(k);
    }
  }
  return out;
}

async function timeCall(fn: Fn, args: KernelArg[], reps: number): Promise<number> {
  const t0 = performance.now();
  for (let r = 0; r < reps; r++) await fn(...args);
  return (performance.now() - t0) / reps;
}

/** Median ms per call of each variant; variants interleaved within every sample round. */
async function measure(
  variants: readonly { name: string; fn: Fn }[],
  inputs: KernelArg[],
): Promise<Map<string, number>> {
  const args = variants.map(() => cloneArgs(inputs));
  const reps = await Promise.all(
    variants.map(async (v, i) => {
      await timeCall(v.fn, args[i]!, 3); // warm-up (JIT, pool start, module load)
      const once = await timeCall(v.fn, args[i]!, 1);
      return Math.max(1, Math.min(2000, Math.ceil(5 / Math.max(once, 1e-4))));
    }),
  );
  const samples = variants.map(() => [] as number[]);
  for (let s = 0; s < SAMPLES; s++) {
    for (const [i, v] of variants.entries()) samples[i]!.push(await timeCall(v.fn, args[i]!, reps[i]!));
  }
  return new Map(variants.map((v, i) => [v.name, samples[i]!.sort((a, b) => a - b)[SAMPLES >> 1]!]));
}

/** Smallest n where speedup crosses 1, log-interpolated; null when it never wins in the range; the first n when it always wins. */
function crossover(points: readonly { n: number; speedup: number | null }[]): number | null {
  const pts = points.filter((p): p is { n: number; speedup: number } => p.speedup !== null);
  if (!pts.length) return null;
  if (pts[0]!.speedup >= 1) return pts[0]!.n;
  for (let i = 1; i < pts.length; i++) {
    const a = pts[i - 1]!;
    const b = pts[i]!;
    if (b.speedup >= 1) {
      const t = (0 - Math.log(a.speedup)) / (Math.log(b.speedup) - Math.log(a.speedup));
      return Math.round(Math.exp(Math.log(a.n) + t * (Math.log(b.n) - Math.log(a.n))));
    }
  }
  return null;
}

const fmt = (x: number | null): string =>
  x === null ? '—' : x >= 100 ? x.toFixed(0) : x >= 1 ? x.toFixed(2) : x.toPrecision(2);

async function main(): Promise<void> {
  const kernels = exampleKernels();
  log(
    `bench:scaffold — ${cpus()[0]?.model ?? 'cpu'}, ${availableParallelism()} threads, Node ${process.versions.node}; median of ${SAMPLES} samples (shared machine: noisy)`,
  );
  const batch = await buildBatch(kernels, { workerInlineBelowOps: 0, minIterationsPerShard: 4096 });
  // Native and GPU compile a whole batch: only when asked for.
  const ng = TARGETS.some((t) => t.name === 'native' || t.name === 'gpu')
    ? await buildNativeGpuBatch(kernels)
    : { native: new Map<string, Fn>(), gpu: new Map<string, Fn>(), declined: [], close: async () => {} };
  for (const [k, f] of ng.native) native.set(k, f);
  for (const [k, f] of ng.gpu) gpu.set(k, f);
  for (const d of ng.declined) log(`declined: ${d}`);
  const rows: {
    name: string;
    n: number;
    original_ms: number;
    speedup: Record<string, number | null>;
    crossover_n: Record<string, number | null>;
  }[] = [];
  try {
    for (const b of batch.built) {
      const k = b.kernel;
      const original = loadJs(kernelToJs(k), k.name);
      const perKernel: typeof rows = [];
      for (const n of SIZES) {
        const inputs = makeInputs(k, { n, seed: 42 });
        const variants = [
          { name: 'original', fn: original },
          ...TARGETS.flatMap((t) => {
            const fn = t.fn(b);
            return fn ? [{ name: t.name, fn }] : [];
          }),
        ];
        const med = await measure(variants, inputs);
        const base = med.get('original')!;
        const speedup = Object.fromEntries(
          TARGETS.map((t) => [t.name, med.has(t.name) ? base / med.get(t.name)! : null]),
        );
        perKernel.push({ name: k.name, n, original_ms: base, speedup, crossover_n: {} });
        log(
          `${k.name.padEnd(14)} n=${String(n).padStart(8)}  original ${fmt(base).padStart(8)} ms  ${TARGETS.map((t) => `${t.name} ${med.has(t.name) ? `${fmt(med.get(t.name)!)} ms (×${fmt(speedup[t.name]!)})` : 'declined'}`).join('  ')}`,
        );
      }
      const cross = Object.fromEntries(
        TARGETS.map((t) => [
          t.name,
          crossover(perKernel.map((r) => ({ n: r.n, speedup: r.speedup[t.name] ?? null }))),
        ]),
      );
      log(
        `${k.name.padEnd(14)} crossover n: ${TARGETS.map((t) => `${t.name} ${cross[t.name] === null ? 'not within range' : `≈ ${cross[t.name]}`}`).join(', ')}`,
      );
      for (const r of perKernel) rows.push({ ...r, crossover_n: cross });
    }
  } finally {
    await batch.close();
    await ng.close();
  }
  // The worker's inline threshold: a forced-shard round trip at the smallest size vs the original's cost per operation.
  const sumK = kernels.find((k) => k.name === 'sum');
  const small = rows.find((r) => r.name === 'sum' && r.n === SIZES[0]);
  const big = rows.find((r) => r.name === 'sum' && r.n === SIZES.at(-1));
  if (sumK && small && big && small.speedup.worker) {
    const roundTripMs = small.original_ms / small.speedup.worker;
    const ops = stmtOps(sumK.body.flatMap((s) => (s.kind === 'for' ? s.body : [])));
    const nsPerOp = (big.original_ms * 1e6) / (big.n * ops);
    log(
      `worker round trip (sum, n=${small.n}, forced shards): ${roundTripMs.toFixed(2)} ms; original ${nsPerOp.toFixed(2)} ns/op → break-even ≈ ${Math.round((roundTripMs * 1e6) / nsPerOp).toExponential(1)} ops (worker/calibration.ts uses ${WORKER_INLINE_BELOW_OPS})`,
    );
  }
  if (json) console.log(JSON.stringify({ kernels: rows }));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
