// Runs the example workloads with realistic sizes and prints timings, so a profiler sees the hot loops
// (each workload runs ~0.7–1.3 s on a quiet 2-core machine: a run worth profiling, not start-up noise).
//   node --import tsx examples/src/main.ts [stats|blur|matmul|nbody|fetch|all]   (default: all)
import { fetchSensorInfo, fetchSensorInfoConcurrent, startFakeService } from './fetcher.js';
import { boxBlur, copyBorder, gaussianBlur, testImage } from './imageFilter.js';
import { gemm, gemv } from './matmul.js';
import { kineticEnergy, makeBodies, step } from './nbody.js';
import { randomFloat64 } from './random.js';
import { meanBySensor, parseCsv, range, std, stdArray, sum, sumArray, valuesOf, variance } from './sensorStats.js';

type Workload = () => Promise<string> | string;

function time<T>(label: string, fn: () => T): T {
  const t0 = performance.now();
  const result = fn();
  console.log(`  ${label.padEnd(34)} ${(performance.now() - t0).toFixed(1).padStart(8)} ms`);
  return result;
}

async function timeAsync<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const result = await fn();
  console.log(`  ${label.padEnd(34)} ${(performance.now() - t0).toFixed(1).padStart(8)} ms`);
  return result;
}

const workloads: Record<string, Workload> = {
  stats() {
    const n = 500_000;
    const readings = randomFloat64(n, 1, 4, 18); // temperatures 18..22 °C
    const plain = Array.from(readings);
    let s = 0;
    let sd = 0;
    time('sum, Float64Array ×40', () => { for (let r = 0; r < 40; r++) s = sum(readings); });
    time('sum, number[] ×40', () => { for (let r = 0; r < 40; r++) sumArray(plain); });
    time('std, Float64Array ×40', () => { for (let r = 0; r < 40; r++) sd = std(readings); });
    time('std, number[] ×40', () => { for (let r = 0; r < 40; r++) stdArray(plain); });
    const spread = time('range, Float64Array ×20', () => { let x = 0; for (let r = 0; r < 20; r++) x = range(readings); return x; });
    const csv = Array.from({ length: 80_000 }, (_, i) => `s${i % 8},${1_700_000_000 + i},${readings[i].toFixed(3)}`).join('\n');
    const parsed = time('parse CSV (80k lines)', () => parseCsv(csv));
    const bySensor = time('mean by sensor (objects)', () => meanBySensor(parsed));
    const v = variance(valuesOf(parsed));
    return `n=${n} mean=${(s / n).toFixed(4)} std=${sd.toFixed(4)} range=${spread.toFixed(3)} sensors=${bySensor.size} csvVar=${v.toFixed(4)}`;
  },

  blur() {
    const width = 1920;
    const height = 1080;
    const src = testImage(width, height);
    const dst = new Float32Array(width * height);
    time('box blur 1920×1080 ×4', () => { for (let r = 0; r < 4; r++) boxBlur(src, dst, width, height); });
    time('gaussian blur 1920×1080 ×4', () => { for (let r = 0; r < 4; r++) gaussianBlur(src, dst, width, height); });
    copyBorder(src, dst, width, height);
    return `centre pixel ${dst[(height >> 1) * width + (width >> 1)].toFixed(4)}`;
  },

  matmul() {
    const n = 192;
    const a = randomFloat64(n * n, 2, 2, -1);
    const b = randomFloat64(n * n, 3, 2, -1);
    const c = new Float64Array(n * n);
    time(`gemm ${n}×${n} ×16`, () => { for (let r = 0; r < 16; r++) gemm(a, b, c, n, n, n); });
    const x = randomFloat64(2048, 4);
    const big = randomFloat64(2048 * 2048, 5);
    const y = new Float64Array(2048);
    time('gemv 2048×2048 ×20', () => { for (let r = 0; r < 20; r++) gemv(big, x, y, 2048, 2048); });
    return `c[0]=${c[0].toFixed(4)} y[0]=${y[0].toFixed(4)}`;
  },

  nbody() {
    const n = 800;
    const steps = 400;
    const bodies = makeBodies(n);
    const { x, y, z, vx, vy, vz, mass } = bodies;
    time(`n-body ${n} bodies ×${steps} steps`, () => { for (let s = 0; s < steps; s++) step(x, y, z, vx, vy, vz, mass, n, 0.001); });
    return `kinetic energy ${kineticEnergy(vx, vy, vz, mass).toExponential(4)}`;
  },

  async fetch() {
    const service = await startFakeService(5);
    try {
      const ids = Array.from({ length: 24 }, (_, i) => i + 1);
      const seq = await timeAsync('24 requests, await in a loop', () => fetchSensorInfo(service.baseUrl, ids));
      await timeAsync('24 requests, 8 in flight', () => fetchSensorInfoConcurrent(service.baseUrl, ids, 8));
      return `${seq.length} sensors, calibration sum ${seq.reduce((acc, s) => acc + s.calibration, 0).toFixed(2)}`;
    } finally {
      await service.close();
    }
  },
};

async function main(args: readonly string[]): Promise<number> {
  const which = args[0] ?? 'all';
  const names = which === 'all' ? Object.keys(workloads) : [which];
  const unknown = names.filter((n) => !(n in workloads));
  if (unknown.length) {
    console.error(`unknown workload '${unknown.join(', ')}'; choose one of: ${Object.keys(workloads).join(' | ')} | all`);
    return 2;
  }
  const t0 = performance.now();
  for (const name of names) {
    console.log(`${name}:`);
    console.log(`  → ${await workloads[name]()}`);
  }
  console.log(`total ${(performance.now() - t0).toFixed(0)} ms`);
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
