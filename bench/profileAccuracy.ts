// How often the profiler gets it right: the five accuracy fixtures (sequential numeric, nested,
// IO-bound, mixed, GC-heavy), each run N times (default 20): a hit = the known hot loop ranks first
// AND the CPU/IO verdict is the expected one. Target: ≥ 19 of 20 per fixture.
//   npm run bench:profile-accuracy [-- --runs 20] [-- --json]
import { profileTarget } from '../src/core/profile/index.js';
import { accuracyFixtures, fixtureRoot, isHit } from '../test/unit/profileHelpers.js';

const argv = process.argv.slice(2);
const json = argv.includes('--json');
const runsAt = argv.indexOf('--runs');
const runs = runsAt >= 0 ? Number(argv[runsAt + 1]) : 20;
const onlyAt = argv.indexOf('--fixtures');
const only = onlyAt >= 0 ? (argv[onlyAt + 1] ?? '').split(',') : undefined;
const fixtures = only ? accuracyFixtures.filter((f) => only.includes(f.file)) : accuracyFixtures;

async function main(): Promise<void> {
  const perFixture = new Map<string, { hits: number; misses: string[] }>();
  let hits = 0;
  let total = 0;
  const t0 = Date.now();
  for (let r = 0; r < runs; r++) {
    for (const fx of fixtures) {
      const entry = perFixture.get(fx.file) ?? { hits: 0, misses: [] };
      perFixture.set(fx.file, entry);
      total++;
      try {
        const result = await profileTarget(
          { kind: 'file', file: fx.file },
          { root: fixtureRoot, timeoutMs: 60_000 },
        );
        if (isHit(result, fx)) {
          hits++;
          entry.hits++;
        } else {
          entry.misses.push(
            `${result.verdict.kind}, first ${result.loops[0]?.loopId ?? 'none'}@${result.loops[0]?.range.start.line ?? '-'}`,
          );
        }
      } catch (err) {
        entry.misses.push(`error: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
      }
    }
    if (!json) process.stdout.write(`run ${r + 1}/${runs}: ${hits}/${total} hits\n`);
  }

  const rate = total ? hits / total : 0;
  console.log(
    `\nprofile accuracy over ${runs} run(s) of ${fixtures.length} fixtures (${((Date.now() - t0) / 1000).toFixed(0)} s; shared, noisy machine):`,
  );
  for (const fx of fixtures) {
    const e = perFixture.get(fx.file)!;
    console.log(
      `  ${fx.file.padEnd(16)} ${fx.verdict.padEnd(10)} ${e.hits}/${runs}${e.misses.length ? `  misses: ${e.misses.slice(0, 3).join('; ')}` : ''}`,
    );
  }
  console.log(`hit rate ${(rate * 100).toFixed(1)} % (target ≥ 95 %)`);
  if (json)
    console.log(
      JSON.stringify({
        hit_rate: rate,
        runs,
        hits,
        total,
        per_fixture: Object.fromEntries([...perFixture].map(([k, v]) => [k, v.hits / runs])),
      }),
    );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
