// The side-by-side benchmark: every variant in its own child, correctness first, then warm-up,
// calibrated batches, interleaved rounds, and statistics (median, MAD, bootstrap CIs of medians and
// of speedups) turned into a verdict per pair.
import { randomUUID } from 'node:crypto';
import { nullLogger, type Logger } from '../logger.js';
import { abortMessage, BenchStopped, stopped } from './child.js';
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
  stallMs: 0,
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
  if (signal.aborted) throw stopped(signal);
}

/** The stall bound of a run: half its time limit, between 5 s and 60 s, unless given. */
export function stallBound(o: Required<BenchOptions>): number {
  return o.stallMs > 0 ? o.stallMs : Math.min(60_000, Math.max(5000, o.timeoutMs / 2));
}

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** Samples per variant, and the variants still timed (a variant that hangs or dies is dropped). */
interface Timed {
  readonly lvs: LiveVariant[];
  readonly samples: Map<LiveVariant, number[]>;
  readonly batches: Map<LiveVariant, number>;
  readonly notes: string[];
}

/**
 * A variant that passed the check but hung (no answer within the stall bound: killed with its
 * processes) or died while being timed: reported with why, and the others go on. A cancellation or
 * the run's time limit is not the variant's failure: rethrown.
 */
function dropOrThrow(t: Timed, lv: LiveVariant, err: unknown, signal: AbortSignal, phase: string): void {
  if (signal.aborted || err instanceof BenchStopped) throw err;
  lv.correctness = {
    status: 'error',
    detail: `passed the check, then stopped while ${phase}: ${messageOf(err)}`,
  };
  t.samples.delete(lv);
  t.lvs.splice(t.lvs.indexOf(lv), 1);
}

/**
 * The run's time limit cut the timing: keep what was measured (every variant's first k samples, k
 * the fewest any timed variant has, so the pairs stay paired) when the reference has any.
 */
function keepPartial(t: Timed, ref: LiveVariant, o: Required<BenchOptions>, waitingFor: string): boolean {
  const have = t.lvs.filter((lv) => (t.samples.get(lv)?.length ?? 0) > 0);
  if (!have.includes(ref)) return false;
  const k = Math.min(...have.map((lv) => t.samples.get(lv)!.length));
  for (const lv of t.lvs) {
    if (have.includes(lv)) t.samples.set(lv, t.samples.get(lv)!.slice(0, k));
    else t.samples.delete(lv);
  }
  t.notes.push(
    `The time limit (${Math.round(o.timeoutMs / 1000)} s) was reached while waiting for ${waitingFor}: the figures are partial, ${k} of ${o.samples} samples per variant.`,
  );
  return true;
}

async function timeVariants(
  session: Session,
  t: Timed,
  o: Required<BenchOptions>,
  signal: AbortSignal,
): Promise<void> {
  for (const lv of [...t.lvs]) {
    throwIfAborted(signal);
    try {
      const batch =
        o.batch > 0
          ? o.batch
          : (
              await session.ask(
                lv,
                { t: 'calibrate', sampleMs: o.sampleMs, warmupMs: o.warmupMs, stage: 'call' },
                'calibrated',
              )
            ).batch;
      t.batches.set(lv, batch);
    } catch (err) {
      dropOrThrow(t, lv, err, signal, 'warming up');
    }
  }
  // Interleaved rounds, rotating the order, so drift (thermal, other load) hits every variant alike.
  const rounds = Math.ceil(o.samples / o.samplesPerRound);
  for (let r = 0; r < rounds; r++) {
    const order = t.lvs.map((_, k) => t.lvs[(r + k) % t.lvs.length]!);
    for (const lv of order) {
      throwIfAborted(signal);
      const count = Math.min(o.samplesPerRound, o.samples - r * o.samplesPerRound);
      try {
        const { ns } = await session.ask(
          lv,
          { t: 'sample', batch: t.batches.get(lv)!, count, stage: 'call' },
          'samples',
        );
        t.samples.get(lv)!.push(...ns);
      } catch (err) {
        dropOrThrow(t, lv, err, signal, 'timing');
      }
    }
  }
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
  // The run's own timer, held until the end (an AbortSignal.timeout inside AbortSignal.any can be
  // collected before it fires, and a request waiting on the run's limit alone would wait forever).
  const limit = new AbortController();
  const limitTimer = setTimeout(() => {
    limit.abort(new DOMException('benchmark time limit reached', 'TimeoutError'));
  }, o.timeoutMs);
  const signal = ctx.signal ? AbortSignal.any([ctx.signal, limit.signal]) : limit.signal;
  const seed = spec.seed ?? 42;
  const session = new Session(spec.variants, signal, o.timeoutMs, log, stallBound(o));
  const progress = ctx.onProgress ?? (() => undefined);
  const timeLimit = (err: unknown): boolean =>
    (err instanceof BenchStopped && err.why === 'time limit') ||
    (signal.aborted && abortMessage(signal) === 'benchmark time limit reached');
  try {
    progress(0, 'checking correctness');
    try {
      await session.loadAndCheck(spec.args, spec.n, seed, spec.ir);
    } catch (err) {
      if (timeLimit(err))
        throw new Error(`benchmark time limit reached while waiting for ${session.waitingFor}`, {
          cause: err,
        });
      throw err;
    }
    const lvs = session.correct();
    const t: Timed = { lvs, samples: new Map(lvs.map((lv) => [lv, []])), batches: new Map(), notes: [] };
    progress(0.05, 'timing');
    try {
      await timeVariants(session, t, o, signal);
    } catch (err) {
      if (!timeLimit(err)) throw err;
      if (!keepPartial(t, session.live[0]!, o, session.waitingFor))
        throw new Error(
          `benchmark time limit reached while waiting for ${session.waitingFor}, before the reference was timed`,
          { cause: err },
        );
      return assemble(spec, o, seed, session.live, t, new Map());
    }
    const breakdowns = new Map<LiveVariant, { marshalNs: number; computeNs: number }>();
    for (const lv of t.lvs) {
      if (!lv.variant.stages) continue;
      const part = async (stage: 'prepare' | 'compute'): Promise<number> => {
        const { batch } = await session.ask(
          lv,
          { t: 'calibrate', sampleMs: o.sampleMs / 2, warmupMs: o.warmupMs / 2, stage },
          'calibrated',
        );
        const { ns } = await session.ask(lv, { t: 'sample', batch, count: 9, stage }, 'samples');
        return median(ns);
      };
      breakdowns.set(lv, { marshalNs: await part('prepare'), computeNs: await part('compute') });
    }
    progress(0.95, 'statistics');
    return assemble(spec, o, seed, session.live, t, breakdowns);
  } finally {
    clearTimeout(limitTimer);
    await session.close();
  }
}

function assemble(
  spec: BenchSpec,
  o: Required<BenchOptions>,
  seed: number,
  live: readonly LiveVariant[],
  { samples, batches, notes: timingNotes }: Timed,
  breakdowns: Map<LiveVariant, { marshalNs: number; computeNs: number }>,
): BenchResult {
  const ref = live[0]!;
  const refSamples = samples.get(ref);
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
    .filter((lv) => refSamples && samples.has(lv))
    .map((lv) =>
      comparePair(
        { id: ref.variant.id, label: ref.variant.label, samples: refSamples! },
        { id: lv.variant.id, label: lv.variant.label, samples: samples.get(lv)! },
        o.resamples,
        o.equivalence,
      ),
    );
  const best = verdicts.filter((v) => v.verdict === 'faster').sort((a, b) => b.ratio - a.ratio)[0];
  const notes: string[] = [...timingNotes];
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
