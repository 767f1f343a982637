// Argument checks for the wasm and TypeScript backends, mirroring native/src/args.h: the same
// TypeError / RangeError for the same bad input whichever backend loaded.

export type DType = 'f64' | 'f32' | 'i32';

export interface Checked {
  dt: DType;
  /** The input itself (a typed array view or the number[]). */
  a: ArrayLike<number>;
  typed: boolean;
}

const kind = (v: unknown): string => {
  if (v === undefined) return 'undefined';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name}`;
  if (v instanceof ArrayBuffer) return 'an ArrayBuffer (wrap it in a Float64Array view)';
  const t = typeof v;
  return t === 'object' ? 'an object' : `a ${t}`;
};

export class Check {
  private readonly seen: [ArrayLike<number>, number, string][] = [];
  constructor(private readonly fn: string) {}

  type(msg: string): never {
    throw new TypeError(`hotloop kernels.${this.fn}: ${msg}`);
  }
  range(msg: string): never {
    throw new RangeError(`hotloop kernels.${this.fn}: ${msg}`);
  }

  array(v: unknown, name: string, allowList = true): Checked {
    if (v instanceof Float64Array || v instanceof Float32Array || v instanceof Int32Array) {
      if (v.length === 0 && isDetached(v.buffer))
        this.type(
          `${name}'s ArrayBuffer is detached (it was transferred to a worker or structuredClone'd with transfer); pass an array whose buffer is still owned by this thread`,
        );
      this.seen.push([v, v.length, name]);
      return {
        dt: v instanceof Float64Array ? 'f64' : v instanceof Float32Array ? 'f32' : 'i32',
        a: v,
        typed: true,
      };
    }
    if (ArrayBuffer.isView(v) && !(v instanceof DataView))
      this.type(
        `${name} is ${kind(v)}; pass a Float64Array, Float32Array or Int32Array (convert with Float64Array.from(x))`,
      );
    if (Array.isArray(v) && allowList) {
      for (let i = 0; i < v.length; i++)
        if (typeof v[i] !== 'number')
          this.type(`${name}[${i}] is ${kind(v[i])}; every element of a number[] must be a number`);
      return { dt: 'f64', a: v as number[], typed: false };
    }
    return this.type(
      `${name} is ${kind(v)}; ${allowList ? 'pass a Float64Array, Float32Array, Int32Array or number[]' : 'pass a Float64Array or Float32Array (it is written in place)'}`,
    );
  }

  number(v: unknown, name: string): number {
    if (typeof v !== 'number') this.type(`${name} is ${kind(v)}; pass a number`);
    return v;
  }
  finite(v: unknown, name: string): number {
    const d = this.number(v, name);
    if (!Number.isFinite(d)) this.range(`${name} must be finite, got ${d}`);
    return d;
  }
  size(v: unknown, name: string): number {
    const d = this.number(v, name);
    if (!(d >= 0) || !Number.isInteger(d) || d > 2 ** 40)
      this.range(`${name} must be a non-negative integer, got ${d}`);
    return d;
  }

  same(x: Checked, y: Checked, xn: string, yn: string, lengths = true): void {
    if (x.dt !== y.dt)
      this.type(
        `${xn} is a ${arrayName(x.dt)} but ${yn} is a ${arrayName(y.dt)}; both must have the same element type (a number[] counts as Float64Array)`,
      );
    if (lengths && x.a.length !== y.a.length)
      this.range(`${xn} has length ${x.a.length} but ${yn} has length ${y.a.length}; they must match`);
  }
  noInt(x: Checked): void {
    if (x.dt === 'i32')
      this.type(`${this.fn} does not support Int32Array input; convert with Float64Array.from(x)`);
  }

  opts(v: unknown): {
    threads?: number;
    out?: Checked;
    outObj?: unknown;
    alpha: number;
    beta: number;
    ddof: number;
  } {
    if (v === undefined) return { alpha: 1, beta: 0, ddof: 0 };
    if (typeof v !== 'object' || v === null || Array.isArray(v) || ArrayBuffer.isView(v))
      this.type(`options is ${kind(v)}; pass an object like { threads: 2 } or leave it out`);
    const o = v as Record<string, unknown>;
    const r: {
      threads?: number;
      out?: Checked;
      outObj?: unknown;
      alpha: number;
      beta: number;
      ddof: number;
    } = { alpha: 1, beta: 0, ddof: 0 };
    if (o.threads !== undefined) {
      if (typeof o.threads !== 'number')
        this.type(`options.threads is ${kind(o.threads)}; pass an integer from 1 to 256`);
      if (!(o.threads >= 1 && o.threads <= 256) || !Number.isInteger(o.threads))
        this.range(`options.threads must be an integer from 1 to 256, got ${o.threads}`);
      r.threads = o.threads;
    }
    if (o.out !== undefined) {
      if (!ArrayBuffer.isView(o.out))
        this.type(`options.out is ${kind(o.out)}; pass a typed array to write into`);
      r.out = this.array(o.out, 'options.out', false);
      r.outObj = o.out;
    }
    for (const key of ['alpha', 'beta', 'ddof'] as const) {
      const x = o[key];
      if (x === undefined) continue;
      if (typeof x !== 'number') this.type(`options.${key} is ${kind(x)}; pass a finite number`);
      if (!Number.isFinite(x)) this.range(`options.${key} must be finite, got ${x}`);
      r[key] = x;
    }
    if (r.ddof < 0 || !Number.isInteger(r.ddof))
      this.range(`options.ddof must be a non-negative integer, got ${r.ddof}`);
    // Reading options ran getters: an array taken before may have been detached meanwhile.
    for (const [a, len, name] of this.seen)
      if (a.length !== len)
        this.type(
          `${name}'s ArrayBuffer was detached or resized while the arguments were read (by an options getter?); pass arrays that stay attached for the whole call`,
        );
    return r;
  }

  /**
   * Rejects options.out sharing bytes with an input, like the addon: 'exact' allows the input itself
   * (elementwise routines compute in place), 'none' allows no overlap (gemv, gemm, conv1d, stencil2d
   * read neighbours of what they write).
   */
  disjoint(out: ArrayLike<number>, inputs: [Checked, string][], allow: 'exact' | 'none'): void {
    for (const [x, name] of inputs) {
      if (!sharesBytes(out, x.a)) continue;
      if (allow === 'exact' && sameView(out, x.a)) continue;
      if (allow === 'exact')
        this.range(
          'options.out partially overlaps an input; pass the input itself (in place) or a separate array',
        );
      this.range(`options.out overlaps ${name}; pass a separate output array`);
    }
  }

  /** options.out checked, or a new array of dt and n. */
  output(o: { out?: Checked; outObj?: unknown }, dt: DType, n: number): Float64Array | Float32Array {
    if (o.out) {
      if (o.out.dt !== dt)
        this.type(
          `options.out is a ${arrayName(o.out.dt)} but the result is a ${arrayName(dt)}; pass a ${arrayName(dt)}`,
        );
      if (o.out.a.length !== n)
        this.range(`options.out has length ${o.out.a.length} but the result needs ${n}`);
      return o.outObj as Float64Array | Float32Array;
    }
    return dt === 'f32' ? new Float32Array(n) : new Float64Array(n);
  }
}

export const arrayName = (dt: DType): string =>
  dt === 'f64' ? 'Float64Array' : dt === 'f32' ? 'Float32Array' : 'Int32Array';

/** Node 20 has no ArrayBuffer.prototype.detached; constructing a view over a detached buffer throws. */
function isDetached(b: ArrayBufferLike): boolean {
  try {
    new Uint8Array(b);
    return false;
  } catch {
    return true;
  }
}

type View = { buffer: ArrayBufferLike; byteOffset: number; byteLength: number };
const isView = (a: ArrayLike<number>): a is ArrayLike<number> & View => ArrayBuffer.isView(a);

function sharesBytes(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (!isView(a) || !isView(b) || a.buffer !== b.buffer || a.byteLength === 0 || b.byteLength === 0)
    return false;
  return a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength;
}

function sameView(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  return isView(a) && isView(b) && a.byteOffset === b.byteOffset && a.byteLength === b.byteLength;
}
