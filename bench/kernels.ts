// `npm run bench:kernels [-- --json] [-- --full] [-- --stream-only]`: the kernel library against this machine's limits.
// Prints, from one run: STREAM-like copy/triad (a small C program built here, 1 and all threads);
// each memory-bound routine's GB/s at n = 1e7 (1 and all threads) and its ratio to STREAM triad;
// the thread crossover; gemm GFLOP/s at n = 1024 vs OpenBLAS single-thread (default and every core
// type this CPU supports, results checked, fastest kept) and vs a naive loop; call overhead; and
// the talk's table (sum/mean/var/std of 5,000 numbers × 100,000 calls). Medians of repeats: the
// machine is shared, so compare ratios within one run. With --json the last line is one JSON object.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { loadKernels, packageRoot } from '../native/index.js';

const json = process.argv.includes('--json');
const full = process.argv.includes('--full');
/** Only STREAM and the memory-bound routines (a minute instead of several). */
const streamOnly = process.argv.includes('--stream-only');
const root = packageRoot();
const out = join(root, 'native', 'build', 'bench');
mkdirSync(out, { recursive: true });
const k = loadKernels({ backend: 'native' });
const wasm = loadKernels({ backend: 'wasm' });
const hw = k.info().threads;
const say = (s: string): void => {
  console.log(s);
};

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};
/** Median seconds of one call of f over `reps` repeats (after one warm-up). */
function time(f: () => unknown, reps: number): number {
  f();
  const t: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    f();
    t.push((performance.now() - t0) / 1e3);
  }
  return median(t);
}
const r2 = (x: number): number => Math.round(x * 100) / 100;

function sh(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env, maxBuffer: 1 << 24 });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}
function build(src: string, exe: string, flags: string[]): string {
  const path = join(out, exe);
  const r = sh('gcc', ['-O3', '-march=native', join(root, 'bench', 'native', src), '-o', path, ...flags]);
  if (r.status !== 0) throw new Error(`gcc ${src} failed:\n${r.stderr}`);
  return path;
}
const lastJson = (s: string): Record<string, number> =>
  JSON.parse(s.trim().split('\n').pop() ?? '{}') as Record<string, number>;

// ---- machine ----------------------------------------------------------------------------------
const info = k.info();
say(
  `# Hotloop kernels bench — ${cpus()[0]?.model ?? 'cpu?'}, ${hw} hardware threads, SIMD ${info.simd} (levels ${info.simdLevels.join(', ')}), Node ${process.version}`,
);
say('# medians of repeats on a shared, busy machine: compare ratios within this run');

// ---- STREAM and the memory-bound routines, interleaved ------------------------------------------
// The ratio `<routine>_ratio_stream` = (routine GB/s) ÷ (STREAM triad GB/s), each the median of its
// samples at its best thread count (1 or all), bytes counted STREAM's way: the bytes the routine's
// arguments and result occupy — sum, nrm2 8 B/element (one read), dot 16 (two reads), axpy 24 (two
// reads, one write), the triad 24 (two reads, one write; the write-allocate read of the output
// line, 8 B more, is not counted, as in STREAM). Rounds alternate the STREAM program and the routines
// so both see the same load on this shared machine.
const stream = build('stream.c', 'stream', ['-fopenmp']);
const ROUNDS = 3;
const n = 1e7;
const x = new Float64Array(n).map((_, i) => Math.sin(i));
const y = new Float64Array(n).map((_, i) => Math.cos(i));
const o = new Float64Array(n);
const routines: [string, number, (threads: number) => unknown][] = [
  ['sum', 8, (threads) => k.sum(x, { threads })],
  ['dot', 16, (threads) => k.dot(x, y, { threads })],
  ['nrm2', 8, (threads) => k.nrm2(x, { threads })],
  ['axpy', 24, (threads) => k.axpy(1e-9, x, y, { threads })],
  ['scale', 16, (threads) => k.scale(2, x, { out: o, threads })],
  ['add', 24, (threads) => k.add(x, y, { out: o, threads })],
  ['variance', 16, (threads) => k.variance(x, { threads })],
];
const threadCounts = [...new Set([1, hw])];
type StreamRun = Record<string, number>;
const streamRuns: StreamRun[][] = threadCounts.map(() => []);
const samples: number[][][] = routines.map(() => threadCounts.map(() => []));
const load0 = loadavg()[0]!;
for (let round = 0; round < ROUNDS; round++) {
  threadCounts.forEach((t, ti) => {
    streamRuns[ti]!.push(
      lastJson(sh(stream, ['20000000', '5'], { ...process.env, OMP_NUM_THREADS: String(t) }).stdout),
    );
  });
  routines.forEach(([, bytes, f], ri) => {
    threadCounts.forEach((t, ti) => {
      f(t);
      for (let r = 0; r < 5; r++) {
        const t0 = performance.now();
        f(t);
        samples[ri]![ti]!.push((bytes * n) / ((performance.now() - t0) / 1e3) / 1e9);
      }
    });
  });
}
const load1 = loadavg()[0]!;
const streams = threadCounts.map((t, ti) => {
  const runs = streamRuns[ti]!;
  const pick = (key: string): number => median(runs.map((r) => r[key] ?? NaN));
  return {
    threads: t,
    copy_gbs: pick('copy_gbs'),
    triad_gbs: pick('triad_gbs'),
    copy_best_gbs: Math.max(...runs.map((r) => r.copy_best_gbs ?? 0)),
    triad_best_gbs: Math.max(...runs.map((r) => r.triad_best_gbs ?? 0)),
  };
});
for (const s of streams)
  say(
    `STREAM ${s.threads} thread(s): copy ${r2(s.copy_gbs)} GB/s, triad ${r2(s.triad_gbs)} GB/s (best ${s.triad_best_gbs}) — median of ${ROUNDS} runs`,
  );
const triad = Math.max(...streams.map((s) => s.triad_gbs));
say(
  `ratio = routine GB/s ÷ STREAM triad GB/s, medians at each one's best thread count; bytes as STREAM counts them\n` +
    `  (sum/nrm2 8 B/element, dot 16, axpy/add 24, scale/variance 16, triad 24 without its 8 B write-allocate)`,
);

const gbs: Record<string, number> = {};
say(
  `\nroutine      ${threadCounts.map((t) => `${t} thread${t > 1 ? 's' : ''}`.padStart(9)).join('  ')}  best/STREAM triad   (n = 1e7 doubles, GB/s, median of ${ROUNDS}×5; load ${load0.toFixed(1)} → ${load1.toFixed(1)})`,
);
routines.forEach(([name], ri) => {
  const per = samples[ri]!.map(median);
  gbs[name] = Math.max(...per);
  say(
    `${name.padEnd(12)} ${per.map((g) => g.toFixed(1).padStart(9)).join('  ')}   ${(gbs[name] / triad).toFixed(2)}`,
  );
});

/** The STREAM and memory-bound routine figures of the JSON line. */
function streamFigures(): Record<string, unknown> {
  return {
    load_avg: [r2(load0), r2(load1)],
    ratio_definition:
      'routine GB/s / STREAM triad GB/s; medians at each best thread count; STREAM byte counting (sum, nrm2 8 B/element, dot 16, axpy 24, triad 24 without write-allocate)',
    stream_copy_gbs: r2(Math.max(...streams.map((s) => s.copy_gbs))),
    stream_triad_gbs: r2(triad),
    stream: streams,
    routine_gbs: Object.fromEntries(Object.entries(gbs).map(([k2, v]) => [k2, r2(v)])),
    sum_ratio_stream: r2(gbs.sum! / triad),
    dot_ratio_stream: r2(gbs.dot! / triad),
    nrm2_ratio_stream: r2(gbs.nrm2! / triad),
    axpy_ratio_stream: r2(gbs.axpy! / triad),
  };
}
if (streamOnly) {
  if (json)
    console.log(
      JSON.stringify({
        machine: { cpu: cpus()[0]?.model, threads: hw, simd: info.simd },
        ...streamFigures(),
      }),
    );
  process.exit(0);
}
const jsSumT = time(() => {
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i]!;
  return s;
}, 9);
say(`(plain JS sum loop: ${((8 * n) / jsSumT / 1e9).toFixed(1)} GB/s)`);

// ---- thread crossover (what sets parallelThresholdBytes) ---------------------------------------
let crossover = NaN;
for (let e = 12; e <= 22; e++) {
  const m = 2 ** e;
  const v = x.subarray(0, m);
  const reps = Math.max(9, Math.min(501, 2 ** 24 / m));
  const t1 = time(() => k.sum(v, { threads: 1 }), reps);
  const tN = time(() => k.sum(v, { threads: hw }), reps);
  if (tN < t1 * 0.9 && Number.isNaN(crossover)) crossover = m * 8;
}
say(
  `\nthreads crossover (sum, ${hw} threads ≥ 10 % faster than 1): ${crossover / 1024} KiB; library default ${info.parallelThresholdBytes / 1024} KiB`,
);

// ---- gemm vs OpenBLAS and a naive loop --------------------------------------------------------
const N = 1024;
const A = new Float64Array(N * N).map((_, i) => (((i * 7) % 13) - 6) / 8);
const B = new Float64Array(N * N).map((_, i) => (((i * 5) % 11) - 5) / 8);
const C = new Float64Array(N * N);
const flops = 2 * N ** 3;
let gemm1 = flops / time(() => k.gemm(N, N, N, A, B, { out: C, threads: 1 }), 7) / 1e9;
let checksum = 0;
for (let i = 0; i < N * N; i++) checksum += C[i]! * (1 + (i % 7));
const gemmAll = flops / time(() => k.gemm(N, N, N, A, B, { out: C, threads: hw }), 7) / 1e9;
const levels: Record<string, number> = {};
for (const l of info.simdLevels) {
  k.setSimdLevel(l);
  levels[l] = r2(
    flops / time(() => k.gemm(N, N, N, A, B, { out: C, threads: 1 }), l === 'scalar' ? 1 : 3) / 1e9,
  );
}
k.setSimdLevel('best');

let blas: { coretype: string; gflops: number; core: string; ok: boolean }[] = [];
let naive = NaN;
try {
  // Installs Debian's libopenblas-dev when missing (idempotent, serialised with flock).
  const apt = spawnSync(process.execPath, [join(root, 'scripts', 'ensure-apt.mjs'), 'libopenblas-dev'], {
    stdio: ['ignore', 2, 2],
  });
  if (apt.status !== 0) throw new Error('scripts/ensure-apt.mjs libopenblas-dev failed');
  const exe = build('openblas_gemm.c', 'openblas_gemm', ['-lopenblas']);
  const base = { ...process.env, OPENBLAS_NUM_THREADS: '1', OPENBLAS_VERBOSE: '2' };
  const flags = sh('grep', ['-m1', '-o', '-w', 'avx512f\\|avx512bf16', '/proc/cpuinfo']).stdout;
  const types = [
    '(environment)',
    '(auto-detect)',
    'Haswell',
    'Zen',
    ...(flags.includes('avx512f') ? ['SkylakeX', 'Cooperlake'] : []),
  ];
  // Rounds interleave the native gemm with every OpenBLAS core type, so load drift on this shared
  // machine hits all of them alike; each figure is the median over the rounds.
  const runs = new Map<string, { g: number[]; core: string; ok: boolean }>();
  const nativeRounds: number[] = [];
  for (let round = 0; round < 3; round++) {
    nativeRounds.push(flops / time(() => k.gemm(N, N, N, A, B, { out: C, threads: 1 }), 3) / 1e9);
    for (const t of types) {
      const env: NodeJS.ProcessEnv = { ...base };
      if (t === '(auto-detect)') delete env.OPENBLAS_CORETYPE;
      else if (t !== '(environment)') env.OPENBLAS_CORETYPE = t;
      const label = t === '(environment)' ? `(environment: ${process.env.OPENBLAS_CORETYPE ?? 'unset'})` : t;
      const r = sh(exe, [String(N), 'blas', '3'], env);
      const j = lastJson(r.stdout);
      const prev = runs.get(label) ?? { g: [], core: /Core: (\S+)/.exec(r.stderr)?.[1] ?? '?', ok: true };
      prev.g.push(j.gflops ?? NaN);
      prev.ok &&= Math.abs((j.checksum ?? NaN) - checksum) <= 1e-9 * Math.abs(checksum);
      runs.set(label, prev);
    }
  }
  gemm1 = median(nativeRounds);
  blas = [...runs].map(([coretype, r]) => ({ coretype, gflops: median(r.g), core: r.core, ok: r.ok }));
  naive = lastJson(sh(exe, ['512', 'naive', '1'], base).stdout).gflops ?? NaN;
} catch (e) {
  say(`OpenBLAS unavailable: ${e instanceof Error ? e.message : String(e)}`);
}
const best = blas.filter((b) => b.ok).sort((a, b) => b.gflops - a.gflops)[0];
say(
  `\ngemm f64 n = ${N}: native 1 thread ${gemm1.toFixed(1)} GFLOP/s, ${hw} threads ${gemmAll.toFixed(1)}; per SIMD level (1 thread): ${Object.entries(
    levels,
  )
    .map(([l, g]) => `${l} ${g}`)
    .join(', ')}`,
);
for (const b of blas)
  say(
    `  OpenBLAS 1 thread, OPENBLAS_CORETYPE=${b.coretype} (core ${b.core}): ${b.gflops.toFixed(1)} GFLOP/s${b.ok ? '' : ' — WRONG RESULT, ignored'}`,
  );
say(`  naive i-j-k C loop (n = 512, 1 run): ${naive.toFixed(2)} GFLOP/s`);
say(
  `  native / fastest OpenBLAS (${best?.coretype ?? 'none'}): ${best ? (gemm1 / best.gflops).toFixed(2) : 'n/a'}; native / naive: ${(gemm1 / naive).toFixed(0)}×`,
);

// ---- call overhead ----------------------------------------------------------------------------
const one = new Float64Array(1);
const perCall = (f: () => unknown): number => {
  const calls = 1e6;
  return (
    (time(() => {
      for (let i = 0; i < calls; i++) f();
    }, 7) *
      1e9) /
    calls
  );
};
const callNs = perCall(() => {
  k.noop();
});
const callTypedNs = perCall(() => k.sum(one));
say(
  `\ncall overhead: noop ${callNs.toFixed(1)} ns, sum(Float64Array(1)) ${callTypedNs.toFixed(1)} ns, wasm noop ${perCall(
    () => {
      wasm.noop();
    },
  ).toFixed(1)} ns`,
);

// ---- the talk's table -------------------------------------------------------------------------
const SEED_N = 5000;
const CALLS = 100_000;
const list = Array.from({ length: SEED_N }, (_, i) => Math.sin(i) * 100);
const typed = Float64Array.from(list);
const js = {
  sum: (a: number[]) => {
    let s = 0;
    for (let i = 0; i < a.length; i++) s += a[i]!;
    return s;
  },
  mean: (a: number[]) => js.sum(a) / a.length,
  var: (a: number[]) => {
    const m = js.mean(a);
    let s = 0;
    for (let i = 0; i < a.length; i++) s += (a[i]! - m) ** 2;
    return s / a.length;
  },
  std: (a: number[]) => Math.sqrt(js.var(a)),
};
const lib = (kk: typeof k, a: number[] | Float64Array) => ({
  sum: () => kk.sum(a),
  mean: () => kk.mean(a),
  var: () => kk.variance(a),
  std: () => kk.std(a),
});
const variants: [string, Record<'sum' | 'mean' | 'var' | 'std', () => number>, number][] = [
  [
    'plain JS (number[])',
    { sum: () => js.sum(list), mean: () => js.mean(list), var: () => js.var(list), std: () => js.std(list) },
    CALLS,
  ],
  ['native, number[]', lib(k, list), full ? CALLS : 500],
  ['native, Float64Array', lib(k, typed), CALLS],
  ['wasm, Float64Array', lib(wasm, typed), CALLS],
];
const seed: Record<string, Record<string, number>> = {};
say(
  `\nthe talk's table: ms for ${CALLS.toLocaleString('en')} calls on ${SEED_N.toLocaleString('en')} numbers (median of 3)`,
);
say(`variant                    sum      mean       var       std`);
for (const [name, fs, calls] of variants) {
  seed[name] = {};
  for (const r of ['sum', 'mean', 'var', 'std'] as const) {
    const f = fs[r];
    const t =
      time(() => {
        for (let i = 0; i < calls; i++) f();
      }, 3) *
      1e3 *
      (CALLS / calls);
    seed[name][r] = Math.round(t);
  }
  say(
    `${name.padEnd(22)} ${(['sum', 'mean', 'var', 'std'] as const).map((r) => String(seed[name]![r]).padStart(9)).join(' ')}${calls < CALLS ? `   (${calls} calls, scaled)` : ''}`,
  );
}

if (json) {
  console.log(
    JSON.stringify({
      machine: {
        cpu: cpus()[0]?.model,
        threads: hw,
        simd: info.simd,
        node: process.version,
        shared_busy: true,
      },
      ...streamFigures(),
      thread_crossover_bytes: crossover,
      gemm_gflops: r2(gemm1),
      gemm_gflops_all_threads: r2(gemmAll),
      gemm_gflops_by_simd: levels,
      gemm_ratio_openblas: best ? r2(gemm1 / best.gflops) : null,
      openblas_gflops: best ? r2(best.gflops) : null,
      openblas_coretype: best?.coretype ?? null,
      openblas_runs: blas,
      gemm_naive_gflops: r2(naive),
      call_ns: r2(callNs),
      call_typed_ns: r2(callTypedNs),
      seed_table: seed,
    }),
  );
}
