// A set of live variant children for one run: spawn them, load a size, check correctness against
// the reference, and always kill them at the end.
import type { Logger } from '../logger.js';
import { VariantChild } from './child.js';
import type { Kernel } from '../ir/types.js';
import { compareOutputs, compareWithIr, type CheckOutput } from './compare.js';
import type { ArgSpec, Correctness, Variant } from './types.js';

export interface LiveVariant {
  readonly variant: Variant;
  readonly child: VariantChild;
  correctness: Correctness;
}

export class Session {
  readonly live: LiveVariant[];
  private readonly deadline: number;

  constructor(
    variants: readonly Variant[],
    private readonly signal: AbortSignal,
    timeoutMs: number,
    log: Logger,
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
    if (left <= 0) throw new Error('benchmark time limit reached');
    return left;
  }

  /** Loads every variant at size n and checks each against the first (the reference). */
  async loadAndCheck(args: readonly ArgSpec[], n: number, seed: number, ir?: Kernel): Promise<void> {
    let reference: CheckOutput | undefined;
    let byEffects = false;
    for (const lv of this.live) {
      try {
        await lv.child.request(
          { t: 'load', variant: lv.variant, args, n, seed },
          'loaded',
          this.remaining(),
          this.signal,
        );
        const checked = await lv.child.request({ t: 'check' }, 'checked', this.remaining(), this.signal);
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
        if (this.signal.aborted) throw err;
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
