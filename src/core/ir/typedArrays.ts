// The arrays a kernel indexes: typed arrays of each dtype and the kernel's const tables as arrays.
import type { Kernel, KernelArg } from './types.js';
import { numLitValue } from './numLit.js';

/** An array as the kernel indexes it. */
export type Arr = Exclude<KernelArg, number>;

const constCache = new WeakMap<Kernel, readonly Arr[]>();

export function isArr(v: unknown): v is Arr {
  return Array.isArray(v) || ArrayBuffer.isView(v);
}

/** The const tables of a kernel as arrays (typed per dtype; `f64` tables are plain `number[]` like the source literal). */
export function constArrays(kernel: Kernel): readonly Arr[] {
  let out = constCache.get(kernel);
  if (!out) {
    out = kernel.consts.map((t) => {
      const vals = t.values.map(numLitValue);
      return t.dtype === 'f64' ? vals : typedArrayFrom(t.dtype, vals);
    });
    constCache.set(kernel, out);
  }
  return out;
}

/** Any typed array the IR passes. */
export type TypedArr = Exclude<Arr, number[]>;

/** A zero-filled typed array of the given dtype and length. */
export function typedArrayOf(dtype: Kernel['consts'][number]['dtype'], length: number): TypedArr {
  switch (dtype) {
    case 'f64':
      return new Float64Array(length);
    case 'f32':
      return new Float32Array(length);
    case 'i32':
      return new Int32Array(length);
    case 'u32':
      return new Uint32Array(length);
    case 'i16':
      return new Int16Array(length);
    case 'u16':
      return new Uint16Array(length);
    case 'i8':
      return new Int8Array(length);
    case 'u8':
      return new Uint8Array(length);
    case 'u8c':
      return new Uint8ClampedArray(length);
  }
}

/** A typed array of the given dtype holding `values` (converted as the typed array converts). */
export function typedArrayFrom(
  dtype: Kernel['consts'][number]['dtype'],
  values: readonly number[],
): TypedArr {
  switch (dtype) {
    case 'f64':
      return Float64Array.from(values);
    case 'f32':
      return Float32Array.from(values);
    case 'i32':
      return Int32Array.from(values);
    case 'u32':
      return Uint32Array.from(values);
    case 'i16':
      return Int16Array.from(values);
    case 'u16':
      return Uint16Array.from(values);
    case 'i8':
      return Int8Array.from(values);
    case 'u8':
      return Uint8Array.from(values);
    case 'u8c':
      return Uint8ClampedArray.from(values);
  }
}
