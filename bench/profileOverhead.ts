// What profiling costs. The examples' workloads (one bundle, built once) run the same way — a detached
// child with its output piped to us — in four modes, interleaved in one run:
//   plain     node bundle.mjs <workload>                     (the program as the user runs it)
//   runtime   + the preload, no profiler (what our run-time files cost; the node process the runner
//             starts has no watchdog thread: it is stopped through its inspector when needed)
//   profiled  the real runner at the default interval (--cpu-prof, preload, profile written)
//   shapes    the shapes pass: the bundle with its top loops instrumented, preload, no profiler
// overhead_ratio = Σ median profiled wall ÷ Σ median plain wall (the cost of PROFILING the program:
// profiler start, sampling, stop, serialising and writing the profile, our preload);
// bundling and attribution happen outside the program's run and are reported beside it, as is the
// ratio with them (what the user waits for compared with running the program).
//   npm run bench:profile-overhead [-- --reps 7] [-- --interval 2000] [-- --workloads matmul,nbody,stats] [-- --json]
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoopFacts } from '../src/core/analysis/types.js';
import type { Logger } from '../src/core/logger.js';
import { nullLogger } from '../src/core/logger.js';
import { bundleEntry } from '../src/core/profile/bundle.js';
import { parseCpuProfile } from '../src/core/profile/cpuprofile.js';
import { DEFAULT_INTERVAL_US, importProfile, profileTarget } from '../src/core/profile/index.js';
import { analysisLoops } from '../src/core/profile/loopLookup.js';
import type { RunResult } from '../src/core/profile/runner.js';
import { runProfiled } from '../src/core/profile/runner.js';
import { shapesTransform } from '../src/core/profile/shapes.js';

const argv = process.argv.slice(2);
const json = argv.includes('--json');
const opt = (name: string, def: string): string => {
  const at = argv.indexOf(name);
  return at >= 0 ? (argv[at + 1] ?? def) : def;
};
const reps = Number(opt('--reps', '7'));
const INTERVAL_US = Number(opt('--interval', String(DEFAULT_INTERVAL_US))); // µs; the default is the product's default
const workloads = opt('--workloads', 'matmul,nbody,stats').split(',');
const root = join(import.meta.dirname, '..', 'examples');
const entry = join(root, 'src', 'main.ts');
const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6; // CLOCK_MONOTONIC, like V8's profile timestamps
const innerMs = (out: string): number => Number(/total (\d+) ms/.exec(out)?.[1] ?? NaN); // main.ts's own workload time
// CPU time (user + sys) of the run's processes, from GNU time: far less sensitive to the load of the
// shared machine than wall time, and it counts the profiler's and the watchdog's threads too.
const GNU_TIME = '/usr/bin/time';
const hasTime = existsSync(GNU_TIME);
const timeLauncher = (file: string): string[] => (hasTime ? [GNU_TIME, '-f', '%U %S', '-o', file] : []);
const cpuMsOf = (file: string): number => {
  try {
    const [u, sys] = readFileSync(file, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
    return ((u ?? NaN) + (sys ?? NaN)) * 1000;
  } catch {
    return NaN;
  }
};

/** The program as the user runs it: same node, cwd, detached group and piped output as the runner. */
function plainRun(file: string, args: string[], timeFile: string): Promise<{ wall: number; inner: number }> {
  return new Promise((resolve, reject) => {
    const t0 = nowMs();
    let out = '';
    const [program, ...argv] = [...timeLauncher(timeFile), process.execPath, file, ...args];
    const child = spawn(program!, argv, { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString('utf8');
    });
    child.stderr.on('data', () => undefined);
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve({ wall: nowMs() - t0, inner: innerMs(out) });
      else reject(new Error(`exit ${code}`));
    });
  });
}

function capturing(): Logger & { text: () => string } {
  const lines: string[] = [];
  return { ...nullLogger, trace: (m) => lines.push(m), text: () => lines.join('\n') };
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

interface Samples {
  wall: number[];
  inner: number[];
  cpu: number[];
  toStart: number[];
  afterEnd: number[];
  bytes: number[];
  attribution: number[];
}
const samples = (): Samples => ({
  wall: [],
  inner: [],
  cpu: [],
  toStart: [],
  afterEnd: [],
  bytes: [],
  attribution: [],
});

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'hotloop-overhead-'));
  try {
    let t = nowMs();
    const plain = await bundleEntry({ entry, outDir: join(dir, 'plain'), root, cache: false });
    const bundleColdMs = nowMs() - t;
    t = nowMs();
    await bundleEntry({ entry, outDir: join(dir, 'again'), root, cache: false });
    const bundleBuildMs = nowMs() - t;
    await bundleEntry({ entry, outDir: join(dir, 'cached'), root });
    t = nowMs();
    await bundleEntry({ entry, outDir: join(dir, 'cached'), root });
    const bundleWarmMs = nowMs() - t;
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

    const times: Record<string, Record<'plain' | 'runtime' | 'profiled' | 'shapes', Samples>> = {};
    for (const w of workloads)
      times[w] = { plain: samples(), runtime: samples(), profiled: samples(), shapes: samples() };
    let timeFiles = 0;
    const nextTimeFile = (): string => join(dir, `time-${timeFiles++}.txt`);
    const viaRunner = async (
      file: string,
      w: string,
      extra: { shapes?: boolean; cpuProfile?: boolean },
    ): Promise<{ run: RunResult; t0: number; t1: number; out: string; cpu: number }> => {
      const logger = capturing();
      const timeFile = nextTimeFile();
      const t0 = nowMs();
      const run = await runProfiled({
        command: process.execPath,
        args: [file, w],
        isNode: true,
        cwd: root,
        dir: mkdtempSync(join(dir, 'run-')),
        intervalUs: INTERVAL_US,
        timeoutMs: 120_000,
        logger,
        launcher: timeLauncher(timeFile),
        ...extra,
      });
      if (run.exitCode !== 0) throw new Error(`${w} exited ${run.exitCode}: ${run.outputTail}`);
      return { run, t0, t1: nowMs(), out: logger.text(), cpu: cpuMsOf(timeFile) };
    };
    for (let r = 0; r < reps; r++) {
      for (const w of workloads) {
        // Interleaved, so drift on the shared machine hits every mode alike.
        const s = times[w]!;
        const plainTime = nextTimeFile();
        const p = await plainRun(plain.file, [w], plainTime);
        s.plain.cpu.push(cpuMsOf(plainTime));
        s.plain.wall.push(p.wall);
        s.plain.inner.push(p.inner);
        const rt = await viaRunner(plain.file, w, { cpuProfile: false });
        s.runtime.wall.push(rt.run.wallMs);
        s.runtime.cpu.push(rt.cpu);
        s.runtime.inner.push(innerMs(rt.out));
        const pr = await viaRunner(plain.file, w, {});
        s.profiled.wall.push(pr.run.wallMs);
        s.profiled.cpu.push(pr.cpu);
        s.profiled.inner.push(innerMs(pr.out));
        const main = pr.run.profiles.find((f) => f.threadId === 0) ?? pr.run.profiles[0];
        if (main) {
          const prof = parseCpuProfile(readFileSync(main.path, 'utf8'), main.path);
          s.profiled.toStart.push(prof.startTime / 1000 - pr.t0);
          s.profiled.afterEnd.push(pr.t1 - prof.endTime / 1000);
          s.profiled.bytes.push(pr.run.profiles.reduce((n, f) => n + statSync(f.path).size, 0));
          const ta = nowMs();
          await importProfile(main.path, { root }); // parse + source maps + loop attribution, fresh analysis
          s.profiled.attribution.push(nowMs() - ta);
        }
        const sh = await viaRunner(shaped.file, w, { shapes: true, cpuProfile: false });
        s.shapes.wall.push(sh.run.wallMs);
        s.shapes.cpu.push(sh.cpu);
        s.shapes.inner.push(innerMs(sh.out));
      }
      if (!json) process.stdout.write(`rep ${r + 1}/${reps} done\n`);
    }

    const keys = [
      'plain',
      'plainInner',
      'plainCpu',
      'runtime',
      'runtimeCpu',
      'profiled',
      'profiledInner',
      'profiledCpu',
      'shapes',
      'shapesCpu',
      'attribution',
      'toStart',
      'afterEnd',
      'kib',
    ] as const;
    const sum = Object.fromEntries(keys.map((k) => [k, 0])) as Record<(typeof keys)[number], number>;
    const f0 = (x: number, w = 6): string => x.toFixed(0).padStart(w);
    const x3 = (x: number): string => `×${x.toFixed(3)}`;
    const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
    console.log(
      `\nprofiler overhead, ${reps} interleaved reps per mode, interval ${INTERVAL_US} µs, ${slots.length} loops instrumented for shapes, load average ${load} (shared 2-core machine; medians, ms; cpu = user + sys of the run's processes)`,
    );
    console.log(
      '  workload   plain wall (workload)  cpu | runtime wall  cpu | profiled wall (workload)  cpu   wall ratio cpu ratio | spawn→profile profile→exit  KiB | shapes wall  ratio',
    );
    for (const w of workloads) {
      const s = times[w]!;
      const m: Record<(typeof keys)[number], number> = {
        plain: median(s.plain.wall),
        plainInner: median(s.plain.inner),
        plainCpu: median(s.plain.cpu),
        runtime: median(s.runtime.wall),
        runtimeCpu: median(s.runtime.cpu),
        profiled: median(s.profiled.wall),
        profiledInner: median(s.profiled.inner),
        profiledCpu: median(s.profiled.cpu),
        shapes: median(s.shapes.wall),
        shapesCpu: median(s.shapes.cpu),
        attribution: median(s.profiled.attribution),
        toStart: median(s.profiled.toStart),
        afterEnd: median(s.profiled.afterEnd),
        kib: median(s.profiled.bytes) / 1024,
      };
      for (const k of keys) sum[k] += m[k];
      console.log(
        `  ${w.padEnd(8)} ${f0(m.plain, 8)} (${f0(m.plainInner)}) ${f0(m.plainCpu, 5)} | ${f0(m.runtime, 8)} ${f0(m.runtimeCpu, 5)} | ${f0(m.profiled, 9)} (${f0(m.profiledInner)}) ${f0(m.profiledCpu, 5)}   ${x3(m.profiled / m.plain)}    ${x3(m.profiledCpu / m.plainCpu)} | ${f0(m.toStart, 9)} ${f0(m.afterEnd, 12)} ${f0(m.kib, 5)} | ${f0(m.shapes, 9)} ${x3(m.shapes / m.plain)}`,
      );
    }
    const n = workloads.length;
    // Paired: each rep's profiled ÷ plain (all workloads of the rep summed), then the median; slow drift
    // of the machine's load between reps cancels out.
    const paired = (mode: 'profiled' | 'shapes', what: 'wall' | 'cpu'): number =>
      median(
        Array.from(
          { length: reps },
          (_, r) =>
            workloads.reduce((a, w) => a + times[w]![mode][what][r]!, 0) /
            workloads.reduce((a, w) => a + times[w]!.plain[what][r]!, 0),
        ),
      );
    const overhead = sum.profiled / sum.plain;
    const shapesOverhead = sum.shapes / sum.plain;
    const cpuRatio = sum.profiledCpu / sum.plainCpu;
    const samplingRatio = sum.profiledInner / sum.plainInner;
    const fixedMs = (sum.profiled - sum.profiledInner - (sum.plain - sum.plainInner)) / n;
    const runtimeMs = (sum.runtime - sum.plain) / n;
    const runtimeCpuMs = (sum.runtimeCpu - sum.plainCpu) / n;
    const endToEnd = (sum.profiled + sum.attribution + n * bundleWarmMs) / sum.plain;
    console.log('break-down per run (means over the workloads of their medians):');
    console.log(
      `  plain run: ${(sum.plain / n).toFixed(0)} ms wall, of it ${((sum.plain - sum.plainInner) / n).toFixed(0)} ms outside the workload (node start-up, module load, exit)`,
    );
    console.log(
      `  fixed cost of a profiled run outside the workload: +${fixedMs.toFixed(0)} ms wall — process start to the profile's first sample ${(sum.toStart / n).toFixed(0)} ms, last sample to the runner seeing the exit ${(sum.afterEnd / n).toFixed(0)} ms (stop, serialise, write ${(sum.kib / n).toFixed(0)} KiB, exit)`,
    );
    console.log(
      `    of it the preload alone (runtime mode): +${runtimeMs.toFixed(0)} ms wall, +${runtimeCpuMs.toFixed(0)} ms cpu`,
    );
    console.log(
      `  sampling during the workload: ${x3(samplingRatio)} (${((samplingRatio - 1) * 100).toFixed(1)} %) of the workload's own time`,
    );
    console.log(
      `  outside the program's run: bundling ${bundleColdMs.toFixed(0)} ms cold (loads esbuild), ${bundleBuildMs.toFixed(0)} ms warm, ${bundleWarmMs.toFixed(0)} ms from the cache (inputs unchanged); attribution ${(sum.attribution / n).toFixed(0)} ms per profile`,
    );
    console.log(
      `paired per rep (median of ${reps}): profiled ${x3(paired('profiled', 'wall'))} wall, ${x3(paired('profiled', 'cpu'))} cpu; shapes ${x3(paired('shapes', 'wall'))} wall, ${x3(paired('shapes', 'cpu'))} cpu`,
    );
    console.log(
      `overall: profiled ${x3(overhead)} wall (target ≤ 1.05), ${x3(cpuRatio)} cpu; shapes pass ${x3(shapesOverhead)} wall, ${x3(sum.shapesCpu / sum.plainCpu)} cpu; the whole command with a cached bundle and attribution ${x3(endToEnd)} wall`,
    );
    if (json) {
      console.log(
        JSON.stringify({
          overhead_ratio: overhead,
          shapes_overhead_ratio: shapesOverhead,
          cpu_overhead_ratio: cpuRatio,
          paired_overhead_ratio: paired('profiled', 'wall'),
          paired_cpu_overhead_ratio: paired('profiled', 'cpu'),
          shapes_cpu_overhead_ratio: sum.shapesCpu / sum.plainCpu,
          sampling_ratio: samplingRatio,
          fixed_ms: fixedMs,
          runtime_files_ms: runtimeMs,
          end_to_end_ratio: endToEnd,
          bundle_cold_ms: bundleColdMs,
          bundle_build_ms: bundleBuildMs,
          bundle_cached_ms: bundleWarmMs,
          attribution_ms: sum.attribution / n,
          plain_ms: sum.plain / n,
          reps,
          workloads,
          interval_us: INTERVAL_US,
          load_average: load,
        }),
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
