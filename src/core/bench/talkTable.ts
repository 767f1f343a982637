// The talk's table, reproduced in Node: sum, mean, variance and std of 5,000 numbers × 100,000 calls,
// for plain JS, the native kernels on number[] and on Float64Array, wasm and a worker. Each cell is the
// median of a few interleaved repetitions of the whole call loop, in its own child process.
import { randomUUID } from 'node:crypto';
import { machineInfo } from './machine.js';
import { runBench, type RunContext } from './runner.js';
import {
  RESULT_SCHEMA_VERSION,
  type BenchResult,
  type TalkTable,
  type Variant,
  type VariantResult,
} from './types.js';

export interface TalkOptions {
  /** Numbers per call (default 5,000, as in the talk). */
  readonly n?: number;
  /** Calls per timed loop (default 100,000, as in the talk). */
  readonly calls?: number;
  /** Repetitions of each loop (default 3; the median is shown). */
  readonly repeats?: number;
  readonly ops?: readonly Op[];
  readonly timeoutMs?: number;
}

export const TALK_OPS = ['sum', 'mean', 'variance', 'std'] as const;
type Op = (typeof TALK_OPS)[number];

export const TALK_LESSON =
  'Crossing a boundary costs per call and, for a number[], per element: every number is read out of the JS array ' +
  'and converted. For cheap operations (sum, mean) that conversion costs more than the arithmetic, so native on ' +
  'number[] can lose to plain JS — as C via ctypes lost to Python for sum and mean (2,638 vs 5,475 ms). Hand the ' +
  'native code a Float64Array (zero-copy) or do more work per call (variance, std) and the boundary is paid back.';

/** The talk's five columns for one operation (plain JS first: the reference). */
export function talkVariants(op: Op): Variant[] {
  return [
    { id: 'js', label: 'plain JS', module: 'builtin:talk', export: op, input: 'array' },
    {
      id: 'native-array',
      label: 'native on number[]',
      module: 'builtin:talk-targets',
      export: `${op}Native`,
      input: 'array',
      reassociates: true,
    },
    {
      id: 'native-typed',
      label: 'native on Float64Array',
      module: 'builtin:talk-targets',
      export: `${op}Native`,
      input: 'typed',
      reassociates: true,
    },
    {
      id: 'wasm',
      label: 'wasm',
      module: 'builtin:talk-targets',
      export: `${op}Wasm`,
      input: 'typed',
      stages: { prepare: 'wasmPrepare', compute: `${op}WasmCompute` },
    },
    {
      id: 'worker',
      label: 'worker',
      module: 'builtin:talk-targets',
      export: `${op}Worker`,
      input: 'typed',
      stages: { prepare: 'workerPrepare', compute: `${op}WorkerCompute` },
    },
  ];
}

/** Runs the suite; one BenchResult with the table, per-op results folded into its variants as `<op>:<id>`. */
export async function runTalkTable(options: TalkOptions = {}, ctx: RunContext = {}): Promise<BenchResult> {
  const n = options.n ?? 5000;
  const calls = options.calls ?? 100_000;
  const ops = options.ops ?? TALK_OPS;
  const columns = talkVariants('sum').map((v) => ({ id: v.id, label: v.label }));
  const rows: TalkTable['rows'][number][] = [];
  const variants: VariantResult[] = [];
  const verdicts: BenchResult['verdicts'][number][] = [];
  const notes: string[] = [];
  for (const [i, op] of ops.entries()) {
    const r = await runBench(
      { kernel: `talk-${op}`, n, args: [{ kind: 'array', dtype: 'f64' }], variants: talkVariants(op) },
      {
        batch: calls,
        samples: options.repeats ?? 3,
        samplesPerRound: 1,
        timeoutMs: options.timeoutMs ?? 600_000,
      },
      { ...ctx, onProgress: (f, m) => ctx.onProgress?.((i + f) / ops.length, `${op}: ${m}`) },
    );
    const ms: Record<string, number | null> = {};
    const ratio: Record<string, number | null> = {};
    const jsNs = r.variants[0]?.timing?.median;
    for (const v of r.variants) {
      ms[v.id] = v.timing ? (v.timing.median * calls) / 1e6 : null;
      ratio[v.id] = v.timing && jsNs ? jsNs / v.timing.median : null;
      variants.push({ ...v, id: `${op}:${v.id}`, label: `${op} · ${v.label}` });
    }
    verdicts.push(
      ...r.verdicts.map((v) => ({
        ...v,
        variant: `${op}:${v.variant}`,
        reference: `${op}:${v.reference}`,
        text: `${op}: ${v.text}`,
      })),
    );
    notes.push(...r.notes.map((x) => `${op}: ${x}`));
    rows.push({ op, ms, ratio });
  }
  const table: TalkTable = { n, calls, columns, rows, lesson: TALK_LESSON };
  const best = verdicts.filter((v) => v.verdict === 'faster').sort((a, b) => b.ratio - a.ratio)[0];
  return {
    schemaVersion: RESULT_SCHEMA_VERSION,
    kind: 'bench',
    id: `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}`,
    kernel: 'talk-table',
    createdAt: new Date().toISOString(),
    n,
    seed: 42,
    machine: machineInfo(),
    reference: `${ops[0] ?? 'sum'}:js`,
    variants,
    verdicts,
    winner: best?.variant ?? `${ops[0] ?? 'sum'}:js`,
    notes,
    table,
  };
}
