// A set of live variant children for one run: spawn them, load a size, check correctness against
// the reference, and always kill them at the end.
import type { Logger } from '../logger.js';
import { BenchStopped, VariantChild } from './child.js';
import type { Kernel } from '../ir/types.js';
import { compareOutputs, compareWithIr, type CheckOutput } from './compare.js';
import type { FromChild } from './protocol.js';
import type { ArgSpec, Correctness, Variant } from './types.js';

export interface LiveVariant {
  readonly variant: Variant;
  readonly child: VariantChild;
  correctness: Correctness;
}

export class Session {
  readonly live: LiveVariant[];
  private readonly deadline: number;
  /** What the run waits for now ("ref's 'check'"), named when the time limit cuts it. */
  waitingFor = '';

  constructor(
    variants: readonly Variant[],
    private readonly signal: AbortSignal,
    timeoutMs: number,
    log: Logger,
    /** Longest wait for one answer of one variant (see BenchOptions.stallMs). */
    private readonly stallMs = timeoutMs,
  ) {
    this.deadline = Date.now() + timeoutMs;
    this.live = variants.map((variant) => ({
      variant,
      child: new VariantChild(variant.label, variant.module.endsWith('.ts'), log),
      correctness: { status: 'ok', maxError: 0, tolerance: 0 },
    }));
  }

  /** Time left for one request (the whole run's deadline bounds every request). */
  remaining(): number {
    const left = this.deadline - Date.now();
    if (left <= 0) throw new BenchStopped('time limit');
    return left;
  }

  /** Time limit of one request: the stall bound, or none when the run's own limit comes first. */
  bound(): number | undefined {
    return this.stallMs < this.remaining() ? this.stallMs : undefined;
  }

  /** One request to one variant, bounded by `bound()`; records what the run is waiting for. */
  ask<T extends FromChild['t']>(
    lv: LiveVariant,
    req: Parameters<VariantChild['request']>[0],
    expect: T,
  ): Promise<Extract<FromChild, { t: T }>> {
    this.waitingFor = `${lv.variant.label}'s '${req.t}'`;
    return lv.child.request(req, expect, this.bound(), this.signal);
  }

  /** Loads every variant at size n and checks each against the first (the reference). */
  async loadAndCheck(args: readonly ArgSpec[], n: number, seed: number, ir?: Kernel): Promise<void> {
    let reference: CheckOutput | undefined;
    let byEffects = false;
    for (const lv of this.live) {
      try {
        await this.ask(lv, { t: 'load', variant: lv.variant, args, n, seed }, 'loaded');
        const checked = await this.ask(lv, { t: 'check' }, 'checked');
        const { magnitude } = checked;
        // When the reference returns nothing, every variant is compared on what it wrote (every array
        // argument after the call), whatever it returns itself.
        if (!reference) byEffects = checked.output.kind === 'none' && checked.effects !== undefined;
        const output = byEffects ? (checked.effects ?? { kind: 'none' as const }) : checked.output;
        if (!reference) {
          reference = output;
          lv.correctness = { status: 'ok', maxError: 0, tolerance: 0 };
        } else {
          const model = {
            n,
            magnitude,
            reassociates: lv.variant.reassociates ?? false,
            f32: lv.variant.f32 ?? false,
          };
          // The IR's tolerance reads a kernel's result; written arrays use the size-derived model.
          lv.correctness =
            ir && !byEffects
              ? compareWithIr(reference, output, model, ir, args, seed)
              : compareOutputs(reference, output, model);
        }
      } catch (err) {
        if (this.signal.aborted || err instanceof BenchStopped) throw err;
        if (lv === this.live[0])
          throw new Error(`the reference variant (${lv.variant.label}) failed: ${(err as Error).message}`, {
            cause: err,
          });
        lv.correctness = { status: 'error', detail: (err as Error).message };
      }
    }
  }

  /** Correct variants, reference first. */
  correct(): LiveVariant[] {
    return this.live.filter((lv) => lv.correctness.status === 'ok');
  }

  async close(): Promise<void> {
    for (const lv of this.live) lv.child.kill();
    await Promise.all(this.live.map((lv) => lv.child.closed()));
  }
}
