// The AssemblyScript helpers every wasm kernel module starts with. They give the kernel JS's
// number semantics: out-of-bounds reads are NaN (JS reads `undefined`), out-of-bounds writes are
// dropped (as typed arrays drop them), stores convert as typed arrays convert, and the transcendental
// Math functions are the host's own (imported), so results match the original bit for bit.

/** Host Math functions the kernels may call (imports are only emitted for the ones used). */
export const JS_MATH_1 = [
  'cbrt',
  'exp',
  'expm1',
  'log',
  'log1p',
  'log2',
  'log10',
  'sin',
  'cos',
  'tan',
  'asin',
  'acos',
  'atan',
  'sinh',
  'cosh',
  'tanh',
  'round',
] as const;
export const JS_MATH_2 = ['atan2', 'pow'] as const;

function imports(): string {
  const lines = [
    ...JS_MATH_1.map((f) => `@external("Math", "${f}") declare function js_${f}(x: f64): f64;`),
    ...JS_MATH_2.map((f) => `@external("Math", "${f}") declare function js_${f}(x: f64, y: f64): f64;`),
  ];
  for (let n = 1; n <= 8; n++) {
    const params = Array.from({ length: n }, (_, i) => `x${i}: f64`).join(', ');
    lines.push(`@external("Math", "hypot") declare function js_hypot${n}(${params}): f64;`);
  }
  return lines.join('\n');
}

export const PRELUDE = `// Host Math functions: the same implementation as the original JS (V8 calls them directly).
${imports()}

/** JS ToInt32: the number modulo 2^32 as a signed 32-bit integer (NaN and ±Infinity give 0). */
@inline function toInt32(x: f64): i32 {
  return isFinite(x) ? <i32>(<i64>(x % 4294967296.0)) : 0;
}

/** JS truthiness of a number: false for 0, -0 and NaN. */
@inline function truthy(x: f64): bool {
  return x != 0.0 && x == x;
}

/** JS \`a && b\` on numbers. */
@inline function jsAnd(a: f64, b: f64): f64 {
  return truthy(a) ? b : a;
}

/** JS \`a || b\` on numbers. */
@inline function jsOr(a: f64, b: f64): f64 {
  return truthy(a) ? a : b;
}

/** JS Math.sign (keeps -0 and NaN). */
@inline function jsSign(x: f64): f64 {
  return x > 0.0 ? 1.0 : x < 0.0 ? -1.0 : x;
}

/** Uint8ClampedArray conversion: clamp to [0, 255], round half to even, NaN to 0. */
@inline function clampU8(x: f64): u8 {
  return x > 0.0 ? (x < 255.0 ? <u8>nearest<f64>(x) : 255) : 0;
}

/** Element index \`i\` of an array of \`len\` elements, or -1 where JS would read \`undefined\`. */
@inline function at(i: i64, len: i32): i32 {
  return <u64>i < <u64>len ? <i32>i : -1;
}

/** Element index for a computed (floating-point) index: -1 unless it is an integer in range. */
@inline function atF(x: f64, len: i32): i32 {
  return x >= 0.0 && x < <f64>len && floor<f64>(x) == x ? <i32>x : -1;
}

@inline function getF64(p: usize, k: i32): f64 { return k < 0 ? NaN : load<f64>(p + (<usize>k << 3)); }
@inline function getF32(p: usize, k: i32): f64 { return k < 0 ? NaN : <f64>load<f32>(p + (<usize>k << 2)); }
@inline function getI32(p: usize, k: i32): f64 { return k < 0 ? NaN : <f64>load<i32>(p + (<usize>k << 2)); }
@inline function getU32(p: usize, k: i32): f64 { return k < 0 ? NaN : <f64>load<u32>(p + (<usize>k << 2)); }
@inline function getI16(p: usize, k: i32): f64 { return k < 0 ? NaN : <f64>load<i16>(p + (<usize>k << 1)); }
@inline function getU16(p: usize, k: i32): f64 { return k < 0 ? NaN : <f64>load<u16>(p + (<usize>k << 1)); }
@inline function getI8(p: usize, k: i32): f64 { return k < 0 ? NaN : <f64>load<i8>(p + <usize>k); }
@inline function getU8(p: usize, k: i32): f64 { return k < 0 ? NaN : <f64>load<u8>(p + <usize>k); }

@inline function setF64(p: usize, k: i32, v: f64): void { if (k >= 0) store<f64>(p + (<usize>k << 3), v); }
@inline function setF32(p: usize, k: i32, v: f64): void { if (k >= 0) store<f32>(p + (<usize>k << 2), <f32>v); }
@inline function setI32(p: usize, k: i32, v: f64): void { if (k >= 0) store<i32>(p + (<usize>k << 2), toInt32(v)); }
@inline function setI16(p: usize, k: i32, v: f64): void { if (k >= 0) store<i16>(p + (<usize>k << 1), <i16>toInt32(v)); }
@inline function setI8(p: usize, k: i32, v: f64): void { if (k >= 0) store<i8>(p + <usize>k, <i8>toInt32(v)); }
@inline function setU8C(p: usize, k: i32, v: f64): void { if (k >= 0) store<u8>(p + <usize>k, clampU8(v)); }

/**
 * Arrays of rows arrive as the rows' elements one after another (\`_ptr\`), the rows' start offsets
 * (\`_off\`: one more than rows, i32) and the row count. A missing row is a TypeError in JS, at once:
 * the kernel records what it was doing (1 reading an element, 2 setting one, 3 reading length) and the
 * column, and traps; the runtime throws JS's TypeError.
 */
let rowFaultKind: i32 = 0;
let rowFaultKey: f64 = 0;
function rowFault(kind: i32, key: f64): void {
  rowFaultKind = kind;
  rowFaultKey = key;
  unreachable();
}
export function hotloopRowFault(): i32 {
  const kind = rowFaultKind;
  rowFaultKind = 0;
  return kind;
}
export function hotloopRowFaultKey(): f64 {
  return rowFaultKey;
}
/** Element index of [r][c] in the rows' elements (r: the checked row index, -1 when missing); -1 when c is outside the row. */
@inline function cellI(off: usize, r: i32, c: i64, kind: i32): i32 {
  if (r < 0) rowFault(kind, <f64>c);
  const s = load<i32>(off + (<usize>r << 2));
  const n = load<i32>(off + (<usize>r << 2), 4) - s;
  return <u64>c < <u64>n ? s + <i32>c : -1;
}
@inline function cellF(off: usize, r: i32, c: f64, kind: i32): i32 {
  if (r < 0) rowFault(kind, c);
  const s = load<i32>(off + (<usize>r << 2));
  const n = load<i32>(off + (<usize>r << 2), 4) - s;
  return c >= 0.0 && c < <f64>n && floor<f64>(c) == c ? s + <i32>c : -1;
}
/** The length of row r (r checked: -1 when missing). */
@inline function rowLen(off: usize, r: i32): i32 {
  if (r < 0) rowFault(3, 0.0);
  return load<i32>(off + (<usize>r << 2), 4) - load<i32>(off + (<usize>r << 2));
}

/** Memory for the JS side (arrays used in place, and scratch space for copies). */
export function hotloopAlloc(bytes: usize): usize {
  return heap.alloc(bytes);
}

/** Gives back memory from hotloopAlloc (the stub runtime reuses only the last block). */
export function hotloopFree(ptr: usize): void {
  heap.free(ptr);
}
`;
