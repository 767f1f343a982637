// The examples/ workspace computes what it claims (the profiler, benchmarks and docs rely on it).
// Imported by computed path: examples/ has its own tsconfig and is not part of the root program.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';

const root = new URL('../..', import.meta.url);
const load = async <T>(name: string): Promise<T> =>
  (await import(new URL(`examples/src/${name}.ts`, root).href)) as T;

interface Stats {
  sum(xs: Float64Array): number;
  mean(xs: Float64Array): number;
  variance(xs: Float64Array): number;
  std(xs: Float64Array): number;
  sumArray(xs: number[]): number;
  varianceArray(xs: number[]): number;
  stdArray(xs: number[]): number;
  range(xs: Float64Array): number;
  parseCsv(text: string): { sensor: string; timestamp: number; value: number }[];
  meanBySensor(r: readonly { sensor: string; value: number }[]): Map<string, number>;
  valuesOf(r: readonly { value: number }[]): Float64Array;
}
interface Image {
  boxBlur(s: Float32Array, d: Float32Array, w: number, h: number): void;
  gaussianBlur(s: Float32Array, d: Float32Array, w: number, h: number): void;
  copyBorder(s: Float32Array, d: Float32Array, w: number, h: number): void;
  testImage(w: number, h: number): Float32Array;
  asciiPreview(img: Float32Array, w: number, h: number, cols?: number): string;
}
interface MatMul {
  gemm(a: Float64Array, b: Float64Array, c: Float64Array, n: number, m: number, k: number): void;
  gemv(a: Float64Array, x: Float64Array, y: Float64Array, rows: number, cols: number): void;
  matmulNested(a: number[][], b: number[][]): number[][];
}
interface NBody {
  makeBodies(n: number): Record<'x' | 'y' | 'z' | 'vx' | 'vy' | 'vz' | 'mass', Float64Array>;
  step(
    ...args: [
      Float64Array,
      Float64Array,
      Float64Array,
      Float64Array,
      Float64Array,
      Float64Array,
      Float64Array,
      number,
      number,
    ]
  ): void;
  kineticEnergy(vx: Float64Array, vy: Float64Array, vz: Float64Array, m: Float64Array): number;
}
interface Fetcher {
  startFakeService(latencyMs?: number): Promise<{ baseUrl: string; close(): Promise<void> }>;
  fetchSensorInfo(base: string, ids: readonly number[]): Promise<{ id: number; name: string }[]>;
  fetchSensorInfoConcurrent(
    base: string,
    ids: readonly number[],
    limit?: number,
  ): Promise<{ id: number; name: string }[]>;
}

const close = (a: number, b: number, tol = 1e-9): void => {
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} ≉ ${b}`);
};

describe('examples/', () => {
  test('sensor statistics agree between Float64Array and number[] and with the definitions', async () => {
    const s = await load<Stats>('sensorStats');
    const plain = [2, 4, 4, 4, 5, 5, 7, 9];
    const xs = Float64Array.from(plain);
    assert.equal(s.sum(xs), 40);
    assert.equal(s.mean(xs), 5);
    assert.equal(s.variance(xs), 4);
    assert.equal(s.std(xs), 2);
    assert.equal(s.sumArray(plain), 40);
    assert.equal(s.varianceArray(plain), 4);
    assert.equal(s.stdArray(plain), 2);
    assert.equal(s.range(xs), 7);
    assert.ok(Number.isNaN(s.mean(new Float64Array(0))));
    const readings = s.parseCsv('# sensor,ts,value\na,1,1.5\nb,2,3\n\na,3,2.5\n');
    assert.deepEqual(
      readings.map((r) => r.value),
      [1.5, 3, 2.5],
    );
    assert.deepEqual(
      [...s.meanBySensor(readings)],
      [
        ['a', 2],
        ['b', 3],
      ],
    );
    assert.deepEqual([...s.valuesOf(readings)], [1.5, 3, 2.5]);
  });

  test('blurs keep a constant image constant and average a single bright pixel over 3×3', async () => {
    const f = await load<Image>('imageFilter');
    const w = 5;
    const h = 4;
    const flat = new Float32Array(w * h).fill(0.5);
    const out = new Float32Array(w * h);
    f.boxBlur(flat, out, w, h);
    f.copyBorder(flat, out, w, h);
    assert.ok(out.every((v) => Math.abs(v - 0.5) < 1e-6));
    const dot = new Float32Array(w * h);
    dot[1 * w + 2] = 9;
    f.boxBlur(dot, out.fill(0), w, h);
    assert.ok(Math.abs(out[2 * w + 2]! - 1) < 1e-6 && Math.abs(out[1 * w + 1]! - 1) < 1e-6);
    f.gaussianBlur(dot, out.fill(0), w, h);
    close(out[1 * w + 2]!, (9 * 4) / 16, 1e-6);
    close(out[2 * w + 2]!, (9 * 2) / 16, 1e-6);
    const img = f.testImage(64, 32);
    assert.equal(img.length, 64 * 32);
    assert.equal(f.asciiPreview(img, 64, 32, 16).split('\n').length, 1 + 32 / 8);
  });

  test('gemm and gemv match the nested-array product', async () => {
    const m = await load<MatMul>('matmul');
    const a = [
      [1, 2, 3],
      [4, 5, 6],
    ];
    const b = [
      [7, 8],
      [9, 10],
      [11, 12],
    ];
    const c = new Float64Array(4);
    m.gemm(Float64Array.from(a.flat()), Float64Array.from(b.flat()), c, 2, 2, 3);
    assert.deepEqual([...c], m.matmulNested(a, b).flat());
    assert.deepEqual([...c], [58, 64, 139, 154]);
    const y = new Float64Array(2);
    m.gemv(Float64Array.from(a.flat()), Float64Array.from([1, 0, -1]), y, 2, 3);
    assert.deepEqual([...y], [-2, -2]);
  });

  test('an n-body step conserves momentum and moves the bodies', async () => {
    const nb = await load<NBody>('nbody');
    const b = nb.makeBodies(50);
    const x0 = b.x[0]!;
    nb.step(b.x, b.y, b.z, b.vx, b.vy, b.vz, b.mass, 50, 0.01);
    let px = 0;
    let py = 0;
    for (let i = 0; i < 50; i++) {
      px += b.mass[i]! * b.vx[i]!;
      py += b.mass[i]! * b.vy[i]!;
    }
    assert.ok(Math.abs(px) < 1e-12 && Math.abs(py) < 1e-12, `momentum ${px}, ${py}`);
    assert.notEqual(b.x[0], x0);
    assert.ok(nb.kineticEnergy(b.vx, b.vy, b.vz, b.mass) > 0);
  });

  test('the fetcher talks to its own local fake service, sequentially and concurrently', async () => {
    const f = await load<Fetcher>('fetcher');
    const service = await f.startFakeService(1);
    try {
      assert.match(service.baseUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
      const ids = [3, 1, 2, 5, 4];
      const seq = await f.fetchSensorInfo(service.baseUrl, ids);
      const par = await f.fetchSensorInfoConcurrent(service.baseUrl, ids, 2);
      assert.deepEqual(
        seq.map((s) => s.id),
        ids,
      );
      assert.deepEqual(par, seq);
    } finally {
      await service.close();
    }
  });

  test('main.ts rejects an unknown workload with exit code 2 and the list of workloads', () => {
    try {
      execFileSync(process.execPath, ['--import', 'tsx', 'examples/src/main.ts', 'nope'], {
        cwd: root,
        stdio: 'pipe',
      });
      assert.fail('expected exit code 2');
    } catch (err) {
      const e = err as { status?: number; stderr?: Buffer };
      assert.equal(e.status, 2);
      assert.match(String(e.stderr), /stats \| blur \| matmul \| nbody \| fetch \| all/);
    }
  });
});
