// Hostile calls into the kernel library, run in a child of test/hostile/hostile.test.ts (a crash here
// is reported there with the last case started). One JSON line per case: {name, ok, detail}.
// Every case must end in the right result or a TypeError/RangeError whose message names the library.
import { loadKernels } from '../../native/index.js';
import type { Kernels } from '../../native/types.js';

type Fn = (...a: unknown[]) => unknown;
type Lib = Record<string, Fn>;
interface Spec {
  name: string;
  /** Fresh arguments; `arrays` are the indexes of typed-array arguments; opts goes at `optAt`. */
  make: () => unknown[];
  arrays: number[];
  optAt: number;
  /** Length of the result array (undefined: a number, or in place like axpy). */
  outLen?: number;
  /** Accepts out === its input (elementwise). */
  inPlace: boolean;
  sizes: number[];
}

const N = 67;
const f64 = (n: number, seed: number): Float64Array =>
  Float64Array.from({ length: n }, (_, i) => Math.sin(i * 0.7 + seed) * 3 + (seed % 3));
const pos = (n: number, seed: number): Float64Array => f64(n, seed).map((v) => Math.abs(v) + 0.5);

const specs: Spec[] = [
  ...['sum', 'mean', 'variance', 'std', 'min', 'max', 'argmin', 'argmax', 'nrm2'].map((name) => ({
    name,
    make: () => [f64(N, 1)],
    arrays: [0],
    optAt: 1,
    inPlace: false,
    sizes: [],
  })),
  { name: 'dot', make: () => [f64(N, 1), f64(N, 2)], arrays: [0, 1], optAt: 2, inPlace: false, sizes: [] },
  {
    name: 'axpy',
    make: () => [2, f64(N, 1), f64(N, 2)],
    arrays: [1, 2],
    optAt: 3,
    inPlace: false,
    sizes: [],
  },
  { name: 'scale', make: () => [3, f64(N, 1)], arrays: [1], optAt: 2, outLen: N, inPlace: true, sizes: [] },
  ...['add', 'sub', 'mul', 'div'].map((name) => ({
    name,
    make: () => [f64(N, 1), pos(N, 2)],
    arrays: [0, 1],
    optAt: 2,
    outLen: N,
    inPlace: true,
    sizes: [],
  })),
  ...['exp', 'log', 'sqrt', 'sin', 'cos', 'cumsum'].map((name) => ({
    name,
    make: () => [pos(N, 1)],
    arrays: [0],
    optAt: 1,
    outLen: N,
    inPlace: true,
    sizes: [],
  })),
  {
    name: 'pow',
    make: () => [pos(N, 1), f64(N, 2)],
    arrays: [0, 1],
    optAt: 2,
    outLen: N,
    inPlace: true,
    sizes: [],
  },
  {
    name: 'histogram',
    make: () => [f64(N, 1), 7, -4, 4],
    arrays: [0],
    optAt: 4,
    outLen: 7,
    inPlace: false,
    sizes: [1],
  },
  {
    name: 'gemv',
    make: () => [5, 6, f64(30, 1), f64(6, 2)],
    arrays: [2, 3],
    optAt: 4,
    outLen: 5,
    inPlace: false,
    sizes: [0, 1],
  },
  {
    name: 'gemm',
    make: () => [4, 5, 3, f64(12, 1), f64(15, 2)],
    arrays: [3, 4],
    optAt: 5,
    outLen: 20,
    inPlace: false,
    sizes: [0, 1, 2],
  },
  {
    name: 'conv1d',
    make: () => [f64(N, 1), f64(5, 2)],
    arrays: [0, 1],
    optAt: 2,
    outLen: N - 4,
    inPlace: false,
    sizes: [],
  },
  {
    name: 'stencil2d',
    make: () => [f64(42, 1), 6, 7, f64(9, 2)],
    arrays: [0, 3],
    optAt: 4,
    outLen: 42,
    inPlace: false,
    sizes: [1, 2],
  },
];

const detach = (b: ArrayBufferLike): void => void structuredClone(b, { transfer: [b as ArrayBuffer] });
const clearError = (e: unknown): boolean =>
  (e instanceof TypeError || e instanceof RangeError) && /^hotloop kernels\./.test(e.message);
const errText = (e: unknown): string =>
  e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e);

function same(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number')
    return Object.is(a, b) || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
  if (ArrayBuffer.isView(a) && ArrayBuffer.isView(b)) {
    const x = a as unknown as ArrayLike<number>,
      y = b as unknown as ArrayLike<number>;
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!same(x[i], y[i])) return false;
    return true;
  }
  return false;
}

let count = 0;
const emit = (name: string, ok: boolean, detail = ''): void => {
  count++;
  process.stdout.write(`${JSON.stringify({ name, ok, detail })}\n`);
};
const started = (name: string): void => void process.stderr.write(`case ${name}\n`);

/** expect: 'clear' (a clear error), or a value to equal; 'either' accepts both. */
async function check(
  name: string,
  call: () => unknown,
  expected: unknown,
  mode: 'clear' | 'value' | 'either',
): Promise<void> {
  started(name);
  try {
    let r = call();
    if (r instanceof Promise) r = await r;
    if (mode === 'clear') {
      emit(name, false, `expected a TypeError/RangeError, got a result`);
      return;
    }
    const ok = expected === undefined || same(r, expected);
    emit(name, ok, ok ? '' : 'wrong result');
  } catch (e) {
    const ok = mode !== 'value' && clearError(e);
    emit(name, ok, ok ? '' : `unexpected ${errText(e)}`);
  }
}

const libs: [string, Kernels][] = [
  ['native', loadKernels({ backend: 'native' })],
  ['wasm', loadKernels({ backend: 'wasm' })],
  ['ts', loadKernels({ backend: 'ts' })],
];
const ref = loadKernels({ backend: 'ts' }) as unknown as Lib;
const BAD_VALUES: [string, () => unknown][] = [
  ['string', () => 'abc'],
  ['object', () => ({ length: 3 })],
  ['null', () => null],
  ['undefined', () => undefined],
  ['Uint8Array', () => new Uint8Array(8)],
  ['BigInt64Array', () => new BigInt64Array(2)],
  ['DataView', () => new DataView(new ArrayBuffer(8))],
  ['array with a string', () => [1, 'x', 3]],
  [
    'sparse array',
    () => {
      const a = [1];
      a[2] = 3;
      return a;
    },
  ],
  ['ArrayBuffer', () => new ArrayBuffer(16)],
];
const BAD_SIZES = [NaN, -1, 1.5, Infinity, 2 ** 41, -0.5];
const BAD_OPTS: [string, () => unknown][] = [
  ['threads 0', () => ({ threads: 0 })],
  ['threads 257', () => ({ threads: 257 })],
  ['threads NaN', () => ({ threads: NaN })],
  ['threads string', () => ({ threads: '2' })],
  ['options a number', () => 5],
  ['options an array', () => [1]],
  ['out a number[]', () => ({ out: [0, 0] })],
  ['out wrong length', () => ({ out: new Float64Array(3) })],
  ['out Float32 for f64', () => ({ out: new Float32Array(N) })],
];

async function perRoutine(be: string, k: Lib, s: Spec): Promise<void> {
  const base = `${be} ${s.name}`;
  const expected = ref[s.name]!(...s.make());
  const fnAsync = (...a: unknown[]): unknown => k[`${s.name}Async`]!(...a);
  await check(`${base} plain`, () => k[s.name]!(...s.make()), expected, 'value');
  await check(`${base}Async plain`, () => fnAsync(...s.make()), expected, 'value');
  for (const i of s.arrays) {
    for (const [label, bad] of BAD_VALUES) {
      await check(
        `${base} arg ${i} ${label}`,
        () => {
          const a = s.make();
          a[i] = bad();
          return k[s.name]!(...a);
        },
        undefined,
        label === 'sparse array' || label === 'array with a string' || label.startsWith('Uint8')
          ? 'clear'
          : 'clear',
      );
    }
    await check(
      `${base} arg ${i} detached before`,
      () => {
        const a = s.make();
        detach((a[i] as Float64Array).buffer);
        return k[s.name]!(...a);
      },
      undefined,
      'clear',
    );
    await check(
      `${base}Async arg ${i} detached before`,
      () => {
        const a = s.make();
        detach((a[i] as Float64Array).buffer);
        return fnAsync(...a);
      },
      undefined,
      'clear',
    );
    // Detached right after the call returned: the addon computes on its own copy; wasm/TS read it after a macrotask.
    await check(
      `${base}Async arg ${i} detached during`,
      () => {
        const a = s.make();
        const p = fnAsync(...a);
        detach((a[i] as Float64Array).buffer);
        return p;
      },
      s.name === 'axpy' && i === 2 ? undefined : expected,
      'either',
    );
    // An options getter that detaches an input after it was read.
    await check(
      `${base} arg ${i} detached by an options getter`,
      () => {
        const a = s.make();
        const o = {
          get threads() {
            detach((a[i] as Float64Array).buffer);
            return 1;
          },
        };
        a[s.optAt] = o;
        return k[s.name]!(...a);
      },
      expected,
      'either',
    );
  }
  for (const j of s.sizes)
    for (const v of BAD_SIZES)
      await check(
        `${base} size ${j} = ${v}`,
        () => {
          const a = s.make();
          a[j] = v;
          return k[s.name]!(...a);
        },
        undefined,
        'clear',
      );
  for (const [label, o] of BAD_OPTS) {
    const needsOut = label.startsWith('out');
    if (needsOut && s.outLen === undefined) continue;
    await check(
      `${base} ${label}`,
      () => {
        const a = s.make();
        a[s.optAt] = o();
        return k[s.name]!(...a);
      },
      undefined,
      'clear',
    );
  }
  if (s.outLen === undefined) return;
  for (const i of s.arrays) {
    await check(
      `${base} out === arg ${i}`,
      () => {
        const a = s.make();
        const arr = a[i] as Float64Array;
        if (arr.length !== s.outLen) throw new RangeError('hotloop kernels.skip: lengths differ');
        a[s.optAt] = { out: arr };
        return k[s.name]!(...a);
      },
      expected,
      s.inPlace ? 'either' : 'clear',
    );
    await check(
      `${base}Async out === arg ${i}`,
      () => {
        const a = s.make();
        const arr = a[i] as Float64Array;
        if (arr.length !== s.outLen) throw new RangeError('hotloop kernels.skip: lengths differ');
        a[s.optAt] = { out: arr };
        return fnAsync(...a);
      },
      expected,
      s.inPlace ? 'either' : 'clear',
    );
    await check(
      `${base} out partially overlapping arg ${i}`,
      () => {
        const a = s.make();
        const src = a[i] as Float64Array;
        const buf = new Float64Array(src.length + s.outLen! + 1);
        buf.set(src);
        a[i] = buf.subarray(0, src.length);
        a[s.optAt] = { out: buf.subarray(1, 1 + s.outLen!) };
        return k[s.name]!(...a);
      },
      undefined,
      'clear',
    );
  }
  await check(
    `${base}Async out detached during`,
    () => {
      const a = s.make();
      const out = new Float64Array(s.outLen!);
      a[s.optAt] = { out };
      const p = fnAsync(...a);
      detach(out.buffer);
      return p;
    },
    expected,
    'either',
  );
}

async function concurrent(be: string, k: Lib): Promise<void> {
  for (const calls of [2, 20, 200]) {
    const name = `${be} ${calls} concurrent axpyAsync into one y`;
    started(name);
    const x = new Float64Array(512).fill(1),
      y = new Float64Array(512);
    const rs = await Promise.allSettled(Array.from({ length: calls }, () => k.axpyAsync!(1, x, y)));
    const applied = rs.filter((r) => r.status === 'fulfilled').length;
    const bad = rs.find((r) => r.status === 'rejected' && !clearError(r.reason));
    emit(
      name,
      !bad && y.every((v) => v === applied),
      bad
        ? errText((bad as PromiseRejectedResult).reason)
        : `${applied} applied, y: ${[...new Set(y)].join(',')}`,
    );
  }
  const name = `${be} 50 concurrent addAsync into one out`;
  started(name);
  const out = new Float64Array(256);
  const rs = await Promise.allSettled(
    Array.from({ length: 50 }, (_, c) =>
      k.addAsync!(new Float64Array(256).fill(c), new Float64Array(256).fill(1), { out }),
    ),
  );
  const bad = rs.find((r) => r.status === 'rejected' && !clearError(r.reason));
  emit(name, !bad && new Set(out).size === 1, bad ? errText((bad as PromiseRejectedResult).reason) : '');
}

async function main(): Promise<void> {
  for (const [be, k] of libs) {
    for (const s of specs) await perRoutine(be, k as unknown as Lib, s);
    await concurrent(be, k as unknown as Lib);
  }
  process.stderr.write(`done ${count}\n`);
}
void main();
