// Benchmark repeatability: a ≥ 10 ms kernel (variance of 5,000,000 f64 numbers) benchmarked as two
// identical variants in separate processes. Prints the 95 % CI half-width of the median as % of the
// median (target ≤ 3 %) and the verdict for the identical pair (target "no difference").
//   npm run bench:repeatability [-- --json] [-- --n 5000000 --samples 30]
import { parseArgs } from 'node:util';
import { fmtTime } from '../src/core/format.js';
import { runBench } from '../src/core/bench/runner.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { json: { type: 'boolean' }, n: { type: 'string' }, samples: { type: 'string' } },
  });
  const n = Number(values.n ?? 5_000_000);
  const r = await runBench(
    {
      kernel: 'repeatability-variance',
      n,
      args: [{ kind: 'array', dtype: 'f64' }],
      variants: [
        { id: 'a', label: 'variance (run A)', module: 'builtin:talk', export: 'variance', input: 'typed' },
        {
          id: 'b',
          label: 'variance (run B, identical)',
          module: 'builtin:talk',
          export: 'variance',
          input: 'typed',
        },
      ],
    },
    { samples: Number(values.samples ?? 30), sampleMs: 10, warmupMs: 200, timeoutMs: 300_000 },
  );
  const timings = r.variants.map((v) => v.timing!);
  const halfWidth = Math.max(...timings.map((t) => t.ciHalfWidthPct));
  const verdict = r.verdicts[0]!;
  for (const v of r.variants) {
    const t = v.timing!;
    console.log(
      `${v.label}: median ${fmtTime(t.median)} per call, 95 % CI ${fmtTime(t.ci.low)}–${fmtTime(t.ci.high)} (±${t.ciHalfWidthPct.toFixed(2)} %), MAD ${fmtTime(t.mad)}, ${t.samples.length} samples of ${t.batch} call(s)`,
    );
  }
  console.log(
    `CI half-width (worst of the two): ${halfWidth.toFixed(2)} % of the median (target ≤ 3 %) → ${halfWidth <= 3 ? 'met' : 'NOT met'}`,
  );
  console.log(
    `identical pair: ${verdict.text} → ${verdict.verdict === 'no difference' ? 'as expected' : 'UNEXPECTED'}`,
  );
  console.log(
    `machine: ${r.machine.cpu}, ${r.machine.cores} cores, Node ${r.machine.node}; shared machine, medians reported`,
  );
  if (values.json) {
    console.log(
      JSON.stringify({
        ci_halfwidth_pct: Number(halfWidth.toFixed(3)),
        identical_verdict: verdict.verdict,
        median_ms: timings[0]!.median / 1e6,
        speedup_ci: verdict.ci,
        n,
      }),
    );
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
