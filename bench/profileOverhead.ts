// What profiling costs: median wall time of the examples' workloads run plainly, under the profiler
// at the default interval (the real runner: --cpu-prof, preload, watchdog), and with the shapes pass
// (instrumented top loops, no profiler), interleaved in one run. Target: overhead_ratio ≤ 1.05.
//   npm run bench:profile-overhead [-- --reps 5] [-- --workloads matmul,nbody] [-- --json]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoopFacts } from '../src/core/analysis/types.js';
import { nullLogger } from '../src/core/logger.js';
import { bundleEntry } from '../src/core/profile/bundle.js';
import { DEFAULT_INTERVAL_US, profileTarget } from '../src/core/profile/index.js';
import { analysisLoops } from '../src/core/profile/loopLookup.js';
import { runProfiled } from '../src/core/profile/runner.js';
import { shapesTransform } from '../src/core/profile/shapes.js';

const argv = process.argv.slice(2);
const json = argv.includes('--json');
const opt = (name: string, def: string): string => {
  const at = argv.indexOf(name);
  return at >= 0 ? (argv[at + 1] ?? def) : def;
};
const reps = Number(opt('--reps', '5'));
const workloads = opt('--workloads', 'matmul,nbody,stats').split(',');
const root = join(import.meta.dirname, '..', 'examples');
const entry = join(root, 'src', 'main.ts');

function plainRun(file: string, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [file, ...args], { cwd: root, stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', (code) => { if (code === 0) resolve(performance.now() - t0); else reject(new Error(`exit ${code}`)); });
  });
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'hotloop-overhead-'));
  try {
    const plain = await bundleEntry({ entry, outDir: join(dir, 'plain') });
    // The shapes bundle instruments the top loops that a profile of each workload finds.
    const loopsFor = analysisLoops(root);
    const top = new Map<string, { facts: LoopFacts; absFile: string }>();
    for (const w of workloads) {
      const r = await profileTarget({ kind: 'file', file: entry, args: [w] }, { root, logger: nullLogger });
      for (const heat of r.loops.slice(0, 5)) {
        const abs = join(root, heat.file);
        const facts = (await loopsFor(abs))?.find((l) => l.id === heat.loopId);
        if (facts) top.set(heat.loopId, { facts, absFile: abs });
      }
    }
    const { transform, slots } = shapesTransform([...top.values()]);
    const shaped = await bundleEntry({ entry, outDir: join(dir, 'shapes'), transform });

    const times: Record<string, { plain: number[]; profiled: number[]; shapes: number[] }> = {};
    for (const w of workloads) times[w] = { plain: [], profiled: [], shapes: [] };
    for (let r = 0; r < reps; r++) {
      for (const w of workloads) {
        const t = times[w]!;
        // Interleaved, so drift on the shared machine hits every mode alike.
        t.plain.push(await plainRun(plain.file, [w]));
        const runDir = mkdtempSync(join(dir, 'run-'));
        const prof = await runProfiled({ command: process.execPath, args: [plain.file, w], isNode: true, cwd: root, dir: runDir, intervalUs: DEFAULT_INTERVAL_US, timeoutMs: 120_000, logger: nullLogger });
        t.profiled.push(prof.wallMs);
        const shapeDir = mkdtempSync(join(dir, 'shape-'));
        const sh = await runProfiled({ command: process.execPath, args: [shaped.file, w], isNode: true, cwd: root, dir: shapeDir, intervalUs: DEFAULT_INTERVAL_US, timeoutMs: 120_000, logger: nullLogger, shapes: true, cpuProfile: false });
        t.shapes.push(sh.wallMs);
      }
      if (!json) process.stdout.write(`rep ${r + 1}/${reps} done\n`);
    }
    let sumPlain = 0;
    let sumProf = 0;
    let sumShapes = 0;
    console.log(`\nprofiler overhead, ${reps} interleaved reps per mode, interval ${DEFAULT_INTERVAL_US} µs, ${slots.length} loops instrumented for shapes (shared, noisy machine; medians):`);
    for (const w of workloads) {
      const t = times[w]!;
      const [p, q, s] = [median(t.plain), median(t.profiled), median(t.shapes)];
      sumPlain += p;
      sumProf += q;
      sumShapes += s;
      console.log(`  ${w.padEnd(8)} plain ${p.toFixed(0).padStart(6)} ms   profiled ${q.toFixed(0).padStart(6)} ms (×${(q / p).toFixed(3)})   shapes ${s.toFixed(0).padStart(6)} ms (×${(s / p).toFixed(3)})`);
    }
    const overhead = sumProf / sumPlain;
    const shapesOverhead = sumShapes / sumPlain;
    console.log(`overall: profiled ×${overhead.toFixed(3)} (target ≤ 1.05), shapes pass ×${shapesOverhead.toFixed(3)}`);
    if (json) console.log(JSON.stringify({ overhead_ratio: overhead, shapes_overhead_ratio: shapesOverhead, reps, workloads, interval_us: DEFAULT_INTERVAL_US }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
