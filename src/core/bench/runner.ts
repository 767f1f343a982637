// The side-by-side benchmark: every variant in its own child, correctness first, then warm-up,
// calibrated batches, interleaved rounds, and statistics (median, MAD, bootstrap CIs of medians and
// of speedups) turned into a verdict per pair.
import { randomUUID } from 'node:crypto';
import { nullLogger, type Logger } from '../logger.js';
import { abortMessage } from './child.js';
import { machineInfo } from './machine.js';
import { Session, type LiveVariant } from './session.js';
import {
  bootstrapMedianCI,
  bootstrapPairedRatioCI,
  bootstrapRatioCI,
  mad,
  median,
  verdictOf,
  verdictText,
} from './stats.js';
import {
  RESULT_SCHEMA_VERSION,
  type BenchOptions,
  type BenchResult,
  type BenchSpec,
  type PairVerdict,
  type Timing,
  type VariantResult,
} from './types.js';

export interface RunContext {
  readonly signal?: AbortSignal;
  readonly log?: Logger;
  /** Progress in [0, 1] with a short message. */
  readonly onProgress?: (fraction: number, message: string) => void;
}

export const defaultBenchOptions: Required<BenchOptions> = {
  samples: 30,
  samplesPerRound: 1,
  sampleMs: 20,
  batch: 0,
  warmupMs: 100,
  timeoutMs: 120_000,
  resamples: 2000,
  equivalence: 0.03,
};

/** A timing is noisy when its CI is wider than ±5 % of the median or its MAD above 10 %. */
export function summarize(samples: readonly number[], batch: number, resamples: number): Timing {
  const m = median(samples);
  const ci = bootstrapMedianCI(samples, resamples);
  const spread = mad(samples);
  const ciHalfWidthPct = ((ci.high - ci.low) / 2 / m) * 100;
  return {
    median: m,
    mad: spread,
    ci,
    ciHalfWidthPct,
    samples: [...samples],
    batch,
    noisy: ciHalfWidthPct > 5 || spread / m > 0.1,
  };
}

/** Speedup verdict of a variant over the reference (reference time ÷ variant time). */
export function comparePair(
  ref: { id: string; label: string; samples: readonly number[] },
  v: { id: string; label: string; samples: readonly number[] },
  resamples: number,
  equivalence: number,
): PairVerdict {
  // Interleaved runs give one sample of each per round: pair them; otherwise compare independent medians.
  const paired = ref.samples.length === v.samples.length && ref.samples.length >= 5;
  const { ratio, ci } = paired
    ? bootstrapPairedRatioCI(ref.samples, v.samples, resamples)
    : {
        ratio: median(ref.samples) / median(v.samples),
        ci: bootstrapRatioCI(ref.samples, v.samples, resamples),
      };
  const verdict = verdictOf(ci, equivalence, ratio);
  return {
    variant: v.id,
    reference: ref.id,
    ratio,
    ci,
    verdict,
    text: verdictText(v.label, ref.label, ratio, ci, verdict),
  };
}

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new Error(abortMessage(signal));
}

/** Runs the benchmark; children are killed whatever happens (abort, timeout, error). */
export async function runBench(
  spec: BenchSpec,
  options: BenchOptions = {},
  ctx: RunContext = {},
): Promise<BenchResult> {
  const o = { ...defaultBenchOptions, ...options };
  if (spec.variants.length === 0) throw new Error('nothing to benchmark: no variants');
  const log = ctx.log ?? nullLogger;
  const signal = AbortSignal.any([
    ctx.signal ?? new AbortController().signal,
    AbortSignal.timeout(o.timeoutMs),
  ]);
  const seed = spec.seed ?? 42;
  const session = new Session(spec.variants, signal, o.timeoutMs, log);
  const progress = ctx.onProgress ?? (() => undefined);
  try {
    progress(0, 'checking correctness');
    await session.loadAndCheck(spec.args, spec.n, seed, spec.ir);
    const timed = session.correct();
    const samples = new Map<LiveVariant, number[]>(timed.map((lv) => [lv, []]));
    const batches = new Map<LiveVariant, number>();
    for (const lv of timed) {
      throwIfAborted(signal);
      progress(0.05, `warming up ${lv.variant.label}`);
      const batch =
        o.batch > 0
          ? o.batch
          : (
              await lv.child.request(
                { t: 'calibrate', sampleMs: o.sampleMs, warmupMs: o.warmupMs, stage: 'call' },
                'calibrated',
                session.remaining(),
                signal,
              )
            ).batch;
      batches.set(lv, batch);
    }
    // Interleaved rounds, rotating the order, so drift (thermal, other load) hits every variant alike.
    const rounds = Math.ceil(o.samples / o.samplesPerRound);
    for (let r = 0; r < rounds; r++) {
      for (let k = 0; k < timed.length; k++) {
        throwIfAborted(signal);
        const lv = timed[(r + k) % timed.length]!;
        const count = Math.min(o.samplesPerRound, o.samples - r * o.samplesPerRound);
        const { ns } = await lv.child.request(
          { t: 'sample', batch: batches.get(lv)!, count, stage: 'call' },
          'samples',
          session.remaining(),
          signal,
        );
        samples.get(lv)!.push(...ns);
      }
      progress(0.1 + (0.8 * (r + 1)) / rounds, `round ${r + 1}/${rounds}`);
    }
    const breakdowns = new Map<LiveVariant, { marshalNs: number; computeNs: number }>();
    for (const lv of timed) {
      if (!lv.variant.stages) continue;
      const part = async (stage: 'prepare' | 'compute'): Promise<number> => {
        const { batch } = await lv.child.request(
          { t: 'calibrate', sampleMs: o.sampleMs / 2, warmupMs: o.warmupMs / 2, stage },
          'calibrated',
          session.remaining(),
          signal,
        );
        const { ns } = await lv.child.request(
          { t: 'sample', batch, count: 9, stage },
          'samples',
          session.remaining(),
          signal,
        );
        return median(ns);
      };
      breakdowns.set(lv, { marshalNs: await part('prepare'), computeNs: await part('compute') });
    }
    progress(0.95, 'statistics');
    return assemble(spec, o, seed, session.live, samples, batches, breakdowns);
  } finally {
    await session.close();
  }
}

function assemble(
  spec: BenchSpec,
  o: Required<BenchOptions>,
  seed: number,
  live: readonly LiveVariant[],
  samples: Map<LiveVariant, number[]>,
  batches: Map<LiveVariant, number>,
  breakdowns: Map<LiveVariant, { marshalNs: number; computeNs: number }>,
): BenchResult {
  const ref = live[0]!;
  const refSamples = samples.get(ref)!;
  const variants: VariantResult[] = live.map((lv) => {
    const s = samples.get(lv);
    const b = breakdowns.get(lv);
    return {
      id: lv.variant.id,
      label: lv.variant.label,
      input: lv.variant.input,
      correctness: lv.correctness,
      ...(s ? { timing: summarize(s, batches.get(lv)!, o.resamples) } : {}),
      ...(b ? { breakdown: b } : {}),
      ...(lv.variant.source ? { source: lv.variant.source } : {}),
    };
  });
  const verdicts = live
    .slice(1)
    .filter((lv) => samples.has(lv))
    .map((lv) =>
      comparePair(
        { id: ref.variant.id, label: ref.variant.label, samples: refSamples },
        { id: lv.variant.id, label: lv.variant.label, samples: samples.get(lv)! },
        o.resamples,
        o.equivalence,
      ),
    );
  const best = verdicts.filter((v) => v.verdict === 'faster').sort((a, b) => b.ratio - a.ratio)[0];
  const notes: string[] = [];
  for (const v of variants) {
    if (v.correctness.status === 'wrong')
      notes.push(
        `${v.label} is WRONG: ${v.correctness.detail} (tolerance ${v.correctness.tolerance.toExponential(2)}); not ranked.`,
      );
    if (v.correctness.status === 'error')
      notes.push(`${v.label} failed: ${v.correctness.detail.split('\n')[0] ?? ''}`);
    if (v.timing?.noisy)
      notes.push(
        `${v.label}: noisy timing (95 % CI ±${v.timing.ciHalfWidthPct.toFixed(1)} % of the median); close other programs and re-run.`,
      );
  }
  return {
    schemaVersion: RESULT_SCHEMA_VERSION,
    kind: 'bench',
    id: `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}`,
    kernel: spec.kernel,
    createdAt: new Date().toISOString(),
    n: spec.n,
    seed,
    machine: machineInfo(),
    reference: ref.variant.id,
    variants,
    verdicts,
    winner: best?.variant ?? ref.variant.id,
    ...(spec.source ? { source: spec.source } : {}),
    ...(spec.shape ? { shape: spec.shape } : {}),
    notes,
  };
}
