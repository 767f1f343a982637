// Advice accuracy: predicted vs MEASURED speedups over the kernels of examples/ and the translatable
// fixtures of test/fixtures/loops/, at two realistic sizes.
//
// What is measured, in this process, on the kernel's own inputs (makeInputs, containers as declared):
//   js        the original: the kernel as plain JS (kernelToJs), on its declared containers
//   js-typed  the same JS on Float64Array/typed copies of number[] inputs (only kernels that read number[])
//   native    the bundled library routine that computes the same result (found by running the candidates
//             against the IR interpreter), called on the ORIGINAL inputs — number[] conversion included
//   wasm      the same routine from the library's wasm build (copies into linear memory included)
// Workers and GPU are predicted but not measured here (no quick in-process measurement).
// Times: fastest batch over 3 interleaved rounds per (case, target) — the machine is shared.
//
//   npm run bench:advice-accuracy [-- --json] [-- --recalibrate]
import { analyzePath } from '../src/core/analysis/index.js';
import type { Kernel, KernelArg } from '../src/core/ir/types.js';
import { makeInputs, runKernel } from '../src/core/ir/index.js';
import {
  adviseKernel,
  loadCalibration,
  timeCall,
  compileKernelJs,
  type AdviceTarget,
} from '../src/core/advice/index.js';
import { getKernels, loadKernels, type Kernels } from '../native/index.js';

type Target = 'js' | AdviceTarget;
type Routine = (k: Kernels, args: readonly KernelArg[]) => number;

const json = process.argv.includes('--json');
const recalibrate = process.argv.includes('--recalibrate');
const SIZES = [5_000, 200_000];

const one =
  (f: (k: Kernels, x: never) => number): Routine =>
  (k, a) =>
    f(k, a[0] as never);
const CANDIDATES: Record<string, { arity: number; run: Routine }> = {
  sum: { arity: 1, run: one((k, x) => k.sum(x)) },
  mean: { arity: 1, run: one((k, x) => k.mean(x)) },
  'variance(ddof 0)': { arity: 1, run: one((k, x) => k.variance(x)) },
  'variance(ddof 1)': { arity: 1, run: one((k, x) => k.variance(x, { ddof: 1 })) },
  'std(ddof 0)': { arity: 1, run: one((k, x) => k.std(x)) },
  'std(ddof 1)': { arity: 1, run: one((k, x) => k.std(x, { ddof: 1 })) },
  min: { arity: 1, run: one((k, x) => k.min(x)) },
  max: { arity: 1, run: one((k, x) => k.max(x)) },
  nrm2: { arity: 1, run: one((k, x) => k.nrm2(x)) },
  dot: { arity: 2, run: (k, a) => k.dot(a[0] as never, a[1] as never) },
};

function close(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

/** The library routine that computes what the kernel computes, if any. */
function libraryMatch(k: Kernel, lib: Kernels): string | undefined {
  if (
    k.result.kind !== 'scalar' ||
    k.consts.length > 0 ||
    k.params.some((p) => p.kind !== 'array' || p.access !== 'read')
  )
    return undefined;
  for (const [name, c] of Object.entries(CANDIDATES)) {
    if (c.arity !== k.params.length) continue;
    const ok = [1, 2, 3].every((seed) => {
      const args = makeInputs(k, { n: 257, seed });
      const want = runKernel(k, args).result;
      try {
        return typeof want === 'number' && close(want, c.run(lib, args));
      } catch {
        return false;
      }
    });
    if (ok) return name;
  }
  return undefined;
}

function toTyped(args: readonly KernelArg[]): KernelArg[] {
  return args.map((a) => (Array.isArray(a) ? Float64Array.from(a) : a));
}

function spearman(xs: readonly number[], ys: readonly number[]): number {
  const rank = (v: readonly number[]): number[] => {
    const idx = v.map((x, i) => [x, i] as const).sort((a, b) => a[0] - b[0]);
    const r = new Array<number>(v.length);
    for (let i = 0; i < idx.length;) {
      let j = i;
      while (j + 1 < idx.length && idx[j + 1]![0] === idx[i]![0]) j++;
      for (let t = i; t <= j; t++) r[idx[t]![1]] = (i + j) / 2;
      i = j + 1;
    }
    return r;
  };
  const rx = rank(xs);
  const ry = rank(ys);
  const mean = (v: number[]): number => v.reduce((s, x) => s + x, 0) / v.length;
  const mx = mean(rx);
  const my = mean(ry);
  let num = 0,
    dx = 0,
    dy = 0;
  for (let i = 0; i < rx.length; i++) {
    num += (rx[i]! - mx) * (ry[i]! - my);
    dx += (rx[i]! - mx) ** 2;
    dy += (ry[i]! - my) ** 2;
  }
  return num / Math.sqrt(dx * dy);
}

async function main(): Promise<void> {
  const cal = await loadCalibration({ recalibrate });
  const lib = getKernels();
  let wasmLib: Kernels | undefined;
  try {
    wasmLib = loadKernels({ backend: 'wasm' });
  } catch {
    wasmLib = undefined;
  }
  const files = await analyzePath(['examples/src', 'test/fixtures/loops'], { rootDir: process.cwd() });
  const kernels = new Map<string, Kernel>();
  for (const f of files)
    for (const l of f.loops)
      if (l.kernel && l.depth === 0 && !kernels.has(`${f.file}#${l.kernel.name}`))
        kernels.set(`${f.file}#${l.kernel.name}`, l.kernel);

  const log = (s: string): void => {
    if (!json) process.stdout.write(`${s}\n`);
  };
  log(
    `calibration ${cal.createdAt} (${cal.cpu}, Node ${cal.node}); library backend: ${lib.backend}; ${kernels.size} kernels × n ∈ {${SIZES.join(', ')}}`,
  );
  log('case'.padEnd(52) + 'target    predicted  measured');
  const pred: number[] = [];
  const meas: number[] = [];
  let cases = 0,
    right = 0;
  let worst = Infinity;
  let worstWhat = '';
  for (const [id, k] of kernels) {
    const routine = libraryMatch(k, lib);
    for (const n of SIZES) {
      let args: KernelArg[];
      try {
        args = makeInputs(k, { n, seed: 7 });
      } catch {
        continue; // a nest whose inputs at this n do not fit: skipped
      }
      let elements = 0;
      for (const a of args) if (typeof a !== 'number') elements += a.length;
      if (elements > 8 * n) continue;
      const js = compileKernelJs(k) as unknown as (...a: KernelArg[]) => unknown;
      const runners = new Map<Target, () => unknown>([['js', () => js(...args)]]);
      if (args.some(Array.isArray)) {
        const typedArgs = toTyped(args);
        const jsT = compileKernelJs(k) as unknown as (...a: KernelArg[]) => unknown;
        runners.set('js-typed', () => jsT(...typedArgs));
      }
      if (routine && lib.backend === 'native')
        runners.set('native', () => CANDIDATES[routine]!.run(lib, args));
      if (routine && wasmLib) runners.set('wasm', () => CANDIDATES[routine]!.run(wasmLib, args));
      // Three interleaved rounds, fastest of each: a burst of load on the shared machine then hits
      // every target alike instead of whichever ran during it.
      const times = new Map<Target, number>();
      for (let round = 0; round < 3; round++) {
        for (const [t, f] of runners) times.set(t, Math.min(times.get(t) ?? Infinity, timeCall(f, 10)));
      }
      if (times.size < 2) continue;
      const advice = adviseKernel(k, cal, n);
      const predicted = new Map<Target, number>([['js', 1]]);
      for (const p of advice.predictions)
        if (p.speedup !== undefined && times.has(p.target)) predicted.set(p.target, p.speedup);
      const base = times.get('js')!;
      // The predicted winner among the measured targets: the best suggested one, else the original.
      let pw: Target = 'js';
      let pBest = 1;
      for (const p of advice.predictions)
        if (p.suggested && times.has(p.target) && p.speedup! > pBest) {
          pw = p.target;
          pBest = p.speedup!;
        }
      const best = Math.min(...times.values());
      const ok = times.get(pw)! <= best * 1.1;
      cases++;
      if (ok) right++;
      for (const [t, tm] of times) {
        if (t === 'js') continue;
        const m = base / tm;
        const p = predicted.get(t);
        if (p !== undefined) {
          pred.push(p);
          meas.push(m);
        }
        const sug = advice.predictions.find((x) => x.target === t)?.suggested ?? false;
        if (sug && m < worst) {
          worst = m;
          worstWhat = `${id} n=${n} ${t}`;
        }
        log(
          `${`${id.replace(/^.*\//, '')} n=${n}${routine && t !== 'js-typed' ? ` [${routine}]` : ''}`.padEnd(52)}${t.padEnd(9)} ${(p ?? NaN).toFixed(2).padStart(8)}× ${m.toFixed(2).padStart(8)}×${sug ? '  suggested' : ''}`,
        );
      }
      log(
        `${''.padEnd(52)}winner: predicted ${pw}, measured ${[...times].sort((a, b) => a[1] - b[1])[0]![0]}${ok ? '' : '  ✗'}`,
      );
    }
  }
  const rho = pred.length > 2 ? spearman(pred, meas) : NaN;
  const acc = cases ? right / cases : NaN;
  log('');
  log(
    `cases: ${cases}; winner accuracy (predicted winner within 10 % of the measured best): ${(acc * 100).toFixed(0)} %`,
  );
  log(`Spearman rank correlation, predicted vs measured speedup (${pred.length} pairs): ${rho.toFixed(2)}`);
  log(
    `worst measured speedup of a suggested target: ${Number.isFinite(worst) ? `${worst.toFixed(2)}× (${worstWhat})` : 'none suggested'}`,
  );
  if (json)
    process.stdout.write(
      `${JSON.stringify({ winner_accuracy: acc, worst_suggested_ratio: Number.isFinite(worst) ? worst : null, spearman: rho, cases, pairs: pred.length })}\n`,
    );
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:advice-accuracy: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
