// Number formatting for people, in one place: the CLI, the reports, the extension's lenses and the
// webview all print with these (no Node or DOM APIs here, so every bundle can take it).

/** 0.41 → "41 %", 0.012 → "1.2 %". */
export const pct = (x: number): string => `${x >= 0.095 ? Math.round(x * 100) : (x * 100).toFixed(1)} %`;

/** 2100000 → "2.1 M". */
export function compact(n: number): string {
  const units: [number, string][] = [
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [size, unit] of units)
    if (Math.abs(n) >= size) return `${(n / size).toFixed(n / size >= 100 ? 0 : 1)} ${unit}`;
  return n.toFixed(n >= 100 ? 0 : 1);
}

/** "812 ns", "3.41 µs", "12.3 ms", "1.20 s". */
export function fmtTime(ns: number): string {
  if (!Number.isFinite(ns)) return '–';
  const units: [number, string][] = [
    [1e9, 's'],
    [1e6, 'ms'],
    [1e3, 'µs'],
    [1, 'ns'],
  ];
  for (const [scale, unit] of units) {
    if (ns >= scale || unit === 'ns') {
      const v = ns / scale;
      return `${v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)} ${unit}`;
    }
  }
  return `${ns} ns`;
}

/** "1,000,000" */
export function fmtInt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** A speedup ratio with as many digits as it deserves: "123", "12.3", "1.23", "0.012". */
export function fmtRatio(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x >= 100) return x.toFixed(0);
  if (x >= 10) return x.toFixed(1);
  if (x >= 0.1) return x.toFixed(2);
  return x.toPrecision(2);
}

/** A size: "5,000", "1e6", "2.5e7" (∞ for a crossover that never comes). */
export function formatN(n: number): string {
  if (!Number.isFinite(n)) return '∞';
  if (n < 1e5) return Math.round(n).toLocaleString('en-US');
  const e = Math.floor(Math.log10(n));
  const m = (n / 10 ** e).toFixed(1).replace(/\.0$/, '');
  return m === '1' ? `1e${e}` : `${m}e${e}`;
}

/** A predicted speedup: "14×", "2.8×", "0.02×". */
export function formatSpeedup(s: number): string {
  return s >= 10 ? `${Math.round(s)}×` : s >= 0.1 ? `${s.toFixed(1)}×` : `${s.toPrecision(1)}×`;
}

/** A share 0..1 as a percentage: one decimal, two significant digits under 1 % (0.04 %, not 0.0 %). */
export function formatShare(x: number): string {
  const p = x * 100;
  return `${p > 0 && p < 1 ? p.toPrecision(2) : p.toFixed(1)} %`;
}
