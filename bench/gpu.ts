// `npm run bench:gpu [-- --json] [-- --small | --full]`: GPU kernels (bench/gpuKernels.ts: tiled gemm,
// device-side reductions, gemv, n-body, saxpy) on this machine's WebGPU adapter — with no GPU, Dawn
// on Mesa llvmpipe (OpenGL ES, compatibility mode) — against f64 JavaScript and the kernel library.
// Per kernel, from one run: `ms` the compute time with the data already on the device (submit →
// queue idle, median of repeats), `transfer_ms` buffer creation + upload + readback of the result,
// `js_ms` the plain f64 JS loop, `library_ms` the bundled kernel library (f64) where it has the
// routine, `speedup_vs_js` = js_ms / ms (resident data) and `speedup_vs_js_with_transfer`
// = js_ms / (ms + transfer_ms), `max_rel_err` = max |gpu − js| / max |js| (f32 kernel vs f64 JS on
// the same f32-representable inputs) with `tol` from the error bound (bench/gpuReference.ts).
// Sizes: --small (the test: seconds on llvmpipe), default (llvmpipe: ~1 minute), --full (a real
// GPU: gemm 4096², reductions 1e8, n-body 65,536 bodies; JS references on sampled rows, timed and
// scaled, `js_sampled: true`). With --json the last line is one JSON object.
import { cpus, loadavg } from 'node:os';
import { loadKernels, packageRoot } from '../native/index.js';
import type { Kernels } from '../native/types.js';
import { gemm, gemv, nbody, openGpu, reduce, saxpy } from './gpuKernels.js';
import type { Gpu, Resident } from './gpuKernels.js';
import { check, f32Values, gemmRef, gemvRef, nbodyRef, reduceRef, saxpyRef } from './gpuReference.js';
import type { Check, Ref } from './gpuReference.js';
import { runCuda } from './gpuCuda.js';
import type { CudaStatus } from './gpuCuda.js';

export interface GpuRow extends Check {
  name: string;
  backend: 'webgpu' | 'cuda';
  n: number;
  /** Other dimensions (gemm m×n×k, gemv m×n). */
  shape: string;
  ms: number;
  transfer_ms: number;
  upload_ms: number;
  readback_ms: number;
  js_ms: number;
  /** The JS time was measured on `js_rows` of the output and scaled (full sizes). */
  js_sampled: boolean;
  library_ms: number | null;
  speedup_vs_js: number;
  speedup_vs_js_with_transfer: number;
  /** GFLOP/s (gemm, gemv, n-body: 20 flops per interaction) or GB/s (saxpy, reductions) on the device. */
  rate: string;
  /** CUDA rows: GB/s ÷ the device's copy GB/s (memory-bound), or cuBLAS ms ÷ ms (gemm). */
  ratio_copy?: number;
  ratio_cublas?: number;
}

const json = process.argv.includes('--json');
const size: 'small' | 'default' | 'full' = process.argv.includes('--small')
  ? 'small'
  : process.argv.includes('--full')
    ? 'full'
    : 'default';
const say = (s: string): void => {
  if (!json || !process.argv.includes('--quiet')) console.log(s);
};

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const r3 = (x: number): number => Number(x.toPrecision(3));

/** Median ms of f over repeats: at least 3, until ~`budget` ms are spent (at most 25). */
function timeJs(f: () => unknown, budget = 300): number {
  const t: number[] = [];
  const start = performance.now();
  while (t.length < 3 || (performance.now() - start < budget && t.length < 25)) {
    const t0 = performance.now();
    f();
    t.push(performance.now() - t0);
  }
  return median(t);
}

async function timeGpu(
  g: Gpu,
  make: () => Resident,
): Promise<{ ms: number; upload: number; readback: number; out: Float32Array }> {
  const q = (): Promise<undefined> => g.device.queue.onSubmittedWorkDone();
  const warm = make(); // compiles the pipelines (cached per device)
  warm.submit();
  await warm.read();
  warm.destroy();
  const t0 = performance.now();
  const r = make();
  await q();
  const upload = performance.now() - t0;
  const times: number[] = [];
  const start = performance.now();
  while (times.length < 3 || (performance.now() - start < 400 && times.length < 25)) {
    const t = performance.now();
    r.submit();
    await q();
    times.push(performance.now() - t);
  }
  const t1 = performance.now();
  const out = await r.read();
  const readback = performance.now() - t1;
  r.destroy();
  return { ms: median(times), upload, readback, out };
}

interface Case {
  name: string;
  n: number;
  shape: string;
  make: (g: Gpu) => Resident;
  /** f64 reference on (a sample of) the outputs, and how many leading outputs it covers. */
  ref: () => { ref: Ref; outputs: number };
  /** Plain f64 JS over the sample; `scale` = full work / sampled work. */
  js: () => unknown;
  scale: number;
  library?: () => unknown;
  /** Work for the rate: [amount, unit] per call. */
  work: [number, 'GFLOP/s' | 'GB/s'];
}

const f64 = (a: Float32Array): Float64Array => Float64Array.from(a);

function vectorCases(n: number, lib: Kernels): Case[] {
  // Positive: the reductions' relative error is then not inflated by cancellation.
  const x = f32Values(n, 1, 0, 1);
  const y = f32Values(n, 2, 0, 1);
  const x64 = f64(x);
  const y64 = f64(y);
  const z64 = new Float64Array(n);
  const a = Math.fround(0.75);
  return [
    {
      name: 'saxpy',
      n,
      shape: `${n}`,
      make: (g) => saxpy(g, a, x, y),
      ref: () => ({ ref: saxpyRef(a, x, y), outputs: n }),
      js: () => {
        for (let i = 0; i < n; i++) z64[i] = a * x64[i]! + y64[i]!;
      },
      scale: 1,
      library: () => lib.axpy(a, x64, z64.fill(0)),
      work: [12 * n, 'GB/s'],
    },
    {
      name: 'sum',
      n,
      shape: `${n}`,
      make: (g) => reduce(g, y),
      ref: () => ({ ref: reduceRef(y), outputs: 1 }),
      js: () => {
        let s = 0;
        for (let i = 0; i < n; i++) s += y64[i]!;
        return s;
      },
      scale: 1,
      library: () => lib.sum(y64),
      work: [4 * n, 'GB/s'],
    },
    {
      name: 'dot',
      n,
      shape: `${n}`,
      make: (g) => reduce(g, x, y),
      ref: () => ({ ref: reduceRef(x, y), outputs: 1 }),
      js: () => {
        let s = 0;
        for (let i = 0; i < n; i++) s += x64[i]! * y64[i]!;
        return s;
      },
      scale: 1,
      library: () => lib.dot(x64, y64),
      work: [8 * n, 'GB/s'],
    },
  ];
}

function matrixCases(gm: number, gmRow: number, mv: number, bodies: number, lib: Kernels): Case[] {
  const sample = (m: number): number => (size === 'full' ? Math.min(m, 16) : m);
  const gemmCase = (m: number, variant: 'tiled' | 'rowwise'): Case => {
    const [n, k] = [m + (size === 'small' ? 1 : 0), m + (size === 'small' ? 3 : 0)];
    const A = f32Values(m * k, 3);
    const B = f32Values(k * n, 4);
    const s = sample(m);
    const A64 = f64(A.subarray(0, s * k));
    const B64 = f64(B);
    const C64 = new Float64Array(s * n);
    return {
      name: variant === 'tiled' ? 'gemm_tiled' : 'gemm_rowwise',
      n: m * n,
      shape: `${m}×${n}×${k}`,
      make: (g) => gemm(g, m, n, k, A, B, variant),
      ref: () => ({ ref: gemmRef(s, n, k, A.subarray(0, s * k), B), outputs: s * n }),
      js: () => {
        C64.fill(0);
        for (let i = 0; i < s; i++)
          for (let q = 0; q < k; q++) {
            const av = A64[i * k + q]!;
            for (let j = 0; j < n; j++) C64[i * n + j]! += av * B64[q * n + j]!;
          }
      },
      scale: m / s,
      ...(variant === 'tiled' && size !== 'full'
        ? { library: () => lib.gemm(m, n, k, f64(A), B64, { threads: 1 }) }
        : {}),
      work: [2 * m * n * k, 'GFLOP/s'],
    };
  };
  const [m, n] = [mv, mv + (size === 'small' ? 5 : 0)];
  const A = f32Values(m * n, 5);
  const xv = f32Values(n, 6);
  const [A64, x64, y64] = [f64(A), f64(xv), new Float64Array(m)];
  const pos = f32Values(bodies * 4, 7);
  for (let i = 3; i < pos.length; i += 4) pos[i] = Math.fround(0.5 + 0.5 * Math.abs(pos[i]!)); // masses
  const eps2 = Math.fround(1e-2);
  const sb = sample(bodies);
  const pos64 = f64(pos);
  const acc64 = new Float64Array(sb * 3);
  return [
    gemmCase(gm, 'tiled'),
    gemmCase(gmRow, 'rowwise'),
    {
      name: 'gemv',
      n: m * n,
      shape: `${m}×${n}`,
      make: (g) => gemv(g, m, n, A, xv),
      ref: () => ({ ref: gemvRef(m, n, A, xv), outputs: m }),
      js: () => {
        for (let i = 0; i < m; i++) {
          let s = 0;
          for (let j = 0; j < n; j++) s += A64[i * n + j]! * x64[j]!;
          y64[i] = s;
        }
      },
      scale: 1,
      library: () => lib.gemv(m, n, A64, x64, { threads: 1 }),
      work: [2 * m * n, 'GFLOP/s'],
    },
    {
      name: 'nbody',
      n: bodies,
      shape: `${bodies} bodies`,
      make: (g) => nbody(g, pos, eps2),
      ref: () => ({ ref: nbodyRef(pos.subarray(0, bodies * 4), eps2, sb), outputs: sb * 4 }),
      js: () => {
        for (let i = 0; i < sb; i++) {
          let [ax, ay, az] = [0, 0, 0];
          for (let j = 0; j < bodies; j++) {
            const dx = pos64[4 * j]! - pos64[4 * i]!;
            const dy = pos64[4 * j + 1]! - pos64[4 * i + 1]!;
            const dz = pos64[4 * j + 2]! - pos64[4 * i + 2]!;
            const r2 = dx * dx + dy * dy + dz * dz + eps2;
            const f = pos64[4 * j + 3]! / (r2 * Math.sqrt(r2));
            ax += dx * f;
            ay += dy * f;
            az += dz * f;
          }
          acc64.set([ax, ay, az], 3 * i);
        }
      },
      scale: bodies / sb,
      work: [20 * bodies * bodies, 'GFLOP/s'],
    },
  ];
}

async function runCase(g: Gpu, c: Case): Promise<GpuRow> {
  const t = await timeGpu(g, () => c.make(g));
  const { ref, outputs } = c.ref();
  const chk = check(t.out.subarray(0, outputs), ref);
  const jsMs = timeJs(c.js) * c.scale;
  const libMs = c.library ? timeJs(c.library) : null;
  const transfer = t.upload + t.readback;
  const [amount, unit] = c.work;
  return {
    name: c.name,
    backend: 'webgpu',
    n: c.n,
    shape: c.shape,
    ms: r3(t.ms),
    transfer_ms: r3(transfer),
    upload_ms: r3(t.upload),
    readback_ms: r3(t.readback),
    js_ms: r3(jsMs),
    js_sampled: c.scale !== 1,
    library_ms: libMs === null ? null : r3(libMs),
    speedup_vs_js: r3(jsMs / t.ms),
    speedup_vs_js_with_transfer: r3(jsMs / (t.ms + transfer)),
    rate: `${r3(amount / (t.ms * 1e6))} ${unit}`,
    ...chk,
    max_rel_err: Number(chk.max_rel_err.toPrecision(3)),
    tol: Number(chk.tol.toPrecision(3)),
  };
}

/**
 * f64 on the device, normwise: 4(t+1)·2⁻⁵³ for t terms per output — sum/dot t = n; gemm (±1 inputs,
 * |C| ~ √k·Σ|ab|/k) t = k·√k; n-body t = 64 per body (rsqrt) — the library's form of bound.
 */
function cudaTol(name: string, n: number): number {
  const k = Math.sqrt(n);
  const terms =
    name === 'saxpy' ? 2 : name === 'gemm_tiled' ? k * Math.sqrt(k) : name === 'nbody' ? 64 * n : n;
  return 4 * (terms + 1) * 2 ** -53;
}

/** CUDA's rows in the bench's shape: JS time from the WebGPU row of the same kernel and size. */
function cudaRows(cuda: CudaStatus, webgpu: readonly GpuRow[]): GpuRow[] {
  if (!cuda.available || !cuda.kernels) return [];
  return cuda.kernels.map((k) => {
    const js = webgpu.find((r) => r.name === k.name);
    const jsMs = js?.js_ms ?? NaN;
    return {
      name: k.name,
      backend: 'cuda',
      n: k.n,
      shape: js?.shape ?? String(k.n),
      ms: k.ms,
      transfer_ms: k.transfer_ms,
      upload_ms: NaN,
      readback_ms: NaN,
      js_ms: jsMs,
      js_sampled: js?.js_sampled ?? false,
      library_ms: js?.library_ms ?? null,
      speedup_vs_js: r3(jsMs / k.ms),
      speedup_vs_js_with_transfer: r3(jsMs / (k.ms + k.transfer_ms)),
      rate: k.rate,
      max_rel_err: k.max_rel_err,
      tol: cudaTol(k.name, k.n),
      ok: k.max_rel_err <= cudaTol(k.name, k.n),
      ...(k.rate.endsWith('GB/s') && cuda.copy_gbs
        ? { ratio_copy: r3(parseFloat(k.rate) / cuda.copy_gbs) }
        : {}),
      ...(k.name === 'gemm_tiled' && (cuda.cublas_dgemm_ms ?? -1) > 0
        ? { ratio_cublas: r3(cuda.cublas_dgemm_ms! / k.ms) }
        : {}),
    };
  });
}

export const SIZES = {
  small: { vec: 65536 + 3, gemm: 96 + 1, gemmRow: 64 + 1, gemv: 257, bodies: 1000 },
  // llvmpipe ends any shader invocation after 65,535 loop iterations in all (gallivm's loop limiter,
  // outer and inner loops counted together) and the result is silently wrong: rowwise gemm n = 256
  // is past it (n + n·k > 65,535), so the llvmpipe sizes stay under it; a real GPU has no such cap.
  default: { vec: 1 << 20, gemm: 512, gemmRow: 128, gemv: 1024, bodies: 4096 },
  full: { vec: 1e8, gemm: 4096, gemmRow: 1024, gemv: 8192, bodies: 65536 },
} as const;

async function main(): Promise<void> {
  const s = SIZES[size];
  const lib = loadKernels();
  const opened = await openGpu();
  const load0 = loadavg()[0]!;
  const rows: GpuRow[] = [];
  if ('error' in opened) say(`no WebGPU device: ${opened.error}`);
  else {
    say(
      `# bench:gpu (${size}) — ${opened.backend}, ${opened.featureLevel}: ${opened.adapter}; host ${cpus()[0]?.model ?? 'cpu?'}, kernel library ${lib.backend}`,
    );
    say(
      'kernel        shape            device ms  transfer ms   JS f64 ms  library ms  ×JS (resident / with transfer)  rate           max rel err (tol)',
    );
    for (const c of [...vectorCases(s.vec, lib), ...matrixCases(s.gemm, s.gemmRow, s.gemv, s.bodies, lib)]) {
      const r = await runCase(opened, c);
      rows.push(r);
      say(
        `${r.name.padEnd(13)} ${r.shape.padEnd(16)} ${String(r.ms).padStart(9)} ${String(r.transfer_ms).padStart(12)} ${String(r.js_ms).padStart(11)}${r.js_sampled ? '*' : ' '} ${String(r.library_ms ?? '—').padStart(10)}  ${`${r.speedup_vs_js} / ${r.speedup_vs_js_with_transfer}`.padEnd(30)}  ${r.rate.padEnd(14)} ${r.max_rel_err.toExponential(2)} (${r.tol.toExponential(2)})${r.ok ? '' : ` OUT OF BOUND ${r.worst ?? ''}`}`,
      );
    }
    if (rows.some((r) => r.js_sampled)) say('* JS timed on the first 16 rows/bodies and scaled');
    opened.device.destroy();
  }
  const cuda = runCuda(packageRoot(), s.vec, s.gemm, s.bodies);
  rows.push(...cudaRows(cuda, rows));
  say(
    cuda.available
      ? `CUDA (f64) on ${cuda.device ?? '?'}: copy ${cuda.copy_gbs ?? '?'} GB/s; cuBLAS dgemm ${cuda.cublas_dgemm_ms ?? '?'} ms (${cuda.cublas ?? ''})\n${rows
          .filter((r) => r.backend === 'cuda')
          .map(
            (r) =>
              `  ${r.name.padEnd(12)} ${r.ms} ms, transfer ${r.transfer_ms} ms, ×JS ${r.speedup_vs_js}, ${r.rate}, err ${r.max_rel_err}`,
          )
          .join('\n')}`
      : `CUDA: not run: ${cuda.reason ?? '?'}`,
  );
  if (json)
    console.log(
      JSON.stringify({
        size,
        adapter: 'error' in opened ? null : opened.adapter,
        backend: 'error' in opened ? null : opened.backend,
        feature_level: 'error' in opened ? null : opened.featureLevel,
        error: 'error' in opened ? opened.error : undefined,
        precision: 'f32 on the device; JS and the kernel library f64',
        definitions:
          'ms: compute with data resident (median); transfer_ms: buffers + upload + readback; speedup_vs_js = js_ms / ms; max_rel_err = max|gpu - js| / max|js|',
        load_avg: [r3(load0), r3(loadavg()[0]!)],
        kernels: rows,
        cuda: { ...cuda, kernels: undefined },
      }),
    );
  // Dawn keeps the process alive after the device is destroyed.
  process.exit(rows.every((r) => r.ok) ? 0 : 1);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(2);
});
