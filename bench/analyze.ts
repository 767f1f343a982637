// bench:analyze — time to produce code lenses for a generated 5,000-line TypeScript file through
// createAnalysisService: cold (first analysis after the TS compiler is loaded: lib files parsed,
// no program to reuse) and warm (a one-line edit, new document version). Budget: ≤ 150 ms warm.
//   npm run bench:analyze [-- --json]   (with --json the last line is one JSON object)
import { performance } from 'node:perf_hooks';
import { createAnalysisService, tsVersion } from '../src/core/analysis/index.js';
import { clearProgramCaches } from '../src/core/analysis/program.js';

const LINES = 5000;

/** Realistic numeric code: a rotation of kernels (translatable and not), ~20 lines each. */
function generate(lines: number): string {
  const parts: string[] = [
    '// generated for bench:analyze',
    'const TAPS = [0.25, 0.5, 0.25];',
    'function sq(x: number): number { return x * x; }',
    '',
  ];
  const templates = [
    (k: number) =>
      `export function sum${k}(xs: Float64Array): number {\n  let s = 0;\n  for (let i = 0; i < xs.length; i++) {\n    s += xs[i] * ${(k % 7) + 1};\n  }\n  return s;\n}\n`,
    (k: number) =>
      `export function variance${k}(xs: Float64Array): number {\n  const n = xs.length;\n  let m = 0;\n  for (let i = 0; i < n; i++) m += xs[i];\n  m /= n;\n  let v = 0;\n  for (const x of xs) {\n    v += sq(x - m);\n  }\n  return v / n;\n}\n`,
    (k: number) =>
      `export function smooth${k}(a: Float64Array, out: Float64Array, n: number): void {\n  for (let i = 1; i < n - 1; i++) {\n    out[i] = TAPS[0] * a[i - 1] + TAPS[1] * a[i] + TAPS[2] * a[i + 1];\n  }\n}\n`,
    (k: number) =>
      `export function gemv${k}(A: Float64Array, x: Float64Array, y: Float64Array, m: number, n: number): void {\n  for (let i = 0; i < m; i++) {\n    let s = 0;\n    for (let j = 0; j < n; j++) {\n      s += A[i * n + j] * x[j];\n    }\n    y[i] = s;\n  }\n}\n`,
    (k: number) =>
      `interface P${k} { x: number; y: number }\nexport function centroid${k}(ps: P${k}[]): number {\n  let cx = 0;\n  for (const p of ps) {\n    cx += p.x;\n  }\n  return cx / ps.length;\n}\n`,
    (k: number) =>
      `export function parseAll${k}(lines: string[]): number {\n  let t = 0;\n  for (let i = 0; i < lines.length; i++) {\n    t += Number.parseFloat(lines[i]);\n  }\n  return t;\n}\n`,
    (k: number) =>
      `export function scale${k}(xs: number[], f: number): number[] {\n  const out = xs.map((x) => x * f);\n  let i = 0;\n  while (i < out.length) {\n    out[i] = Math.max(0, out[i]);\n    i++;\n  }\n  return out;\n}\n`,
    (k: number) =>
      `export function prefix${k}(xs: Float32Array, out: Float32Array): void {\n  let acc = 0;\n  for (let i = 0; i < xs.length; i++) {\n    acc += xs[i];\n    out[i] = acc;\n    if (acc > ${k}) break;\n  }\n}\n`,
  ];
  let text = parts.join('\n');
  for (let k = 0; text.split('\n').length < lines; k++) text += `\n${templates[k % templates.length]!(k)}`;
  return text.split('\n').slice(0, lines).join('\n') + '\n';
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const text = generate(LINES);
const fileName = `${process.cwd()}/bench-generated-5000.ts`;
const json = process.argv.includes('--json');

// Cold: empty caches, a new service, first analysis of the file.
const cold: number[] = [];
const coldCpu: number[] = [];
let loops = 0;
/** Wall and CPU (user + system) milliseconds of `f`: on a loaded machine CPU time is the steadier figure. */
function timed(f: () => void, wall: number[], cpu: number[]): void {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  f();
  wall.push(performance.now() - t0);
  const c = process.cpuUsage(c0);
  cpu.push((c.user + c.system) / 1000);
}
for (let r = 0; r < 5; r++) {
  clearProgramCaches();
  const service = createAnalysisService({ resolveImports: false });
  timed(
    () => {
      loops = service.analyzeDocument({ fileName, version: 1, text }).loops.length;
    },
    cold,
    coldCpu,
  );
  service.dispose();
}

// Warm: one service; each repeat edits one line in the middle (a new document version).
const service = createAnalysisService({ resolveImports: false });
service.analyzeDocument({ fileName, version: 1, text });
const lines = text.split('\n');
const mid = lines.findIndex((l, k) => k > LINES / 2 && l.includes('s += xs[i] *'));
const warm: number[] = [];
const warmCpu: number[] = [];
for (let r = 0; r < 31; r++) {
  const edited = [...lines];
  edited[mid] = `    s += xs[i] * ${r + 2};`;
  timed(
    () => {
      service.analyzeDocument({ fileName, version: r + 2, text: edited.join('\n') });
    },
    warm,
    warmCpu,
  );
}
service.dispose();

const coldMs = median(cold);
const warmMs = median(warm);
console.log(
  `analysis of a generated ${LINES}-line file (${loops} loops), TypeScript ${tsVersion}, Node ${process.version}`,
);
console.log(
  `  cold (caches empty, new service): median ${coldMs.toFixed(1)} ms of ${cold.length} (min ${Math.min(...cold).toFixed(1)}, max ${Math.max(...cold).toFixed(1)})`,
);
console.log(
  `  warm (one-line edit, new version): median ${warmMs.toFixed(1)} ms of ${warm.length} (min ${Math.min(...warm).toFixed(1)}, max ${Math.max(...warm).toFixed(1)})`,
);
console.log(
  `  CPU time (user+system): cold median ${median(coldCpu).toFixed(1)} ms, warm median ${median(warmCpu).toFixed(1)} ms`,
);
console.log(
  `  budget ≤ 150 ms warm: ${warmMs <= 150 ? 'met' : 'NOT met'} (wall median; the machine may be shared and noisy)`,
);
if (json) {
  console.log(
    JSON.stringify({
      lens_ms_cold: Number(coldMs.toFixed(1)),
      lens_ms_warm: Number(warmMs.toFixed(1)),
      lines: LINES,
      lens_cpu_ms_cold: Number(median(coldCpu).toFixed(1)),
      lens_cpu_ms_warm: Number(median(warmCpu).toFixed(1)),
    }),
  );
}
