// Correctness on the data the user really has: when real inputs were captured (opt-in setting
// `hotloop.profile.captureInputs`), every variant of a loop is also checked against the original on
// each captured call, beside the benchmark's random inputs. A disagreement is reported per variant.
import { Session } from '../bench/session.js';
import type { ArgSpec, BenchSpec } from '../bench/types.js';
import type { Logger } from '../logger.js';
import { decodeCaptured, type CapturedInputs } from '../profile/capture.js';

/** Spec args replaying one captured call in the kernel's parameter order, or undefined when a parameter is missing. */
export function capturedArgs(spec: BenchSpec, captured: CapturedInputs, call: number): ArgSpec[] | undefined {
  const k = spec.ir;
  if (!k) return undefined;
  const values = captured.calls[call];
  if (!values) return undefined;
  const out: ArgSpec[] = [];
  for (const [i, p] of k.params.entries()) {
    const at = captured.params.indexOf(p.name);
    if (at < 0 || values[at] === undefined) return undefined;
    const v = decodeCaptured(values[at]);
    const random = spec.args[i];
    if (typeof v === 'number') out.push({ kind: 'scalar', value: v });
    else if (random?.kind === 'array') out.push({ kind: 'array', dtype: random.dtype, values: [...v] });
    else return undefined;
  }
  return out;
}

/** One line per captured call: which variants agree with the original on it. */
export async function checkOnCaptured(
  spec: BenchSpec,
  captured: CapturedInputs,
  signal: AbortSignal,
  log: Logger,
): Promise<string[]> {
  const notes: string[] = [];
  for (let c = 0; c < captured.calls.length; c++) {
    const args = capturedArgs(spec, captured, c);
    if (!args) {
      notes.push(`captured call ${c + 1}: its parameters do not match the kernel's; not checked`);
      continue;
    }
    const n = Math.max(1, ...args.map((a) => (a.kind === 'array' ? (a.values?.length ?? 0) : 0)));
    const session = new Session(spec.variants, signal, 60_000, log);
    try {
      await session.loadAndCheck(args, n, spec.seed ?? 42, spec.ir);
      const verdicts = session.live
        .slice(1)
        .map(
          (lv) =>
            `${lv.variant.label} ${lv.correctness.status === 'ok' ? 'agrees' : lv.correctness.status === 'wrong' ? `DISAGREES (${lv.correctness.detail})` : `failed (${lv.correctness.detail.split('\n')[0] ?? ''})`}`,
        );
      notes.push(
        `real input ${c + 1} of ${captured.calls.length} (captured, n = ${n}): ${verdicts.join('; ') || 'only the original'}`,
      );
    } catch (err) {
      if (signal.aborted) throw err;
      notes.push(
        `real input ${c + 1}: the original failed on it (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`,
      );
    } finally {
      await session.close();
    }
  }
  return notes;
}
