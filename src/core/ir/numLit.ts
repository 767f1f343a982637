// Number literals of the IR: non-finite values are spelled as strings so kernels survive JSON.
import type { NumLit } from './types.js';

/** The number a literal stands for. */
export function numLitValue(v: NumLit): number {
  switch (v) {
    case 'NaN':
      return NaN;
    case 'Infinity':
      return Infinity;
    case '-Infinity':
      return -Infinity;
    default:
      return v;
  }
}

/** The literal for a number (non-finite values as their string spelling). */
export function toNumLit(v: number): NumLit {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  return v;
}

/** JS source text of a number that reads back as exactly the same value (`-0`, `NaN`, `Infinity` included). */
export function numLitSource(v: NumLit): string {
  const x = numLitValue(v);
  if (Object.is(x, -0)) return '-0';
  return String(x);
}
