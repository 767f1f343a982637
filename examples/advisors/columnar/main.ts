// The columnar advisor's example program: generates a day of trades as CSV (argv[2] rows, default
// 200 000; seed argv[3], default 20), prints the desk report (stdout) — identical before and after
// the rewrite — and the time it took (stderr).
import { makeCsv } from './data.js';
import { report } from './report.js';

const rows = Number(process.argv[2] ?? 200_000);
const csv = makeCsv(rows, Number(process.argv[3] ?? 20));
const t0 = performance.now();
const lines = report(csv);
const t1 = performance.now();
for (const l of lines) console.log(l);
console.error(`report ${(t1 - t0).toFixed(0)} ms for ${rows} trades`);
