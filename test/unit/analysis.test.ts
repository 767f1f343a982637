// Loop analysis: loop kinds, stable ids, element types, verdicts and their reasons, inlining,
// constant tables, parse errors, the folder walk and the incremental service.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzePath, analyzeSource, createAnalysisService } from '../../src/core/analysis/index.js';
import type { FileAnalysis, LoopFacts } from '../../src/core/analysis/index.js';
import { validateKernel } from '../../src/core/ir/validate.js';

const verdictOf = (l: LoopFacts | undefined): string => {
  assert.ok(l, 'loop missing');
  return l.verdict.translatable ? `ok ${l.verdict.pattern}` : `no ${l.verdict.code}: ${l.verdict.reason}`;
};
const byFn = (a: FileAnalysis, fn: string, ordinal = 0): LoopFacts | undefined =>
  a.loops.find((l) => l.id.endsWith(`#${fn}/${ordinal}`));

describe('loop kinds and facts', () => {
  const src = `
export function kinds(xs: Float64Array, ys: number[], o: Record<string, number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  for (const y of ys) s += y;
  for (const k in o) s += 1;
  let j = 0;
  while (j < ys.length) { s += ys[j]; j++; }
  let k = 0;
  do { s += xs[k]; k++; } while (k < xs.length);
  ys.forEach((y) => { s += y; });
  s += ys.reduce((a, b) => a + b, 0);
  const zs = ys.map((y) => y * 2);
  const ws = ys.filter((y) => y > 0);
  return s + zs.length + ws.length;
}`;
  const a = analyzeSource('/tmp/w/src/kinds.ts', src, { rootDir: '/tmp/w' });

  test('every loop kind is found, in source order, with ids relative to rootDir', () => {
    assert.deepEqual(
      a.loops.map((l) => l.kind),
      ['for', 'for-of', 'for-in', 'while', 'do-while', 'forEach', 'reduce', 'map', 'filter'],
    );
    assert.deepEqual(
      a.loops.map((l) => l.id),
      a.loops.map((_, k) => `src/kinds.ts#kinds/${k}`),
    );
    assert.equal(a.loops[0]!.file, 'src/kinds.ts');
    assert.deepEqual(a.loops[0]!.range.start, { line: 3, character: 2 });
    assert.equal(a.loops[0]!.line, 4, 'the JSON carries the 1-based line beside the 0-based range');
    assert.equal(a.loops[0]!.tripCount, 'xs.length');
    assert.equal(a.loops[1]!.tripCount, 'ys.length');
  });

  test('element types come from the type checker', () => {
    assert.deepEqual(a.loops[0]!.arrays, [
      { name: 'xs', elementType: 'Float64Array', read: true, written: false },
    ]);
    assert.deepEqual(a.loops[1]!.arrays, [
      { name: 'ys', elementType: 'number[]', read: true, written: false },
    ]);
  });

  test('a numeric map() is a map kernel (a fresh output array); filter allocates; for…in is unsupported; the rest are reductions', () => {
    assert.equal(verdictOf(a.loops[2]), 'no unsupported-syntax: for…in iterates object keys');
    assert.equal(verdictOf(a.loops[7]), 'ok map');
    assert.ok(a.loops[7]!.kernel?.params.some((p) => p.kind === 'array' && p.fresh?.plain));
    assert.match(verdictOf(a.loops[8]), /^no allocates/);
    for (const k of [0, 1, 3, 4, 5, 6]) assert.equal(verdictOf(a.loops[k]), 'ok reduce', `loop ${k}`);
  });
});

describe('ids are stable under edits elsewhere', () => {
  const base = `export function f(xs: Float64Array) { let s = 0; for (let i = 0; i < xs.length; i++) s += xs[i]; return s; }
export function g(xs: Float64Array, out: Float64Array) {
  for (let i = 0; i < xs.length; i++) out[i] = xs[i] * 2;
  for (let i = 0; i < xs.length; i++) out[i] += 1;
}`;
  test('adding a function and loops above keeps the ids of g', () => {
    const before = analyzeSource('a.ts', base)
      .loops.filter((l) => l.functionName === 'g')
      .map((l) => l.id);
    const edited = `// a comment\nfunction h(n: number) { let t = 0; for (let i = 0; i < n; i++) t += i; while (t > 3) t--; return t; }\n${base}`;
    const after = analyzeSource('a.ts', edited)
      .loops.filter((l) => l.functionName === 'g')
      .map((l) => l.id);
    assert.deepEqual(after, before);
    assert.deepEqual(before, ['a.ts#g/0', 'a.ts#g/1']);
  });
  test('nested loops carry depth and parentId; methods are Class.method', () => {
    const a = analyzeSource(
      'b.ts',
      `class M { mul(a: Float64Array, b: Float64Array, c: Float64Array, n: number) {
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) { let s = 0; for (let k = 0; k < n; k++) s += a[i * n + k] * b[k * n + j]; c[i * n + j] = s; }
    } }`,
    );
    assert.deepEqual(
      a.loops.map((l) => [l.id, l.depth, l.parentId ?? '']),
      [
        ['b.ts#M.mul/0', 0, ''],
        ['b.ts#M.mul/1', 1, 'b.ts#M.mul/0'],
        ['b.ts#M.mul/2', 2, 'b.ts#M.mul/1'],
      ],
    );
    assert.equal(verdictOf(a.loops[0]), 'ok gemm');
    assert.equal(a.loops[0]!.kernel?.name, 'M_mul');
  });
});

describe('verdicts', () => {
  const cases: [string, string, RegExp][] = [
    [
      'calls',
      'function parse(s: string) { return Number(s); }\nexport function f(xs: string[]) { let t = 0; for (let i = 0; i < xs.length; i++) t += parse(xs[i]); return t; }',
      /^no (string-work|calls-function)/,
    ],
    [
      'calls-function',
      'declare function ext(x: number): number;\nexport function f(xs: Float64Array) { let t = 0; for (let i = 0; i < xs.length; i++) t += ext(xs[i]); return t; }',
      /^no calls-function: calls ext\(\)/,
    ],
    [
      'random',
      'export function f(xs: Float64Array) { for (let i = 0; i < xs.length; i++) xs[i] = Math.random(); }',
      /^no calls-function: calls Math\.random\(\)/,
    ],
    [
      'allocates',
      'export function f(xs: Float64Array) { let t = 0; for (let i = 0; i < xs.length; i++) { const p = [xs[i], 1]; t += p[0]; } return t; }',
      /^no allocates: allocates an array literal/,
    ],
    [
      'object-property',
      'export function f(ps: { x: number }[]) { let t = 0; for (const p of ps) t += p.x; return t; }',
      /^no object-property: reads property p\.x/,
    ],
    [
      'loop-carried',
      'export function f(xs: Float64Array) { let s = 1; for (let i = 0; i < xs.length; i++) s = s * s + xs[i]; return s; }',
      /^no loop-carried: loop-carried dependence on s \(not a reduction\)/,
    ],
    [
      'early-exit',
      'export function f(xs: Float64Array) { let s = 0; outer: for (let i = 0; i < xs.length; i++) { for (let j = 0; j < i; j++) { if (xs[j] < 0) break outer; s += xs[j]; } } return s; }',
      /^no early-exit: break outer inside/,
    ],
    [
      'break',
      'export function f(xs: Float64Array) { let s = 0; for (let i = 0; i < xs.length; i++) { if (xs[i] < 0) break; s += xs[i]; } return s; }',
      /^ok reduce/,
    ],
    [
      'string-work',
      'export function f(xs: Float64Array) { let s = ""; for (let i = 0; i < xs.length; i++) s += xs[i]; return s; }',
      /^no string-work/,
    ],
    [
      'await',
      'export async function f(urls: string[]) { for (const u of urls) await fetch(u); }',
      /^no await: await inside \(IO-bound pattern\)/,
    ],
    [
      'unknown-types',
      '// @ts-nocheck\nexport function f(xs, w) { let s = 0; for (let i = 0; i < xs.length; i++) s += xs[i] * w[i] * w; return s; }',
      /^no unknown-types: w has no type and is used both as a number and as an array/,
    ],
    [
      'unsupported-syntax',
      'export function f(xs: Float64Array) { let s = 0; for (let i = 0; i < xs.length; i++) { try { s += xs[i]; } catch { s = 0; } } return s; }',
      /^no unsupported-syntax: try statement/,
    ],
  ];
  for (const [name, src, want] of cases) {
    test(name, () => {
      const file = name === 'unknown-types' ? 'v.js' : 'v.ts';
      assert.match(verdictOf(analyzeSource(file, src).loops[0]), want);
    });
  }

  test('patterns: map, stencil, scan, gemv, conv, map-reduce, nested; float sums are order-sensitive', () => {
    const a = analyzeSource(
      'p.ts',
      `
export function scale(xs: Float64Array, out: Float64Array, k: number) { for (let i = 0; i < xs.length; i++) out[i] = xs[i] * k; }
export function blur(a: Float64Array, out: Float64Array, n: number) { for (let i = 1; i < n - 1; i++) out[i] = (a[i - 1] + a[i] + a[i + 1]) / 3; }
export function cumsum(xs: Float64Array, out: Float64Array) { let acc = 0; for (let i = 0; i < xs.length; i++) { acc += xs[i]; out[i] = acc; } }
export function gemv(A: Float64Array, x: Float64Array, y: Float64Array, m: number, n: number) { for (let i = 0; i < m; i++) { let s = 0; for (let j = 0; j < n; j++) s += A[i * n + j] * x[j]; y[i] = s; } }
export function fir(x: Float64Array, w: Float64Array, y: Float64Array, n: number, t: number) { for (let i = 0; i + t <= n; i++) { let s = 0; for (let k = 0; k < t; k++) s += x[i + k] * w[k]; y[i] = s; } }
export function variance(xs: Float64Array) { let m = 0; for (const x of xs) m += x; m /= xs.length; let v = 0; for (const x of xs) v += (x - m) * (x - m); return v / xs.length; }
export function outer(a: Float64Array, b: Float64Array, o: Float64Array, n: number) { for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) o[i * n + j] = a[i] * b[j]; }
export function imax(xs: Int32Array) { let m = -1; for (let i = 0; i < xs.length; i++) m = Math.max(m, xs[i] | 0); return m; }
`,
    );
    const got = Object.fromEntries(
      a.loops
        .filter((l) => l.depth === 0)
        .map((l) => [
          l.functionName,
          l.verdict.translatable ? `${l.verdict.pattern}${l.verdict.orderSensitive ? '*' : ''}` : 'no',
        ]),
    );
    assert.deepEqual(got, {
      scale: 'map',
      blur: 'stencil',
      cumsum: 'scan*',
      gemv: 'gemv*',
      fir: 'conv*',
      variance: 'map-reduce*',
      outer: 'nested',
      imax: 'reduce',
    });
    const k = byFn(a, 'scale')!.kernel!;
    assert.deepEqual(
      k.params.map((p) => p.name),
      ['xs', 'out', 'k'],
    );
    assert.deepEqual(k.body[0]?.kind === 'for' ? k.body[0].parallel : undefined, { reductions: [] });
    const v = byFn(a, 'variance')!.kernel!;
    assert.deepEqual(v.body[1]?.kind === 'for' ? v.body[1].parallel : undefined, {
      reductions: [{ name: 'm', op: 'sum' }],
    });
  });

  test('a loop inside a non-kernel function becomes a kernel of its own (free variables → params, accumulator → result)', () => {
    const a = analyzeSource(
      'l.ts',
      `export function report(xs: Float64Array, label: string) {
  let total = 0;
  for (let i = 0; i < xs.length; i++) total += xs[i];
  console.log(label, total);
}`,
    );
    const k = a.loops[0]!.kernel!;
    assert.equal(k.name, 'report_loop0');
    // The IR never assigns a parameter: the accumulator comes in as total_in and is copied into a local.
    assert.deepEqual(
      k.params.map((p) => `${p.kind}:${p.name}`),
      ['array:xs', 'scalar:total_in'],
    );
    assert.deepEqual(k.body[0], {
      kind: 'let',
      name: 'total',
      dtype: 'f64',
      init: { kind: 'var', name: 'total_in' },
    });
    assert.deepEqual(k.result, { kind: 'scalar', expr: { kind: 'var', name: 'total' } });
    assert.deepEqual(validateKernel(k), []);
  });

  test('a whole-function kernel that assigns a scalar parameter reads it through a local copy (valid IR)', () => {
    const a = analyzeSource(
      'p.ts',
      'export function f(xs: Float64Array, k: number): number { let s = 0; for (let i = 0; i < xs.length; i++) { k = k * 0.5; s += xs[i] * k; } return s + k; }',
    );
    const k = a.loops[0]!.kernel!;
    assert.deepEqual(
      k.params.map((p) => p.name),
      ['xs', 'k'],
    );
    assert.deepEqual(k.body[0], { kind: 'let', name: 'k_v', dtype: 'f64', init: { kind: 'var', name: 'k' } });
    assert.deepEqual(validateKernel(k), []);
  });

  test('pure helpers are inlined; module-level constant tables become consts; | 0 locals are i32', () => {
    const a = analyzeSource(
      'h.ts',
      `const W = [1, 2, 1];
const SCALE = 0.25;
function clamp(x: number, lo: number, hi: number): number { if (x < lo) return lo; if (x > hi) return hi; return x; }
export function smooth(a: Float64Array, out: Float64Array, n: number) {
  for (let i = 1; i < n - 1; i++) {
    const q = (a[i] * 8) | 0;
    out[i] = clamp(SCALE * (W[0] * a[i - 1] + W[1] * a[i] + W[2] * a[i + 1]) + q, 0, 1);
  }
}`,
    );
    const k = a.loops[0]!.kernel!;
    assert.deepEqual(k.inlined, ['clamp']);
    assert.deepEqual(k.consts, [{ kind: 'const-array', name: 'W', dtype: 'f64', values: [1, 2, 1] }]);
    const loop = k.body.find((s) => s.kind === 'for');
    const q = loop?.kind === 'for' ? loop.body.find((s) => s.kind === 'let' && s.name === 'q') : undefined;
    assert.equal(q?.kind === 'let' ? q.dtype : undefined, 'i32');
    assert.equal(verdictOf(a.loops[0]), 'ok stencil');
  });

  test('bad code never throws: parse errors become diagnostics and the rest is analysed', () => {
    const a = analyzeSource(
      'bad.ts',
      'export function f(xs: Float64Array) { let s = 0; for (let i = 0; i < xs.length; i++) s += xs[i]; return s; }\nfunction g( { for (;;) }\n)))',
    );
    assert.ok(a.diagnostics.some((d) => d.severity === 'error' && d.range !== undefined));
    assert.equal(verdictOf(a.loops[0]), 'ok reduce');
    assert.doesNotThrow(() => analyzeSource('x.js', '\u0000\u0001 for while ((( => }}}'));
  });

  test('JavaScript typed through JSDoc, CommonJS', () => {
    const a = analyzeSource(
      'j.js',
      `/** @param {Float32Array} xs @param {number} k */
function scale(xs, k) { for (let i = 0; i < xs.length; i++) xs[i] *= k; }
module.exports = { scale };`,
    );
    assert.equal(verdictOf(a.loops[0]), 'ok map');
    assert.equal(a.loops[0]!.arrays[0]!.elementType, 'Float32Array');
  });
});

describe('analyzePath and the service', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hotloop-analysis-'));
  mkdirSync(join(dir, 'src', 'lib'), { recursive: true });
  mkdirSync(join(dir, 'node_modules', 'dep'), { recursive: true });
  mkdirSync(join(dir, 'dist'), { recursive: true });
  mkdirSync(join(dir, 'gen'), { recursive: true });
  const loop =
    'export function s(xs: Float64Array) { let t = 0; for (let i = 0; i < xs.length; i++) t += xs[i]; return t; }\n';
  writeFileSync(join(dir, '.gitignore'), 'gen/\n*.skip.ts\n');
  writeFileSync(
    join(dir, 'src', 'lib', 'math.ts'),
    'export function lerp(a: number, b: number, t: number): number { return a + (b - a) * t; }\n',
  );
  writeFileSync(
    join(dir, 'src', 'main.ts'),
    `import { lerp } from './lib/math.js';
export function mix(a: Float64Array, b: Float64Array, out: Float64Array, t: number) { for (let i = 0; i < out.length; i++) out[i] = lerp(a[i], b[i], t); }\n`,
  );
  for (const p of ['node_modules/dep/index.ts', 'dist/out.ts', 'gen/g.ts', 'src/x.skip.ts'])
    writeFileSync(join(dir, p), loop);
  writeFileSync(join(dir, 'README.md'), '# not code');
  // A folder Hotloop scaffolded: its original.ts carries the marker; it is output, not workspace code.
  mkdirSync(join(dir, 'hotloop', 's-wasm'), { recursive: true });
  writeFileSync(
    join(dir, 'hotloop', 's-wasm', 'original.ts'),
    `// Generated by Hotloop (original). Re-scaffolding rewrites this file.\n\n${loop}`,
  );
  writeFileSync(join(dir, 'hotloop', 's-wasm', 'index.ts'), loop);

  test('walks folders, skipping node_modules, build output, .gitignore and scaffold folders; inlines helpers across files', async () => {
    const files = await analyzePath([dir], { rootDir: dir });
    assert.deepEqual(
      files.map((f) => f.file),
      ['src/lib/math.ts', 'src/main.ts'],
    );
    const mix = files[1]!.loops[0]!;
    assert.equal(verdictOf(mix), 'ok map');
    assert.deepEqual(mix.kernel?.inlined, ['lerp']);
  });

  test('exclude globs and clear errors for bad paths', async () => {
    const files = await analyzePath([dir], { rootDir: dir, exclude: ['src/lib/**'] });
    assert.deepEqual(
      files.map((f) => f.file),
      ['src/main.ts'],
    );
    await assert.rejects(analyzePath([join(dir, 'nope')]), /cannot read .*nope: no such file or folder/);
    await assert.rejects(analyzePath([join(dir, 'README.md')]), /is not a TypeScript or JavaScript file/);
  });

  test('the service caches per version and re-analyses edits exactly like a fresh analysis', () => {
    const service = createAnalysisService({ rootDir: dir, resolveImports: false });
    const fileName = join(dir, 'src', 'edit.ts');
    const v1 = `const K = 2;\nfunction helper(x: number) { return x * K; }\n${loop}export function m(xs: Float64Array, o: Float64Array) { for (let i = 0; i < xs.length; i++) o[i] = helper(xs[i]); }\n`;
    const r1 = service.analyzeDocument({ fileName, version: 1, text: v1 });
    assert.equal(service.analyzeDocument({ fileName, version: 1, text: v1 }), r1);
    const edits = [
      v1.replace('t += xs[i]', 't += xs[i] * 3'),
      `// moved down\n\n${v1}`,
      v1.replace('return x * K;', 'return x.toFixed(2).length;'),
      v1.replace('const K = 2;', 'const K = 3;'),
    ];
    edits.forEach((text, k) => {
      const got = service.analyzeDocument({ fileName, version: k + 2, text });
      assert.deepEqual(got, analyzeSource(fileName, text, { rootDir: dir }), `edit ${k}`);
    });
    service.dispose();
  });

  test('the service follows imports and notices when an imported helper changes on disk', () => {
    const service = createAnalysisService({ rootDir: dir });
    const fileName = join(dir, 'src', 'main.ts');
    const text = `import { lerp } from './lib/math.js';
export function mix(a: Float64Array, b: Float64Array, out: Float64Array, t: number) { for (let i = 0; i < out.length; i++) out[i] = lerp(a[i], b[i], t); }\n`;
    assert.equal(verdictOf(service.analyzeDocument({ fileName, version: 1, text }).loops[0]), 'ok map');
    writeFileSync(
      join(dir, 'src', 'lib', 'math.ts'),
      'export function lerp(a: number, b: number, t: number): number { console.log(t); return a + (b - a) * t; }\n',
    );
    assert.match(
      verdictOf(service.analyzeDocument({ fileName, version: 2, text }).loops[0]),
      /^no calls-function: calls lerp\(\)/,
    );
    service.dispose();
  });
});

test('calls named like Object.prototype members are not loops (hasOwnProperty, toString, constructor)', () => {
  const src = `export function f(o: Record<string, number>, xs: number[]): number {
  let s = 0;
  if (o.hasOwnProperty('a')) s += 1;
  const t = xs.toString() + xs.valueOf() + String(xs.constructor(1));
  for (let i = 0; i < xs.length; i++) s += xs[i]!;
  return s + t.length;
}`;
  const loops = analyzeSource('/tmp/w/proto.ts', src, { rootDir: '/tmp/w' }).loops;
  assert.deepEqual(
    loops.map((l) => [l.kind, l.range.start.line]),
    [['for', 4]],
  );
});

test('local aliases of Math functions are the Math calls unless reassigned (var abs = Math.abs; const { sqrt } = Math)', async () => {
  const { runKernel } = await import('../../src/core/ir/interpret.js');
  const src = `function l1(x) {
  var abs = Math.abs, s = 0;
  for (var i = 0; i < x.length; i++) s += abs(x[i]);
  return s;
}
const { sqrt } = Math;
export function norm(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * x[i]!;
  return sqrt(s);
}
export function rootSum(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += sqrt(x[i]!);
  return s;
}
var f = Math.floor;
export function floors(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += f(x[i]!);
  return s;
}
export function swap(): void { f = Math.ceil; }
export { l1 };`;
  const loops = analyzeSource('/tmp/w/alias.ts', src, { rootDir: '/tmp/w' }).loops;
  const by = (fn: string): LoopFacts => loops.find((l) => l.functionName === fn)!;
  for (const fn of ['l1', 'rootSum'])
    assert.equal(by(fn).verdict.translatable, true, `${fn}: ${JSON.stringify(by(fn).verdict)}`);
  assert.equal(by('norm').verdict.translatable, true);
  const floors = by('floors').verdict;
  assert.ok(
    !floors.translatable && floors.code === 'calls-function',
    'an alias assigned elsewhere is not trusted',
  );
  const k = by('rootSum').kernel!;
  const xs = new Float64Array([4, 9, 2.25]);
  assert.equal(runKernel(k, [xs]).result, 2 + 3 + 1.5);
});
