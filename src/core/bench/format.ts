// Human formatting shared by the CLI, the exports and the webview (no Node or DOM APIs here).

/** "812 ns", "3.41 µs", "12.3 ms", "1.20 s". */
export function fmtTime(ns: number): string {
  if (!Number.isFinite(ns)) return '–';
  const units: [number, string][] = [[1e9, 's'], [1e6, 'ms'], [1e3, 'µs'], [1, 'ns']];
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
