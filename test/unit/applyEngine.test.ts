// The apply engine shared by `hotloop apply` and the VS Code command (src/core/apply/): extraction of
// a loop that is only part of its function, apply + undo byte for byte (CRLF, BOM), dry-run writes
// nothing, the unified diff, and the CLI command over it.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { analyzeSource } from '../../src/core/analysis/index.js';
import { applyTextEdits, planApply, type ApplyPlan as ApplyPlanT } from '../../src/core/advice/apply.js';
import { applyFile, undoApply, APPLY_DIR } from '../../src/core/apply/engine.js';
import { unifiedDiff } from '../../src/core/apply/diff.js';
import { runKernel } from '../../src/core/ir/interpret.js';
import type { KernelArg } from '../../src/core/ir/types.js';
import { withLocalAccumulators } from '../../src/core/scaffold/assignedParams.js';
import { validateKernel } from '../../src/core/ir/validate.js';
import { loadModule, planNative } from '../support/applyPlan.js';
import { applyCommand } from '../../src/cli/apply.js';

const SPREAD = [
  'function mean(xs: number[]): number {',
  '  let s = 0;',
  '  for (let i = 0; i < xs.length; i++) s += xs[i];',
  '  return s / xs.length;',
  '}',
  '',
  'export function spread(xs: number[], k: number): number {',
  '  if (xs.length === 0) return 0;',
  '  const m = mean(xs);',
  '  let acc = 0;',
  '  for (let i = 0; i < xs.length; i++) {',
  '    const d = xs[i] - m;',
  '    acc += d * d * k;',
  '  }',
  "  console.log('spread', acc);",
  '  return Math.sqrt(acc / xs.length);',
  '}',
  '',
].join('\n');

async function workspace(name: string, contents: string | Buffer): Promise<{ root: string; file: string }> {
  const root = await mkdtemp(join(tmpdir(), 'hl-apply-'));
  await mkdir(join(root, 'src'));
  const file = join(root, 'src', name);
  await writeFile(file, contents);
  return { root, file };
}

describe('apply engine', () => {
  test('a loop whose kernel takes a property read (d.buf) is extracted with the property passed at the call site', () => {
    // fili's FirFilter.doStep: the kernel's parameters d_buf/d_pointer stand for d.buf/d.pointer, read
    // once before the loop (the loop writes neither): the call passes d.buf and d.pointer there.
    const src =
      'export function step(input: number, d: { buf: number[]; pointer: number }, f: number[]): number {\n  d.buf[d.pointer] = input;\n  let out = 0;\n  for (let c = 0; c < d.buf.length; c++) {\n    out += f[c] * d.buf[(d.pointer + c) % d.buf.length];\n  }\n  d.pointer = (d.pointer + 1) % d.buf.length;\n  return out;\n}\n';
    const loop = analyzeSource('a.ts', src).loops.find((l) => l.functionName === 'step' && l.kernel);
    assert.ok(loop?.kernel);
    assert.deepEqual(
      loop.kernel.params.map((p) => p.name),
      ['d_buf', 'f', 'd_pointer', 'out_in'],
    );
    const wrapper = {
      importPath: './w/index.js',
      exportName: loop.kernel.name,
      target: 'wasm',
      async: false,
    } as const;
    const plan = planApply({ text: src, fileName: 'a.ts', loop, wrapper });
    assert.ok(plan.ok, plan.ok ? '' : plan.reason);
    const out = applyTextEdits(src, plan.edits);
    assert.match(out, /\n {2}out = step_loop0\(d\.buf, f, d\.pointer, out\);\n {2}d\.pointer = /);
    assert.match(
      out,
      /function step_loop0\(d_buf: number\[\], f: number\[\], d_pointer: number, out: number\): number \{/,
    );
    // Without the analysis's notes (an older caller), a made-up name is never called unbound.
    const bare = planApply({ text: src, fileName: 'a.ts', loop: { ...loop, verdict: undefined }, wrapper });
    assert.ok(!bare.ok);
    assert.match(bare.reason, /not a variable of the loop/);
  });

  test('a method loop that reads this.w and this.gain is extracted; `this` is only read at the call site', () => {
    // dsp.js's GraphicalEq.recalculateFreqz: a Float64Array field filled in place.
    const src =
      'function Eq(n) { this.w = new Float64Array(n); this.gain = 2; }\nEq.prototype.recalc = function () {\n  if (!this.w) return;\n  for (var i = 0; i < this.w.length; i++) {\n    this.w[i] = (Math.PI / this.w.length) * i * this.gain;\n  }\n  console.log("done");\n};\nmodule.exports = { Eq: Eq };\n';
    const loop = analyzeSource('eq.js', src).loops.find((l) => l.kernel);
    assert.ok(loop?.kernel, 'the fill is a kernel');
    const plan = planNative(src, 'eq.js', loop);
    assert.ok(plan.ok, plan.ok ? '' : plan.reason);
    const out = applyTextEdits(src, plan.edits);
    const name = loop.kernel.name;
    assert.match(
      out,
      new RegExp(`if \\(!this\\.w\\) return;\\n {2}${name}\\(this\\.w, this\\.gain\\);\\n {2}console`),
    );
    assert.match(
      out,
      new RegExp(`\\nfunction ${name}\\(w, gain\\) \\{\\n[^\\n]*\\n {2}${name}Native\\(w, gain\\);`),
    );
    assert.equal(out.includes('this.w[i]'), false, 'the loop left the method');
    // Any other use of `this` in the loop (a method call) still keeps it where it is.
    const other = src.replace('* this.gain;', '* this.gain;\n    this.tick();');
    const loop2 = analyzeSource('eq.js', other).loops.find((l) => l.functionName === loop.functionName);
    if (loop2?.kernel) {
      const p2 = planNative(other, 'eq.js', loop2);
      assert.equal(p2.ok, false);
    }
  });

  test('an accumulator that is undefined on entry and dead after the loop (dsp.js generate) is passed as NaN', () => {
    const src =
      'function Osc(n) { this.signal = new Float64Array(n); this.table = new Float64Array(64); this.n = n; }\nOsc.prototype.generate = function (step) {\n  var offset;\n  for (var i = 0; i < this.n; i++) {\n    offset = Math.round(i * step) % 64;\n    this.signal[i] = this.table[offset];\n  }\n  return this.signal;\n};\nmodule.exports = { Osc: Osc };\n';
    const plan = (text: string): string => {
      const loop = analyzeSource('o.js', text).loops.find((l) => l.kernel);
      assert.ok(loop?.kernel);
      const p = planNative(text, 'o.js', loop);
      assert.ok(p.ok, p.ok ? '' : p.reason);
      return applyTextEdits(text, p.edits);
    };
    // The native entry rejects `undefined` for a number: NaN acts the same in the kernel's arithmetic;
    // dead after the loop, it is no result either.
    assert.match(plan(src), /^ {2}generate_loop0\(this\.n, step, NaN, this\.table, this\.signal\);$/m);
    // Read after the loop (its value on no iteration is observable): passed as it is.
    const used = src.replace('  return this.signal;', '  this.last = offset;\n  return this.signal;');
    assert.match(plan(used), /offset = generate_loop0\(this\.n, step, offset, this\.table, this\.signal\);/);
    // fili's Fft: `for (i = t.length; i--;)` before `var i = 0` further down: its entry value is never read.
    const fft =
      'function Fft(r) {\n  var t = new Float64Array(r);\n  for (i = t.length; i--;) {\n    t[i] = i / r;\n  }\n  var i = 0;\n  return t;\n}\nmodule.exports = { Fft: Fft };\n';
    // (`var i = 0` writes it again: dead after the loop, no result; the kernel returns the table it fills.)
    assert.match(plan(fft), /^ {2}t = Fft_loop0\([^)]*NaN[^)]*\);$/m);
  });

  test('a loop with several live-outs is extracted: the call passes a small array and reads them back', () => {
    const src =
      'function range(xs) {\n  var lo = Infinity, hi = -Infinity, i;\n  if (!xs.length) return null;\n  for (i = 0; i < xs.length; i++) {\n    lo = Math.min(lo, xs[i]);\n    hi = Math.max(hi, xs[i]);\n  }\n  return [lo, hi];\n}\nfunction dft(xs, re, im) {\n  var a, b;\n  if (!re.length) return null;\n  for (var k = 0; k < re.length; k++) {\n    a = 0;\n    b = 0;\n    for (var n = 0; n < xs.length; n++) { a += xs[n] * k; b -= xs[n] * n; }\n    re[k] = a;\n    im[k] = b;\n  }\n  return re;\n}\nmodule.exports = { range: range, dft: dft };\n';
    const run = (
      fn: string,
      result: string | false,
    ): { text: string; exports: Record<string, (...a: unknown[]) => unknown> } => {
      const loop = analyzeSource('r.js', src).loops.find((l) => l.functionName === fn && l.kernel);
      assert.ok(loop?.kernel);
      const k = loop.kernel;
      assert.equal(k.result.kind === 'array' && k.result.name, result);
      const p = planNative(src, 'r.js', loop);
      assert.ok(p.ok, p.ok ? '' : p.reason);
      const text = applyTextEdits(src, p.edits);
      // The wrapper, as the interpreter of the kernel: it writes the live-outs into the array passed last.
      const req = (): unknown => ({
        [k.name]: (...args: KernelArg[]) => runKernel(k, args).result,
      });
      return { text, exports: loadModule(text, req) };
    };
    const r = run('range', 'liveOuts');
    // One module-level array, made on the first call (a small typed array made per call cost a native
    // call more than its arguments); `var`, so a call before the line has run still finds it.
    assert.match(
      r.text,
      /\{ liveOuts = liveOuts \|\| new Float64Array\(2\); range_loop0\(xs, lo, hi, liveOuts\); lo = liveOuts\[0\]; hi = liveOuts\[1\]; \}/,
    );
    assert.match(r.text, /^var liveOuts;$/m);
    assert.deepEqual(r.exports.range!([3, -1, 7.5, 2]), [-1, 7.5]);
    assert.deepEqual(r.exports.range!([4]), [4, 4]);
    assert.equal(r.exports.range!([]), null);
    assert.deepEqual(
      r.exports.range!([-2, 9]),
      [-2, 9],
      'the array is reused: the last call left other values in it',
    );
    // TypeScript: a typed `let` above the code (the imports' place), not `var`.
    const ts = src
      .replace('function range(xs) {', 'export function range(xs: number[]): number[] | null {')
      .replace(/\nfunction dft[\s\S]*$/, '\n');
    const tsLoop = analyzeSource('r.ts', ts).loops.find((l) => l.functionName === 'range' && l.kernel);
    assert.ok(tsLoop?.kernel);
    const tp = planNative(ts, 'r.ts', tsLoop);
    assert.ok(tp.ok, tp.ok ? '' : tp.reason);
    assert.match(applyTextEdits(ts, tp.edits), /^let liveOuts: Float64Array \| undefined;$/m);
    // `var a, b;` undefined on entry and dead after the loop: no results of the kernel, their entry
    // values passed as NaN (a native entry rejects undefined).
    const d = run('dft', false);
    assert.match(d.text, /^ {2}dft_loop0\([^)]*NaN, NaN[^)]*\);$/m);
    assert.doesNotMatch(d.text, /liveOuts/);
    const re = new Float64Array(3);
    const im = new Float64Array(3);
    d.exports.dft!([1, 2, 4], re, im);
    assert.deepEqual([...re, ...im], [0, 7, 14, -10, -10, -10]);
  });

  test('a loop that writes an array literal of its function (JS grows it) is refused; a sized one is extracted', () => {
    // regression's gaussianElimination: `const coefficients = [order]`, then coefficients[j] for j < n.
    const body = (init: string): string =>
      `export function solve(matrix: number[][], order: number): number[] {\n  const n = matrix.length - 1;\n  const coefficients = ${init};\n  for (let j = n - 1; j >= 0; j--) {\n    let total = 0;\n    for (let k = j + 1; k < n; k++) total += matrix[k][j] * coefficients[k];\n    coefficients[j] = (matrix[n][j] - total) / matrix[j][j];\n  }\n  return coefficients;\n}\n`;
    const filled = (init: string): string =>
      body(init).replace(
        '\n  for (let j = n - 1',
        '\n  for (let j = 0; j < n; j++) coefficients[j] = 0;\n  for (let j = n - 1',
      );
    const sources = [body('[order]'), body('new Float64Array(order)'), filled('[]')];
    const plans = sources.map((src, s) => {
      const init = ['[order]', 'new Float64Array(order)', '[] filled by a loop'][s]!;
      const loop = analyzeSource('a.ts', src)
        .loops.filter((l) => l.functionName === 'solve' && l.kernel)
        .at(-1);
      assert.ok(loop?.kernel, `the back-substitution with ${init} is a kernel`);
      assert.ok(
        loop.kernel.params.some((p) => p.name === 'matrix'),
        `the back-substitution, not the fill (${init})`,
      );
      return planApply({
        text: src,
        fileName: 'a.ts',
        loop,
        wrapper: { importPath: './w/index.js', exportName: loop.kernel.name, target: 'wasm', async: false },
      });
    });
    const [literal, sized, filledFirst] = plans as [ApplyPlanT, ApplyPlanT, ApplyPlanT];
    assert.ok(filledFirst.ok, filledFirst.ok ? '' : `an array an earlier loop filled: ${filledFirst.reason}`);
    assert.ok(!literal.ok, 'the array literal is refused');
    assert.match(literal.reason, /coefficients`, which may be an array literal of 1 element/);
    // skmeans' init: `v = v || [];` then the loop fills v — refused for a compiled target, not for js.
    const init =
      'function init(len, val, v) {\n  v = v || [];\n  for (let i = 0; i < len; i++) v[i] = val;\n  return v;\n}\nmodule.exports = { init: init };\n';
    const loop = analyzeSource('m.js', init).loops.find((l) => l.kernel);
    assert.ok(loop?.kernel);
    const plan = (target: 'wasm' | 'js'): ApplyPlanT =>
      planApply({
        text: init,
        fileName: 'm.js',
        loop,
        wrapper: { importPath: './w/index.js', exportName: loop.kernel!.name, target, async: false },
      });
    const compiled = plan('wasm');
    assert.ok(!compiled.ok);
    assert.match(
      compiled.reason,
      /writes `v`, which may be an array literal of 0 element\(s\) \(`v \|\| \[\]`\)/,
    );
    const js = plan('js');
    assert.ok(js.ok, js.ok ? '' : js.reason);
    assert.ok(sized.ok, sized.ok ? '' : sized.reason);
  });

  test('a loop that writes a new Array(n) made just before it (holes) is refused; one filled first is not', () => {
    // density-clustering's KMEANS.run: `var mean = new Array(maxDim); var count = 0; for (…) mean[dim] = 0;`
    const src = (between: string): string =>
      `function run(data, k) {\n  var out = [];\n  for (var c = 0; c < k; c++) {\n    var mean = new Array(maxDim);\n${between}    for (var dim = 0; dim < maxDim; dim++) {\n      mean[dim] = 0;\n    }\n    for (var j = 0; j < data.length; j++) {\n      var maxDim = data[j].length;\n    }\n    out.push(mean);\n  }\n  return out;\n}\nmodule.exports = { run: run };\n`;
    const plan = (text: string): ApplyPlanT => {
      const loop = analyzeSource('k.js', text).loops.find(
        (l) =>
          l.functionName === 'run' &&
          l.kernel &&
          l.kernel.params.some((p) => p.name === 'mean' && p.kind === 'array'),
      );
      assert.ok(loop?.kernel);
      return planApply({
        text,
        fileName: 'k.js',
        loop,
        wrapper: { importPath: './w/index.js', exportName: loop.kernel.name, target: 'wasm', async: false },
      });
    };
    const holes = plan(src('    var count = 0;\n'));
    assert.ok(!holes.ok, 'new Array(n) just before the loop is refused');
    assert.match(
      holes.reason,
      /writes `mean`, made by `new Array\(maxDim\)` just before it: an array of holes/,
    );
    const filled = plan(src('    mean.fill(0);\n'));
    assert.ok(filled.ok, filled.ok ? '' : filled.reason);
    // The loop that declares `var maxDim` (read by the loops around it) cannot move out of `run`.
    const text = src('');
    const loopJ = analyzeSource('k.js', text).loops.find(
      (l) => l.functionName === 'run' && l.kernel && l.kernel.params.some((p) => p.name === 'data'),
    );
    assert.ok(loopJ?.kernel);
    const moved = planApply({
      text,
      fileName: 'k.js',
      loop: loopJ,
      wrapper: { importPath: './w/index.js', exportName: loopJ.kernel.name, target: 'js', async: false },
    });
    assert.ok(!moved.ok);
    assert.match(moved.reason, /declares `var maxDim`, which the rest of the function also uses/);
  });

  test('a loop in an anonymous function (dsp.js deinterleave) is extracted into a named function', () => {
    const src =
      'var DSP = {};\nDSP.deinterleave = (function () {\n  var mix, channel = [];\n  channel[0] = function (buffer) {\n    for (var i = 0, len = buffer.length / 2; i < len; i++) {\n      mix[i] = (buffer[2 * i] + buffer[2 * i + 1]) / 2;\n    }\n    return mix;\n  };\n  return function (buffer) {\n    mix = mix || new Float64Array(buffer.length / 2);\n    return channel[0](buffer);\n  };\n})();\nmodule.exports = { DSP: DSP };\n';
    const loop = analyzeSource('dsp.js', src).loops.find((l) => l.kernel);
    assert.ok(loop?.kernel, 'the deinterleave loop is a kernel');
    const plan = planApply({
      text: src,
      fileName: 'dsp.js',
      loop,
      wrapper: { importPath: './w/index.js', exportName: loop.kernel.name, target: 'native', async: false },
    });
    assert.ok(plan.ok, plan.ok ? '' : plan.reason);
    const out = applyTextEdits(src, plan.edits);
    const name = loop.kernel.name;
    assert.match(
      out,
      new RegExp(
        `channel\\[0\\] = function \\(buffer\\) \\{\\n\\s+${name}\\(buffer, mix\\);\\n\\s+return mix;`,
      ),
    );
    assert.match(
      out,
      new RegExp(`\\}\\)\\(\\);\\n\\n/\\*\\*[^\\n]*\\*/\\nfunction ${name}\\(buffer, mix\\) \\{`),
    );
  });

  test('a loop after a guard and a mean() call is extracted into its own function, then replaced', () => {
    const loop = analyzeSource('a.ts', SPREAD).loops.find((l) => l.functionName === 'spread');
    assert.ok(loop?.kernel);
    assert.notEqual(loop.kernel.name, 'spread', 'the kernel is only part of spread');
    const plan = planApply({
      text: SPREAD,
      fileName: 'a.ts',
      loop,
      wrapper: { importPath: './w/index.js', exportName: loop.kernel.name, target: 'wasm', async: false },
    });
    assert.ok(plan.ok, plan.ok ? '' : plan.reason);
    const out = applyTextEdits(SPREAD, plan.edits);
    const fn = loop.kernel.name;
    // The guard and mean() stay; the loop statement becomes one assignment of the live-out.
    assert.match(out, /if \(xs\.length === 0\) return 0;\n {2}const m = mean\(xs\);\n {2}let acc = 0;\n/);
    assert.ok(
      out.includes(
        `  acc = ${fn}(xs, m, k, acc);\n  console.log('spread', acc);\n  return Math.sqrt(acc / xs.length);`,
      ),
      out,
    );
    // The extracted function: live-ins as parameters, the live-out returned, its body the wrapper call.
    assert.ok(out.includes(`function ${fn}(xs: number[], m: number, k: number, acc: number): number {`), out);
    assert.match(out, new RegExp(`return ${fn}Wasm\\(xs, m, k, acc\\);\\n\\}\\n$`));
    assert.ok(out.startsWith(`import { ${fn} as ${fn}Wasm } from './w/index.js';\n\n`));
    assert.equal(out.includes('acc += d * d * k'), false, 'the loop is gone from spread');
    // mean's own loop is untouched.
    assert.ok(out.includes('for (let i = 0; i < xs.length; i++) s += xs[i];'));
  });

  test('the extracted kernel scaffolds as valid IR and computes what the loop did', () => {
    const k = analyzeSource('a.ts', SPREAD).loops.find((l) => l.functionName === 'spread')!.kernel!;
    const fixed = withLocalAccumulators(k);
    assert.deepEqual(validateKernel(fixed), []);
    assert.deepEqual(
      fixed.params.map((p) => p.name),
      ['xs', 'm', 'k', 'acc_in'],
    );
    const xs = [1, 2, 3, 4.5];
    const m = 2.625;
    let acc = 0.5;
    for (const x of xs) acc += (x - m) * (x - m) * 3;
    assert.equal(runKernel(fixed, [xs, m, 3, 0.5]).result, acc);
  });

  test('a loop that returns from its function is refused with the reason', () => {
    const src =
      'export function f(xs: Float64Array): number {\n  let s = 0;\n  if (xs.length === 0) return 0;\n  for (let i = 0; i < xs.length; i++) { s += xs[i]; }\n  console.log(s);\n  return s;\n}\n';
    const loop = analyzeSource('a.ts', src).loops.find((l) => l.functionName === 'f' && l.kernel);
    if (!loop) return; // not translatable at all: nothing to extract
    const plan = planApply({
      text: src,
      fileName: 'a.ts',
      loop,
      wrapper: { importPath: './w/index.js', exportName: loop.kernel!.name, target: 'worker', async: true },
    });
    assert.equal(plan.ok, false);
    assert.match(plan.reason, /Promise|async/);
  });

  test('apply + undo restore the file byte for byte (CRLF and a BOM); the reverse patch is saved and dropped', async () => {
    const bytes = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(SPREAD.replace(/\n/g, '\r\n'), 'utf8'),
    ]);
    const { root, file } = await workspace('s.ts', bytes);
    try {
      const r = await applyFile({ root, file, functionName: 'spread', target: 'wasm', outputDir: 'hotloop' });
      assert.ok(r.ok, r.ok ? '' : r.reason);
      assert.equal(r.scaffolded, true);
      const after = await readFile(file);
      assert.deepEqual([...after.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'the BOM stays first');
      const text = after.toString('utf8');
      assert.equal(text.replace(/\r\n/g, '').includes('\n'), false, 'every line ends in CRLF');
      assert.match(
        text,
        /^\uFEFFimport \{ spread_loop0 as spread_loop0Wasm \} from '\.\.\/hotloop\/spread_loop0-wasm\/index\.js';\r\n/,
      );
      assert.equal((await readdir(join(root, APPLY_DIR))).length, 1);
      assert.ok(existsSync(join(root, 'hotloop', 'spread_loop0-wasm', 'index.ts')));
      const u = await undoApply(root);
      assert.ok(u.ok, u.ok ? '' : u.reason);
      assert.ok((await readFile(file)).equals(bytes), 'undo gives back the original bytes');
      assert.equal((await readdir(join(root, APPLY_DIR))).length, 0);
      const again = await undoApply(root);
      assert.equal(again.ok, false);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  test('undo refuses (changing nothing) when the file changed after apply', async () => {
    const { root, file } = await workspace('s.ts', SPREAD);
    try {
      assert.ok(
        (await applyFile({ root, file, functionName: 'spread', target: 'native', outputDir: 'hotloop' })).ok,
      );
      const edited = `${await readFile(file, 'utf8')}// edited\n`;
      await writeFile(file, edited);
      const u = await undoApply(root);
      assert.ok(!u.ok);
      assert.match(u.reason, /changed since the rewrite was applied/);
      assert.equal(await readFile(file, 'utf8'), edited);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  test('dry-run writes nothing and returns the unified diff', async () => {
    const { root, file } = await workspace('s.ts', SPREAD);
    try {
      const r = await applyFile({
        root,
        file,
        functionName: 'spread',
        target: 'native',
        outputDir: 'hotloop',
        dryRun: true,
      });
      assert.ok(r.ok, r.ok ? '' : r.reason);
      assert.equal(await readFile(file, 'utf8'), SPREAD);
      assert.equal(existsSync(join(root, 'hotloop')), false, 'no scaffold folder');
      assert.equal(existsSync(join(root, '.hotloop')), false, 'no reverse patch');
      assert.match(r.diff, /^--- a\/src\/s\.ts\n\+\+\+ b\/src\/s\.ts\n@@ -1,\d+ \+1,\d+ @@\n\+import /);
      assert.match(
        r.diff,
        /\n- {2}for \(let i = 0; i < xs\.length; i\+\+\) \{\n- {4}const d = xs\[i\] - m;\n/,
      );
      assert.match(r.diff, /\n\+ {2}acc = spread_loop0\(xs, m, k, acc\);\n/);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  test('unifiedDiff: hunks far apart stay apart, line numbers count from 1, a missing final newline is marked', () => {
    const before = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join('\n');
    const edits = [
      { start: 0, end: 0, newText: 'top\n' },
      { start: before.length, end: before.length, newText: '\nend' },
    ];
    const d = unifiedDiff('f.txt', before, applyTextEdits(before, edits), edits);
    assert.equal(d.split('\n').filter((l) => l.startsWith('@@')).length, 2, d);
    assert.match(d, /@@ -1,3 \+1,4 @@\n\+top\n line 1\n/);
    assert.match(
      d,
      /-line 20\n\\ No newline at end of file\n\+line 20\n\+end\n\\ No newline at end of file\n$/,
    );
  });

  test('hotloop apply (CLI): --dry-run prints the diff, apply writes, --undo restores', async () => {
    const { root, file } = await workspace('s.ts', SPREAD);
    const run = async (...args: string[]): Promise<{ code: number; out: string; err: string }> => {
      const stdout = new PassThrough();
      const stderr = new PassThrough();
      let out = '';
      let err = '';
      stdout.on('data', (c: Buffer) => {
        out += c.toString();
      });
      stderr.on('data', (c: Buffer) => {
        err += c.toString();
      });
      const code = await applyCommand.run(args, { signal: new AbortController().signal, stdout, stderr });
      return { code, out, err };
    };
    try {
      const dry = await run(file, '--root', root, '--loop', 'spread/0', '--target', 'wasm', '--dry-run');
      assert.equal(dry.code, 0, dry.err);
      assert.match(dry.out, /^--- a\/src\/s\.ts/);
      assert.equal(await readFile(file, 'utf8'), SPREAD);
      const wet = await run(file, '--root', root, '--loop', 'spread/0', '--target', 'wasm');
      assert.equal(wet.code, 0, wet.err);
      assert.notEqual(await readFile(file, 'utf8'), SPREAD);
      const undo = await run('--undo', '--root', root);
      assert.equal(undo.code, 0, undo.err);
      assert.equal(await readFile(file, 'utf8'), SPREAD);
      assert.equal((await run(file, '--root', root, '--target', 'nope')).code, 2);
      const all = await run('--all', '--root', root);
      assert.equal(all.code, 0, all.err);
      assert.match(all.out, /skip .*spread_loop0-wasm: not built/);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
