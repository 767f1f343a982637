// The wasm backend: the AssemblyScript build (native/wasm/assembly/kernels.ts) driven from JS.
// Inputs are copied into linear memory for each call (wasm cannot see JS heap memory) and results
// copied back: unlike the addon this is not zero-copy, which is part of what the benchmarks show.
import { withAsync } from './tsBackend.js';
import type { KernelInfo, Kernels, LoadAttempt, Routines } from './types.js';
import { Check, type Checked, type DType } from './validate.js';

type Fn = (...a: number[]) => number;

/** The slice of the WebAssembly JS API used here (the repo's lib settings have no DOM/wasm types). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (m: object, imports: object) => { exports: Record<string, unknown> };
}
const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
type Out = Float64Array | Float32Array;

class Arena {
  private top = 0;
  constructor(
    private readonly mem: WasmMemory,
    private readonly base: number,
  ) {}
  reset(): void {
    this.top = (this.base + 15) & ~15;
  }
  alloc(bytes: number): number {
    const p = this.top;
    this.top = (p + bytes + 15) & ~15;
    const need = this.top - this.mem.buffer.byteLength;
    if (need > 0) this.mem.grow(Math.ceil(need / 65536));
    return p;
  }
  view(dt: DType, p: number, n: number): Float64Array | Float32Array | Int32Array {
    const b = this.mem.buffer;
    return dt === 'f64'
      ? new Float64Array(b, p, n)
      : dt === 'f32'
        ? new Float32Array(b, p, n)
        : new Int32Array(b, p, n);
  }
}

const size = (dt: DType): number => (dt === 'f64' ? 8 : 4);
const rdt = (c: Checked): DType => (c.dt === 'f32' ? 'f32' : 'f64');

export function createWasmKernels(bytes: Uint8Array, tried: LoadAttempt[], path: string): Kernels {
  const inst = new WA.Instance(new WA.Module(bytes), {
    env: {
      abort: () => {
        throw new Error('hotloop wasm kernels: abort');
      },
    },
  });
  const ex = inst.exports;
  const mem = ex.memory as WasmMemory;
  const fn = (name: string): Fn => ex[name] as Fn;
  const arena = new Arena(mem, fn('heapBase')());

  /** Allocates every array first (growing memory invalidates views), then copies the inputs in. */
  const place = (...arrs: { c?: Checked; dt: DType; n: number }[]): number[] => {
    arena.reset();
    const ptrs = arrs.map((a) => arena.alloc(a.n * size(a.dt)));
    arrs.forEach((a, i) => {
      if (a.c) arena.view(a.dt, ptrs[i]!, a.n).set(a.c.a);
    });
    return ptrs;
  };
  const input = (c: Checked): { c: Checked; dt: DType; n: number } => ({ c, dt: c.dt, n: c.a.length });
  const back = (out: Out, dt: DType, p: number): Out => {
    out.set(arena.view(dt, p, out.length));
    return out;
  };

  const reduce =
    (name: string, call: (X: Checked, p: number, ddof: number) => number) =>
    (x: unknown, o?: unknown): number => {
      const c = new Check(name);
      const X = c.array(x, 'x');
      const op = c.opts(o);
      const [p] = place(input(X));
      return call(X, p!, op.ddof);
    };
  const unary =
    (name: string, op: number) =>
    (x: unknown, o?: unknown, pv = 0): Out => {
      const c = new Check(name);
      const X = c.array(x, 'x');
      c.noInt(X);
      const out = c.output(c.opts(o), rdt(X), X.a.length);
      c.disjoint(out, [[X, 'x']], 'exact');
      const [px, po] = place(input(X), { dt: X.dt, n: X.a.length });
      fn(`un_${X.dt}`)(op, px!, po!, X.a.length, pv);
      return back(out, X.dt, po!);
    };
  const binary =
    (name: string, op: number) =>
    (x: unknown, y: unknown, o?: unknown): Out => {
      const c = new Check(name);
      const X = c.array(x, 'x');
      const Y = c.array(y, name === 'pow' ? 'p' : 'y');
      c.same(X, Y, 'x', name === 'pow' ? 'p' : 'y');
      c.noInt(X);
      const out = c.output(c.opts(o), rdt(X), X.a.length);
      c.disjoint(
        out,
        [
          [X, 'x'],
          [Y, name === 'pow' ? 'p' : 'y'],
        ],
        'exact',
      );
      const [px, py, po] = place(input(X), input(Y), { dt: X.dt, n: X.a.length });
      fn(`bin_${X.dt}`)(op, px!, py!, po!, X.a.length);
      return back(out, X.dt, po!);
    };
  const ext =
    (w: number) =>
    (X: Checked, p: number): number =>
      fn(`ext_${X.dt}`)(p, X.a.length, w);
  const pows = unary('pow', 5);
  const powArr = binary('pow', 4);

  const r = {
    sum: reduce('sum', (X, p) => fn(`sum_${X.dt}`)(p, X.a.length)),
    mean: reduce('mean', (X, p) => (X.a.length ? fn(`sum_${X.dt}`)(p, X.a.length) / X.a.length : NaN)),
    variance: reduce('variance', (X, p, d) => fn(`var_${X.dt}`)(p, X.a.length, d)),
    std: reduce('std', (X, p, d) => Math.sqrt(fn(`var_${X.dt}`)(p, X.a.length, d))),
    min: reduce('min', ext(0)),
    max: reduce('max', ext(1)),
    argmin: reduce('argmin', ext(2)),
    argmax: reduce('argmax', ext(3)),
    nrm2: reduce('nrm2', (X, p) => fn(`nrm2_${X.dt}`)(p, X.a.length)),
    dot(x: unknown, y: unknown, o?: unknown): number {
      const c = new Check('dot');
      const X = c.array(x, 'x');
      const Y = c.array(y, 'y');
      c.same(X, Y, 'x', 'y');
      c.opts(o);
      const [px, py] = place(input(X), input(Y));
      return fn(`dot_${X.dt}`)(px!, py!, X.a.length);
    },
    axpy(a: unknown, x: unknown, y: unknown, o?: unknown): Out {
      const c = new Check('axpy');
      const av = c.number(a, 'a');
      const X = c.array(x, 'x');
      const Y = c.array(y, 'y', false);
      c.same(X, Y, 'x', 'y');
      c.noInt(X);
      if (c.opts(o).out) c.type('axpy updates y in place; options.out is not supported');
      const [px, py] = place(input(X), input(Y));
      fn(`axpy_${X.dt}`)(av, px!, py!, X.a.length);
      return back(y as Out, X.dt, py!);
    },
    scale(a: unknown, x: unknown, o?: unknown): Out {
      const c = new Check('scale');
      const av = c.number(a, 'a');
      const X = c.array(x, 'x');
      c.noInt(X);
      const out = c.output(c.opts(o), rdt(X), X.a.length);
      c.disjoint(out, [[X, 'x']], 'exact');
      const [px, po] = place(input(X), { dt: X.dt, n: X.a.length });
      fn(`scale_${X.dt}`)(av, px!, po!, X.a.length);
      return back(out, X.dt, po!);
    },
    add: binary('add', 0),
    sub: binary('sub', 1),
    mul: binary('mul', 2),
    div: binary('div', 3),
    exp: unary('exp', 0),
    log: unary('log', 1),
    sqrt: unary('sqrt', 2),
    sin: unary('sin', 3),
    cos: unary('cos', 4),
    pow: (x: unknown, p: unknown, o?: unknown): Out =>
      typeof p === 'number' ? pows(x, o, p) : powArr(x, p, o),
    cumsum(x: unknown, o?: unknown): Out {
      const c = new Check('cumsum');
      const X = c.array(x, 'x');
      c.noInt(X);
      const out = c.output(c.opts(o), rdt(X), X.a.length);
      c.disjoint(out, [[X, 'x']], 'exact');
      const [px, po] = place(input(X), { dt: X.dt, n: X.a.length });
      fn(`cumsum_${X.dt}`)(px!, po!, X.a.length);
      return back(out, X.dt, po!);
    },
    histogram(x: unknown, bins: unknown, lo: unknown, hi: unknown, o?: unknown): Float64Array {
      const c = new Check('histogram');
      const X = c.array(x, 'x');
      const nb = c.size(bins, 'bins');
      if (nb < 1 || nb > 2 ** 24) c.range(`bins must be from 1 to 16777216, got ${nb}`);
      const l = c.finite(lo, 'lo');
      const h = c.finite(hi, 'hi');
      if (!(l < h)) c.range(`lo must be less than hi, got lo = ${l}, hi = ${h}`);
      const out = c.output(c.opts(o), 'f64', nb);
      c.disjoint(out, [[X, 'x']], 'none');
      const [px, po] = place(input(X), { dt: 'f64', n: nb });
      fn(`hist_${X.dt}`)(px!, X.a.length, l, h, nb, po!);
      return back(out, 'f64', po!) as Float64Array;
    },
    gemv(m: unknown, n: unknown, A: unknown, x: unknown, o?: unknown): Out {
      const c = new Check('gemv');
      const M = c.size(m, 'm');
      const N = c.size(n, 'n');
      const a = c.array(A, 'A');
      const X = c.array(x, 'x');
      c.noInt(a);
      c.same(a, X, 'A', 'x', false);
      if (a.a.length !== M * N) c.range(`A has length ${a.a.length} but m × n = ${M} × ${N} needs ${M * N}`);
      if (X.a.length !== N) c.range(`x has length ${X.a.length} but n = ${N} needs ${N}`);
      const op = c.opts(o);
      const y = c.output(op, rdt(a), M);
      c.disjoint(
        y,
        [
          [a, 'A'],
          [X, 'x'],
        ],
        'none',
      );
      const beta = op.out ? op.beta : 0;
      const [pa, px, py] = place(input(a), input(X), { dt: a.dt, n: M, c: { dt: a.dt, a: y, typed: true } });
      fn(`gemv_${a.dt}`)(M, N, op.alpha, pa!, px!, beta, py!);
      return back(y, a.dt, py!);
    },
    gemm(m: unknown, n: unknown, k: unknown, A: unknown, B: unknown, o?: unknown): Out {
      const c = new Check('gemm');
      const M = c.size(m, 'm');
      const N = c.size(n, 'n');
      const K = c.size(k, 'k');
      const a = c.array(A, 'A');
      const b = c.array(B, 'B');
      c.noInt(a);
      c.same(a, b, 'A', 'B', false);
      if (a.a.length !== M * K) c.range(`A has length ${a.a.length} but m × k = ${M} × ${K} needs ${M * K}`);
      if (b.a.length !== K * N) c.range(`B has length ${b.a.length} but k × n = ${K} × ${N} needs ${K * N}`);
      const op = c.opts(o);
      const C = c.output(op, rdt(a), M * N);
      c.disjoint(
        C,
        [
          [a, 'A'],
          [b, 'B'],
        ],
        'none',
      );
      const beta = op.out ? op.beta : 0;
      const [pa, pb, pc, row] = place(
        input(a),
        input(b),
        { dt: a.dt, n: M * N, c: { dt: a.dt, a: C, typed: true } },
        { dt: 'f64', n: N },
      );
      fn(`gemm_${a.dt}`)(M, N, K, op.alpha, pa!, pb!, beta, pc!, row!);
      return back(C, a.dt, pc!);
    },
    conv1d(x: unknown, w: unknown, o?: unknown): Out {
      const c = new Check('conv1d');
      const X = c.array(x, 'x');
      const W = c.array(w, 'w');
      c.noInt(X);
      c.same(X, W, 'x', 'w', false);
      const k = W.a.length;
      if (k === 0) c.range('w is empty; pass at least one weight');
      if (k > X.a.length)
        c.range(`w has length ${k} but x only ${X.a.length}; 'valid' correlation needs w no longer than x`);
      const out = c.output(c.opts(o), rdt(X), X.a.length - k + 1);
      c.disjoint(
        out,
        [
          [X, 'x'],
          [W, 'w'],
        ],
        'none',
      );
      const [px, pw, po] = place(input(X), input(W), { dt: X.dt, n: out.length });
      fn(`conv1d_${X.dt}`)(px!, X.a.length, pw!, k, po!);
      return back(out, X.dt, po!);
    },
    stencil2d(src: unknown, rows: unknown, cols: unknown, weights: unknown, o?: unknown): Out {
      const c = new Check('stencil2d');
      const S = c.array(src, 'src');
      const R = c.size(rows, 'rows');
      const C = c.size(cols, 'cols');
      const W = c.array(weights, 'weights');
      c.noInt(S);
      c.same(S, W, 'src', 'weights', false);
      if (S.a.length !== R * C)
        c.range(`src has length ${S.a.length} but rows × cols = ${R} × ${C} needs ${R * C}`);
      if (W.a.length !== 9 && W.a.length !== 25)
        c.range(`weights has length ${W.a.length}; pass 9 (3×3) or 25 (5×5) weights, row-major`);
      const out = c.output(c.opts(o), rdt(S), S.a.length);
      c.disjoint(
        out,
        [
          [S, 'src'],
          [W, 'weights'],
        ],
        'none',
      );
      const [ps, pw, po] = place(input(S), input(W), { dt: S.dt, n: S.a.length });
      fn(`stencil_${S.dt}`)(ps!, R, C, pw!, W.a.length === 9 ? 1 : 2, po!);
      return back(out, S.dt, po!);
    },
  };
  const info = (): KernelInfo => ({
    backend: 'wasm',
    simd: 'wasm-simd128',
    simdLevels: ['wasm-simd128'],
    threads: 1,
    parallelThresholdBytes: Infinity,
    path,
  });
  const noop = fn('noop');
  return {
    ...withAsync(r as unknown as Routines),
    backend: 'wasm',
    tried,
    info,
    setSimdLevel: (level: string) => {
      if (level !== 'wasm-simd128' && level !== 'best')
        throw new RangeError(
          `hotloop kernels.setSimdLevel: '${level}' is not available on the wasm backend; available: wasm-simd128`,
        );
      return 'wasm-simd128';
    },
    noop: () => {
      noop();
    },
  };
}
