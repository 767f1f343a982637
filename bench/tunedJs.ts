// `npm run bench:tuned-js [-- --json]`: the tuned-JS target (js) against the original — the
// scaffold's own original.js — on the examples/ kernels at small and medium sizes, where crossing into
// wasm or native cannot pay. Three kinds of caller: arrays as the original is typed ("as given"), the
// same values as `number[]` ("number[]"), and one call site alternating the two ("mixed": the original's
// feedback goes polymorphic, each tuned clone stays monomorphic). Each block of calls is timed in this
// process's CPU time (process.cpuUsage): on a shared machine at load 15 wall time mostly measures the
// run queue. Rounds interleave original and tuned blocks (order alternating), so each pair shares the
// momentary load; the speedup is the median of per-round ratios with a paired bootstrap 95 % CI.
// Not a test: ratios from one run.
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { transformSync } from 'esbuild';
import { analyzeSource } from '../src/core/analysis/index.js';
import type { Kernel, KernelArg } from '../src/core/ir/types.js';
import { cloneArgs, makeInputs } from '../src/core/ir/random.js';
import { kernelToTs } from '../src/core/scaffold/common/tsEmit.js';
import { tunedJsSource } from '../src/core/scaffold/js/emit.js';
import { bootstrapPairedRatioCI } from '../src/core/bench/stats.js';
import { loadJs } from '../test/support/loadJs.js';

type Fn = (...args: KernelArg[]) => unknown;
const REPO = join(import.meta.dirname, '..');
const PICK = ['sum', 'sumArray', 'variance', 'varianceArray', 'gemv', 'kineticEnergy', 'boxBlur'];
const SIZES = [8, 64, 1024, 65_536];
const ROUNDS = 15;
const BLOCK_MS = 3;
const json = process.argv.includes('--json');
const log = (s: string): void => {
  if (json) process.stderr.write(`${s}\n`);
  else console.log(s);
};

function kernels(): Kernel[] {
  const out: Kernel[] = [];
  for (const file of ['sensorStats.ts', 'matmul.ts', 'nbody.ts', 'imageFilter.ts']) {
    const path = join(REPO, 'examples/src', file);
    for (const l of analyzeSource(path, readFileSync(path, 'utf8'), { rootDir: join(REPO, 'examples') })
      .loops)
      if (l.kernel && PICK.includes(l.kernel.name) && !out.some((k) => k.name === l.kernel!.name))
        out.push(l.kernel);
  }
  return out;
}

const cjs = (ts: string): string => transformSync(ts, { loader: 'ts', format: 'cjs', target: 'es2022' }).code;

/** A fresh instance of each (its own feedback): the original as the scaffold's original.js, and the tuned JS. */
function instances(k: Kernel): { original: Fn; tuned: Fn } {
  const original = loadJs(cjs(kernelToTs(k)), k.name);
  const tuned = loadJs(cjs(tunedJsSource(k, k.name).source), k.name, (id) => {
    if (id === './original.js') return { [k.name]: original };
    throw new Error(`bench:tuned-js: unexpected import ${id}`);
  });
  return { original, tuned };
}

const asNumbers = (args: readonly KernelArg[]): KernelArg[] =>
  args.map((a) => (ArrayBuffer.isView(a) ? Array.from(a as Float64Array) : a));

/** CPU ms of `reps` calls, cycling through the argument lists. */
function block(fn: Fn, argLists: readonly KernelArg[][], reps: number): number {
  const t0 = process.cpuUsage();
  for (let r = 0; r < reps; r++) fn(...argLists[r % argLists.length]!);
  const d = process.cpuUsage(t0);
  return (d.user + d.system) / 1000;
}

interface Row {
  kernel: string;
  n: number;
  caller: 'as given' | 'number[]' | 'mixed';
  original_us: number;
  speedup: number;
  ci: [number, number];
}

function measure(k: Kernel, n: number, caller: Row['caller'], inputs: KernelArg[]): Row {
  const { original, tuned } = instances(k);
  const given = cloneArgs(inputs);
  const plain = asNumbers(cloneArgs(inputs));
  const lists = caller === 'as given' ? [given] : caller === 'number[]' ? [plain] : [given, plain];
  const [o, t] = [lists.map((a) => cloneArgs(a)), lists.map((a) => cloneArgs(a))];
  for (let w = 0; w < 200; w++) {
    original(...o[w % o.length]!);
    tuned(...t[w % t.length]!);
  }
  let reps = 1;
  while (block(original, o, reps) < BLOCK_MS && reps < 1 << 22) reps *= 2;
  const orig: number[] = [];
  const fast: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    if (r % 2) {
      fast.push(block(tuned, t, reps));
      orig.push(block(original, o, reps));
    } else {
      orig.push(block(original, o, reps));
      fast.push(block(tuned, t, reps));
    }
  }
  const { ratio, ci } = bootstrapPairedRatioCI(orig, fast);
  const med = orig.slice().sort((a, b) => a - b)[ROUNDS >> 1]!;
  return {
    kernel: k.name,
    n,
    caller,
    original_us: (med * 1000) / reps,
    speedup: ratio,
    ci: [ci.low, ci.high],
  };
}

function main(): void {
  const load0 = loadavg();
  log(
    `bench:tuned-js — ${cpus()[0]?.model ?? 'cpu'}, Node ${process.versions.node}, load average ${load0.map((x) => x.toFixed(2)).join(' ')}; CPU time, ${ROUNDS} interleaved rounds, speedup = original ÷ tuned JS [95 % CI]`,
  );
  const rows: Row[] = [];
  for (const k of kernels()) {
    for (const n of SIZES) {
      let inputs: KernelArg[];
      try {
        inputs = makeInputs(k, { n, seed: 42 });
      } catch {
        continue;
      }
      const typedKernel = inputs.some((a) => ArrayBuffer.isView(a));
      const callers: Row['caller'][] = typedKernel ? ['as given', 'number[]', 'mixed'] : ['as given'];
      for (const caller of callers) {
        const r = measure(k, n, caller, inputs);
        rows.push(r);
        log(
          `${k.name.padEnd(14)} n=${String(n).padStart(6)} ${caller.padEnd(9)} original ${r.original_us.toPrecision(3).padStart(8)} µs/call  ×${r.speedup.toFixed(2)} [${r.ci[0].toFixed(2)}, ${r.ci[1].toFixed(2)}]`,
        );
      }
    }
  }
  const sorted = rows.map((r) => r.speedup).sort((a, b) => a - b);
  const median = sorted[sorted.length >> 1] ?? NaN;
  const load1 = loadavg();
  log(
    `median speedup ${median.toFixed(2)} over ${rows.length} cases; load average after ${load1.map((x) => x.toFixed(2)).join(' ')}`,
  );
  if (json)
    console.log(JSON.stringify({ load_before: load0, load_after: load1, median_speedup: median, rows }));
}

main();
