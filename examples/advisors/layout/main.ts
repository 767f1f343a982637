// The layout example program: fits a line to argv[2] readings (default 400 000) in argv[3] epochs
// (default 40) and prints the fit (stdout) — identical before and after the layout rewrite.
import { makeReadings } from './data.js';
import { fitLine } from './fit.js';

const n = Number(process.argv[2] ?? 400_000);
const epochs = Number(process.argv[3] ?? 40);
const readings = makeReadings(n);
const t0 = performance.now();
const [a, b] = fitLine(readings, epochs);
console.error(`fit ${(performance.now() - t0).toFixed(0)} ms`);
console.log(`readings ${n}  epochs ${epochs}`);
console.log(`a ${a}`);
console.log(`b ${b}`);
