// The wasm target's fixed JS-side runtime: loads the module once, allocates arrays in wasm memory,
// and calls a kernel in place (arrays already in wasm memory) or with copies (anything else).

/** `runtime.ts` of a wasm scaffold. */
export const WASM_RUNTIME_TS = `import { readFileSync, realpathSync } from 'node:fs';
import { fallback, findArtefact, searched } from './locate.js';

export type DType = 'f64' | 'f32' | 'i32' | 'u32' | 'i16' | 'u16' | 'i8' | 'u8' | 'u8c';

/** A typed array of any element type. */
export type Typed =
  | Float64Array
  | Float32Array
  | Int32Array
  | Uint32Array
  | Int16Array
  | Uint16Array
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray;

/** How the kernel takes each argument. */
export type ArgSpec =
  | { readonly kind: 'array'; readonly dtype: DType; readonly write: boolean }
  /** An array of rows: copied in as the rows one after another plus their offsets (i32), written rows copied back. */
  | { readonly kind: 'rows'; readonly dtype: DType; readonly write: boolean }
  | { readonly kind: 'scalar'; readonly int: boolean };

/** How the last call ran: in place on wasm memory, with copies in and out, or the original JS. */
export type CallMode = 'in-place' | 'copied' | 'original';

type KernelFn = (...args: number[]) => number | undefined;

// The few WebAssembly JS API types used here, declared locally: a host project without the DOM lib
// (most Node projects) has no global WebAssembly types, and this file must type-check there too.
interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
interface WasmModule {
  readonly __brand?: 'WebAssembly.Module';
}
interface WasmInstance {
  readonly exports: Record<string, unknown>;
}
interface WasmApi {
  readonly Module: new (bytes: Uint8Array) => WasmModule;
  readonly Instance: new (module: WasmModule, imports: Record<string, Record<string, unknown>>) => WasmInstance;
}
const wasmApi = (globalThis as unknown as { readonly WebAssembly: WasmApi }).WebAssembly;

interface Loaded {
  readonly memory: WasmMemory;
  readonly exports: Record<string, unknown>;
  readonly alloc: (bytes: number) => number;
  readonly free: (ptr: number) => void;
  /** Every SharedArrayBuffer the (shared, growing) memory has been seen as: views on them are in wasm memory. */
  readonly buffers: WeakSet<ArrayBufferLike>;
  /** The memory's current buffer; refreshed after every allocation (only allocations grow the memory). */
  buffer: ArrayBuffer;
  scratch: { ptr: number; bytes: number };
}

const CTOR = {
  f64: Float64Array,
  f32: Float32Array,
  i32: Int32Array,
  u32: Uint32Array,
  i16: Int16Array,
  u16: Uint16Array,
  i8: Int8Array,
  u8: Uint8Array,
  u8c: Uint8ClampedArray,
} as const;

/** Modules loaded by path: wrappers of one module share one instance. */
const instances = new Map<string, Loaded | Error>();

function instantiate(file: string): Loaded {
  const module = new wasmApi.Module(readFileSync(file));
  const instance = new wasmApi.Instance(module, {
    env: {
      abort: (_msg: number, _file: number, line: number, column: number) => {
        throw new Error('hotloop: wasm kernel aborted at ' + String(line) + ':' + String(column));
      },
    },
    // The kernels call the host's Math for transcendental functions: the same results as the original.
    Math: Math as unknown as Record<string, unknown>,
  });
  const exports = instance.exports as Record<string, unknown>;
  const memory = exports.memory as WasmMemory;
  const loaded: Loaded = {
    memory,
    exports,
    alloc: exports.hotloopAlloc as (bytes: number) => number,
    free: exports.hotloopFree as (ptr: number) => void,
    buffers: new WeakSet([memory.buffer]),
    buffer: memory.buffer,
    scratch: { ptr: 0, bytes: 0 },
  };
  return loaded;
}

/** The runtime of one scaffolded kernel. */
export class WasmRuntime {
  /** How the last call ran. */
  lastMode: CallMode = 'original';
  private readonly kernel: string;
  private loaded: Loaded | undefined;

  /** \`kernel\`: the export's name; the module (kernel.wasm) is found beside this file or in its dist/. */
  constructor(kernel: string) {
    this.kernel = kernel;
  }

  /** The loaded module, or undefined (reported by \`fallback\`: a warning, or an error under HOTLOOP_STRICT=1). */
  load(): Loaded | undefined {
    if (this.loaded) return this.loaded;
    const file = findArtefact('kernel.wasm');
    if (!file) {
      fallback(this.kernel, 'wasm', 'kernel.wasm not found (looked in ' + searched('kernel.wasm') + '); build the folder with npm run build');
      return undefined;
    }
    const key = realpathSync(file);
    let loaded = instances.get(key);
    if (!loaded) {
      try {
        loaded = instantiate(key);
      } catch (err) {
        loaded = err instanceof Error ? err : new Error(String(err));
      }
      instances.set(key, loaded);
    }
    if (loaded instanceof Error) {
      fallback(this.kernel, 'wasm', 'kernel.wasm could not load: ' + loaded.message);
      return undefined;
    }
    this.loaded = loaded;
    return loaded;
  }

  /** A typed array in wasm memory: pass it to the wrapper and the kernel works on it in place. */
  alloc<D extends DType>(dtype: D, length: number): InstanceType<(typeof CTOR)[D]> {
    const m = this.load();
    if (!m) throw new Error('hotloop: the wasm module of ' + this.kernel + ' did not load; allocate an ordinary array instead');
    const ctor = CTOR[dtype];
    const ptr = m.alloc(Math.max(8, length * ctor.BYTES_PER_ELEMENT));
    m.buffer = m.memory.buffer;
    m.buffers.add(m.buffer);
    return new ctor(m.buffer, ptr, length) as InstanceType<(typeof CTOR)[D]>;
  }

  /**
   * Calls the kernel; undefined when the fast path cannot take these arguments (module missing,
   * a non-integer size, arrays that overlap) and the caller should run the original.
   */
  call(name: string, specs: readonly ArgSpec[], args: readonly (number | Typed | number[] | readonly (Typed | number[])[])[]): { value: number | undefined } | undefined {
    const m = this.load();
    const fn = m?.exports[name] as KernelFn | undefined;
    if (!m) {
      this.lastMode = 'original';
      return undefined;
    }
    if (!fn || overlaps(m, specs, args)) {
      this.lastMode = 'original';
      fallback(this.kernel, 'wasm', fn ? 'arrays that share memory, one of them written' : 'the module has no export ' + name);
      return undefined;
    }
    // Sizes of the copies, in one scratch block (8-byte aligned each).
    let bytes = 0;
    specs.forEach((s, k) => {
      const a = args[k];
      if (s.kind === 'array' && !inPlace(m, a, s.dtype)) bytes += align8((a as Typed | number[]).length * CTOR[s.dtype].BYTES_PER_ELEMENT);
      if (s.kind === 'rows') bytes += rowsBytes(a as readonly (Typed | number[])[], s.dtype);
    });
    if (bytes > m.scratch.bytes) {
      if (m.scratch.bytes) m.free(m.scratch.ptr);
      const size = Math.max(bytes, 2 * m.scratch.bytes);
      m.scratch = { ptr: m.alloc(size), bytes: size };
      m.buffer = m.memory.buffer;
      m.buffers.add(m.buffer);
    }
    const buffer = m.buffer;
    const flat: number[] = [];
    const copies: { target: Typed | number[]; view: Typed }[] = [];
    let cursor = m.scratch.ptr;
    const fault = m.exports.hotloopRowFault as (() => number) | undefined;
    for (let k = 0; k < specs.length; k++) {
      const s = specs[k];
      const a = args[k];
      if (s.kind === 'scalar') {
        const v = a as number;
        if (s.int && !(Number.isInteger(v) && Math.abs(v) < 2 ** 31)) {
          this.lastMode = 'original';
          fallback(this.kernel, 'wasm', 'a size or index argument that is not a 32-bit integer');
          return undefined;
        }
        flat.push(v);
        continue;
      }
      if (s.kind === 'rows') {
        cursor = placeRows(buffer, cursor, a as readonly (Typed | number[])[], s, flat, copies);
        continue;
      }
      const arr = a as Typed | number[];
      if (inPlace(m, arr, s.dtype)) {
        flat.push((arr as Typed).byteOffset, arr.length);
        continue;
      }
      const view = new CTOR[s.dtype](buffer, cursor, arr.length);
      view.set(arr);
      if (s.write) copies.push({ target: arr, view });
      flat.push(cursor, arr.length);
      cursor += align8(arr.length * CTOR[s.dtype].BYTES_PER_ELEMENT);
    }
    let value: number | undefined;
    try {
      value = fn(...flat);
    } catch (err) {
      // A missing row traps: JS would have thrown this TypeError there, after the writes made so far.
      const kind = fault ? fault() : 0;
      if (!kind) throw err;
      copyBack(copies);
      const key = kind === 3 ? 'length' : String((m.exports.hotloopRowFaultKey as () => number)());
      throw new TypeError(kind === 2 ? "Cannot set properties of undefined (setting '" + key + "')" : "Cannot read properties of undefined (reading '" + key + "')");
    }
    copyBack(copies);
    this.lastMode = bytes ? 'copied' : 'in-place';
    return { value };
  }
}

function align8(n: number): number {
  return (n + 7) & ~7;
}

function copyBack(copies: readonly { target: Typed | number[]; view: Typed }[]): void {
  for (const { target, view } of copies) {
    if (Array.isArray(target)) for (let i = 0; i < view.length; i++) target[i] = view[i]!;
    else target.set(view);
  }
}

/** Scratch bytes of an array of rows: the elements, then the offsets (8-byte aligned each). */
function rowsBytes(rows: readonly ArrayLike<number>[], dtype: DType): number {
  let n = 0;
  for (const r of rows) n += r.length;
  return align8(n * CTOR[dtype].BYTES_PER_ELEMENT) + align8((rows.length + 1) * 4);
}

/** Copies an array of rows in at \`cursor\` (elements, then offsets); pushes (pointer, offsets, rows); returns the next cursor. */
function placeRows(
  buffer: ArrayBuffer,
  cursor: number,
  rows: readonly (Typed | number[])[],
  s: { readonly dtype: DType; readonly write: boolean },
  flat: number[],
  copies: { target: Typed | number[]; view: Typed }[],
): number {
  const ctor = CTOR[s.dtype];
  let total = 0;
  for (const r of rows) total += r.length;
  const offPtr = cursor + align8(total * ctor.BYTES_PER_ELEMENT);
  const offsets = new Int32Array(buffer, offPtr, rows.length + 1);
  let at = 0;
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    offsets[r] = at;
    const view = new ctor(buffer, cursor + at * ctor.BYTES_PER_ELEMENT, row.length);
    view.set(row);
    if (s.write) copies.push({ target: row, view });
    at += row.length;
  }
  offsets[rows.length] = at;
  flat.push(cursor, offPtr, rows.length);
  return offPtr + align8((rows.length + 1) * 4);
}

function inWasm(m: Loaded, a: unknown): boolean {
  return ArrayBuffer.isView(a) && m.buffers.has(a.buffer);
}

/** In wasm memory and of the kernel's element type: used in place (another type is converted into a copy). */
function inPlace(m: Loaded, a: unknown, dtype: DType): boolean {
  return inWasm(m, a) && a instanceof CTOR[dtype];
}

/** True when two array arguments share memory and one is written (the copies would change the result). */
function overlaps(m: Loaded, specs: readonly ArgSpec[], args: readonly unknown[]): boolean {
  const ranges: { home: unknown; from: number; to: number; write: boolean }[] = [];
  specs.forEach((s, k) => {
    const a = args[k];
    if (s.kind === 'scalar') return;
    if (ArrayBuffer.isView(a)) {
      const home = m.buffers.has(a.buffer) ? m.memory : a.buffer;
      ranges.push({ home, from: a.byteOffset, to: a.byteOffset + a.byteLength, write: s.write });
    } else {
      ranges.push({ home: a, from: 0, to: 1, write: s.write });
    }
  });
  for (let x = 0; x < ranges.length; x++) {
    for (let y = x + 1; y < ranges.length; y++) {
      const p = ranges[x];
      const q = ranges[y];
      if (p.home === q.home && (p.write || q.write) && p.from < q.to && q.from < p.to) return true;
    }
  }
  return false;
}
`;
