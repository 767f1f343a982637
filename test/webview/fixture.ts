// A complete, deterministic benchmark result for the webview tests and screenshots: five variants
// (one WRONG), verdicts, a size sweep with crossovers, a marshalling breakdown and a history.
import { comparePair, summarize } from '../../src/core/bench/runner.js';
import { prng } from '../../src/core/bench/inputs.js';
import { logSizes, crossoverOf } from '../../src/core/bench/sweep.js';
import type { BenchResult, SweepPoint, VariantResult } from '../../src/core/bench/types.js';
import type { HistoryEntry } from '../../src/protocol/messages.js';

const rand = prng(5);
const samples = (center: number, spread = 0.01): number[] =>
  Array.from({ length: 30 }, () => center * (1 + spread * (rand() - 0.5) * 2));

const specs = [
  { id: 'original', label: 'original (number[])', input: 'array', ns: 41_000 },
  { id: 'js-typed', label: 'plain JS on Float64Array', input: 'typed', ns: 40_600 },
  {
    id: 'wasm',
    label: 'wasm (SIMD)',
    input: 'typed',
    ns: 17_800,
    breakdown: { marshalNs: 2_100, computeNs: 15_700 },
  },
  { id: 'native', label: 'native kernel', input: 'typed', ns: 6_300 },
  {
    id: 'worker',
    label: 'worker pool',
    input: 'typed',
    ns: 52_000,
    breakdown: { marshalNs: 3_000, computeNs: 49_000 },
  },
] as const;

export function fixtureResult(): BenchResult {
  const raw = new Map(specs.map((s) => [s.id, samples(s.ns)]));
  const variants: VariantResult[] = specs.map((s) => ({
    id: s.id,
    label: s.label,
    input: s.input,
    correctness: { status: 'ok', maxError: s.id === 'wasm' ? 3.5e-13 : 0, tolerance: 2.2e-11 },
    timing: summarize(raw.get(s.id)!, Math.round(20e6 / s.ns), 500),
    ...('breakdown' in s ? { breakdown: s.breakdown } : {}),
    ...(s.id === 'original' ? { source: { file: '/work/examples/stats.ts', line: 12 } } : {}),
  }));
  variants.push({
    id: 'gpu',
    label: 'gpu (f32, deliberately wrong)',
    input: 'typed',
    correctness: {
      status: 'wrong',
      maxError: 0.0123,
      tolerance: 4.1e-5,
      detail: 'returned 0.3456, the original returns 0.3333',
    },
  });
  const ref = { id: 'original', label: 'original (number[])', samples: raw.get('original')! };
  const verdicts = specs
    .slice(1)
    .map((s) => comparePair(ref, { id: s.id, label: s.label, samples: raw.get(s.id)! }, 500, 0.03));
  const points: SweepPoint[] = logSizes(1e7, 1).map((n) => ({
    n,
    marshalNs: 20 + 2.5 * n,
    ns: {
      original: 15 + 4.1 * n,
      'js-typed': 15 + 4.06 * n,
      wasm: 400 + 1.78 * n,
      native: 150 + 0.63 * n,
      worker: 30_000 + 0.6 * n,
    },
  }));
  const crossover = Object.fromEntries(
    specs.slice(1).map((s) => [s.id, crossoverOf(points, 'original', s.id)]),
  );
  return {
    schemaVersion: 1,
    kind: 'bench',
    id: '2026-11-25T10-00-00-000Z-fixture',
    kernel: 'variance',
    createdAt: '2026-11-25T10:00:00.000Z',
    n: 10_000,
    seed: 42,
    machine: {
      cpu: 'AMD EPYC',
      cores: 2,
      simd: 'avx512f',
      node: '20.20.2',
      v8: '11.3.244.8-node.38',
      platform: 'linux',
      arch: 'x64',
      memoryGiB: 24,
    },
    reference: 'original',
    variants,
    verdicts,
    winner: 'native',
    sweep: { points, crossover },
    source: { file: '/work/examples/stats.ts', line: 12 },
    notes: [
      'gpu (f32, deliberately wrong) is WRONG: returned 0.3456, the original returns 0.3333 (tolerance 4.10e-5); not ranked.',
    ],
  };
}

export function fixtureHistory(): HistoryEntry[] {
  return [0, 1, 2, 3].map((k) => ({
    id: `run-${k}`,
    createdAt: `2026-11-2${k + 1}T09:00:00.000Z`,
    ns: {
      'original (number[])': 41_000 + 500 * k,
      'wasm (SIMD)': 19_000 - 400 * k,
      'native kernel': 6_500 - 50 * k,
    },
  }));
}

/** The talk table as the suite produces it (figures of the shape measured on the team VM). */
export function fixtureTalkResult(): BenchResult {
  const base = fixtureResult();
  const cols = [
    ['js', 'plain JS'],
    ['native-array', 'native on number[]'],
    ['native-typed', 'native on Float64Array'],
    ['wasm', 'wasm'],
    ['worker', 'worker'],
  ] as const;
  const ms: Record<string, readonly number[]> = {
    sum: [590, 114_000, 41, 1_350, 1_960],
    mean: [600, 117_000, 60, 1_400, 2_050],
    variance: [1_700, 118_000, 521, 3_220, 5_440],
    std: [1_720, 124_000, 816, 4_060, 3_390],
  };
  return {
    ...base,
    id: '2026-11-25T11-00-00-000Z-talk',
    kernel: 'talk-table',
    sweep: undefined,
    table: {
      n: 5000,
      calls: 100_000,
      columns: cols.map(([id, label]) => ({ id, label })),
      rows: Object.entries(ms).map(([op, v]) => ({
        op,
        ms: Object.fromEntries(cols.map(([id], i) => [id, v[i]!])),
        ratio: Object.fromEntries(cols.map(([id], i) => [id, v[0]! / v[i]!])),
      })),
      lesson: 'Crossing a boundary costs per call and, for a number[], per element.',
    },
  };
}
