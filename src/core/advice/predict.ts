// Prediction: time(n) = fixed + n·(marshalling + compute) per target, every constant from the
// calibration; speedup against the original JS, the crossover size, and a reason people can check.
import { formatN, formatSpeedup } from '../format.js';
import type { Kernel } from '../ir/types.js';
import type { Calibration, Rates } from './calibrate.js';
import { DTYPE_BYTES, kernelWork, type KernelWork } from './work.js';

export type AdviceTarget = 'js-typed' | 'native' | 'wasm' | 'worker' | 'gpu';

/** Suggest a target only when it is predicted to win by at least this factor. */
export const SUGGEST_MARGIN = 1.2;
/** The `number[]` → `Float64Array` fix alone is suggested from this predicted speedup. */
export const JS_FIX_MARGIN = 1.5;

/**
 * Boundary floors measured on these machines (/work/shared/recipes/native-perf.md, "Crossing the JS ↔
 * native boundary"): a wrapper of a `number[]` function converts every array on every call, and no
 * conversion into a typed array runs below `Float64Array.from`'s 1–1.5 ns per element (1.0 taken);
 * each typed-array argument adds ~60 ns to an addon call (80 ns with one array vs 16–22 ns with
 * none). The calibration measures the bundled kernels, whose conversion is cheaper than a scaffold
 * wrapper's, so these floors keep the prediction from promising what the boundary takes back.
 */
export const BOUNDARY = {
  numberArrayToTypedNsPerElement: 1.0,
  typedArgumentNs: 60,
} as const;

/** ns per element of converting one `number[]` into a typed array per call: the larger of measured and floor. */
export function conversionNsPerElement(measured: number): number {
  return Math.max(measured, BOUNDARY.numberArrayToTypedNsPerElement);
}

/** A linear cost: fixed ns per call + ns per element (marshalling and compute apart, for reasons). */
export interface LinearCost {
  readonly fixedNs: number;
  readonly marshalNsPerElement: number;
  readonly computeNsPerElement: number;
}

export interface TargetPrediction {
  readonly target: AdviceTarget;
  /** False when the target cannot run here (no addon, no GPU adapter, loop not parallel, …): see reason. */
  readonly available: boolean;
  readonly cost?: LinearCost;
  /** Predicted time at n, ns. */
  readonly timeNs?: number;
  /** Predicted speedup over the original JS at n (> 1 is faster). */
  readonly speedup?: number;
  /** Smallest n from which the target is faster than the original; null when it never is. */
  readonly crossoverN?: number | null;
  readonly suggested: boolean;
  readonly reason: string;
}

export interface KernelAdvice {
  readonly kernel: string;
  readonly n: number;
  readonly work: KernelWork;
  readonly baseline: LinearCost;
  readonly baselineNs: number;
  /** Every target, best predicted speedup first (unavailable ones last). */
  readonly predictions: readonly TargetPrediction[];
  /** The best suggested target, if any wins by {@link SUGGEST_MARGIN}. */
  readonly best?: TargetPrediction;
}

const at = (c: LinearCost, n: number): number =>
  c.fixedNs + n * (c.marshalNsPerElement + c.computeNsPerElement);

/** 3,000 / 1.2e5 / 1e6 style sizes for reasons and lenses. */
function ns(v: number): string {
  return v >= 100 ? `${Math.round(v)} ns` : v >= 1 ? `${v.toFixed(1)} ns` : `${v.toFixed(2)} ns`;
}

function rateOf(r: Rates, w: KernelWork): number {
  return r[w.workClass] * w.opsPerElement;
}

/** Elements that cross each way (every array is taken to have n elements; reads in, writes out). */
function crossing(w: KernelWork): { typedBytes: number; numberArrays: number } {
  let typedBytes = 0;
  let numberArrays = 0;
  for (const p of [...w.reads, ...w.writes]) {
    if (p.container === 'array') numberArrays++;
    typedBytes += DTYPE_BYTES[p.dtype] ?? 8;
  }
  return { typedBytes, numberArrays };
}

function crossover(base: LinearCost, t: LinearCost): number | null {
  const b0 = base.marshalNsPerElement + base.computeNsPerElement;
  const bt = t.marshalNsPerElement + t.computeNsPerElement;
  if (bt >= b0) return t.fixedNs <= base.fixedNs && bt === b0 ? 0 : null;
  return Math.max(0, Math.ceil((t.fixedNs - base.fixedNs) / (b0 - bt)));
}

const LABEL: Readonly<Record<AdviceTarget, string>> = {
  'js-typed': 'Float64Array instead of number[]',
  native: 'native',
  wasm: 'wasm',
  worker: 'workers',
  gpu: 'GPU',
};

function explain(
  target: AdviceTarget,
  base: LinearCost,
  c: LinearCost,
  n: number,
  speedup: number,
  cross: number | null,
  marshalWhat: string,
): string {
  const label = LABEL[target];
  const b0 = base.computeNsPerElement + base.marshalNsPerElement;
  if (cross === null) {
    if (c.marshalNsPerElement >= b0)
      return `${label} never wins: ${marshalWhat} (${ns(c.marshalNsPerElement)}/element) costs more than the whole JS loop (${ns(b0)}/element)`;
    if (c.computeNsPerElement < b0)
      return `${label} never wins: ${marshalWhat} (${ns(c.marshalNsPerElement)}/element) eats what its faster compute (${ns(c.computeNsPerElement)} vs ${ns(b0)}/element) saves`;
    return `${label} never wins: its compute (${ns(c.computeNsPerElement)}/element) is not faster than JS (${ns(b0)}/element)`;
  }
  if (speedup < 1) {
    const why =
      c.marshalNsPerElement > 0 && c.fixedNs < 5_000
        ? `${marshalWhat} and the call cost more than the loop`
        : `the fixed cost per call (${ns(c.fixedNs)}) is more than the loop`;
    return `${label} loses below n≈${formatN(cross)}: ${why} (predicted ${formatSpeedup(speedup)} at n=${formatN(n)})`;
  }
  const parts = c.marshalNsPerElement > 0 ? `, ${marshalWhat} ${ns(c.marshalNsPerElement)}/element` : '';
  return `${label} ~${formatSpeedup(speedup)} at n=${formatN(n)} (wins from n≈${formatN(cross)}: compute ${ns(c.computeNsPerElement)} vs ${ns(b0)}/element in JS${parts})`;
}

function finish(
  target: AdviceTarget,
  base: LinearCost,
  c: LinearCost,
  n: number,
  marshalWhat: string,
): TargetPrediction {
  const timeNs = at(c, n);
  const speedup = at(base, n) / timeNs;
  const crossoverN = crossover(base, c);
  return {
    target,
    available: true,
    cost: c,
    timeNs,
    speedup,
    crossoverN,
    suggested: speedup >= SUGGEST_MARGIN,
    reason: explain(target, base, c, n, speedup, crossoverN, marshalWhat),
  };
}

/** Predicts every target for one kernel at size n (elements of its arrays / outer trip count). */
export function adviseKernel(k: Kernel, cal: Calibration, n: number): KernelAdvice {
  const w = kernelWork(k);
  const jsRates = w.hasNumberArray ? cal.js.array : cal.js.typed;
  const baseline: LinearCost = {
    fixedNs: 0,
    marshalNsPerElement: 0,
    computeNsPerElement: rateOf(jsRates, w),
  };
  const { typedBytes, numberArrays } = crossing(w);
  const preds: TargetPrediction[] = [];

  if (w.hasNumberArray) {
    const fix = finish(
      'js-typed',
      baseline,
      { fixedNs: 0, marshalNsPerElement: 0, computeNsPerElement: rateOf(cal.js.typed, w) },
      n,
      '',
    );
    // V8 runs packed number[] and Float64Array loops at similar speeds, so the calibration's
    // difference is mostly noise: the fix alone needs a wider margin than a rewrite.
    preds.push({ ...fix, suggested: (fix.speedup ?? 0) >= JS_FIX_MARGIN });
  }

  const arrays = w.reads.length + w.writes.length;
  if (cal.native.available) {
    const conv =
      numberArrays *
      conversionNsPerElement(Math.max(cal.native.arrayNsPerElement, cal.js.fromArrayNsPerElement));
    // callNs is measured with one Float64Array: each further array adds its own argument cost.
    const fixedNs = cal.native.callNs + Math.max(0, arrays - 1) * BOUNDARY.typedArgumentNs;
    const native = finish(
      'native',
      baseline,
      {
        fixedNs,
        marshalNsPerElement: conv,
        computeNsPerElement: rateOf(cal.native.rates, w),
      },
      n,
      'converting the number[]',
    );
    if (conv > 0 && !native.suggested) {
      // The talk's lesson: the same routine on a Float64Array is zero-copy.
      const typed = finish(
        'native',
        baseline,
        {
          fixedNs,
          marshalNsPerElement: 0,
          computeNsPerElement: rateOf(cal.native.rates, w),
        },
        n,
        '',
      );
      preds.push(
        typed.suggested
          ? {
              ...native,
              reason: `${native.reason} (converted per call); only if the data is built as a Float64Array upstream (no conversion at all) would native be ~${formatSpeedup(typed.speedup!)}`,
            }
          : native,
      );
    } else preds.push(native);
  } else {
    preds.push({
      target: 'native',
      available: false,
      suggested: false,
      reason: `native addon not loaded (kernels backend: ${cal.native.backend}); run \`npm run build:native\``,
    });
  }

  if (cal.wasm.available) {
    const marshal =
      typedBytes * cal.wasm.copyNsPerByte +
      numberArrays * conversionNsPerElement(cal.js.fromArrayNsPerElement);
    preds.push(
      finish(
        'wasm',
        baseline,
        {
          fixedNs: cal.wasm.callNs,
          marshalNsPerElement: marshal,
          computeNsPerElement: rateOf(cal.wasm.rates, w),
        },
        n,
        numberArrays ? 'converting the number[] and copying into wasm memory' : 'copying into wasm memory',
      ),
    );
  } else {
    preds.push({
      target: 'wasm',
      available: false,
      suggested: false,
      reason: 'wasm build of the kernels not loaded',
    });
  }

  if (!w.parallel) {
    preds.push({
      target: 'worker',
      available: false,
      suggested: false,
      reason: 'the loop is not parallel (iterations depend on each other), so workers cannot shard it',
    });
  } else if (cal.worker.available && cal.worker.threads > 1) {
    const marshal = numberArrays * cal.js.cloneNsPerElement + typedBytes * cal.js.copyNsPerByte;
    preds.push(
      finish(
        'worker',
        baseline,
        {
          fixedNs: cal.worker.dispatchNs,
          marshalNsPerElement: marshal,
          computeNsPerElement: rateOf(cal.js.typed, w) / cal.worker.threads,
        },
        n,
        'sending the data to the workers',
      ),
    );
  } else {
    preds.push({
      target: 'worker',
      available: false,
      suggested: false,
      reason: `workers need more than one hardware thread (this machine: ${cal.worker.threads})`,
    });
  }

  preds.push({ target: 'gpu', available: false, suggested: false, reason: cal.gpu.reason });

  preds.sort((a, b) => (b.speedup ?? -1) - (a.speedup ?? -1));
  const best = preds.find((p) => p.suggested);
  return {
    kernel: k.name,
    n,
    work: w,
    baseline,
    baselineNs: at(baseline, n),
    predictions: preds,
    ...(best ? { best } : {}),
  };
}

/** One lens-sized line: "→ native ~2.3× at n≈1e6" or "no rewrite predicted to win at n≈5,000". */
export function adviceSummary(a: KernelAdvice): string {
  if (!a.best?.speedup) return `no rewrite predicted to win at n≈${formatN(a.n)}`;
  const t = a.best.target === 'js-typed' ? 'Float64Array' : a.best.target;
  return `→ ${t} ~${formatSpeedup(a.best.speedup)} at n≈${formatN(a.n)} (predicted)`;
}
