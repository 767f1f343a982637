// What an extracted loop's live-out holds on entry: deadAfter (nothing reads it after the loop before
// writing it) on the shapes real code has, and the call site that passes `undefined` as NaN for it
// (fili's Fft.inverse: `var i, j` then a loop writing j, whose j the next loop overwrites).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ts } from '../../src/core/analysis/ts.js';
import { analyzeSource } from '../../src/core/analysis/index.js';
import { applyTextEdits } from '../../src/core/advice/apply.js';
import { loadModule, planNative, strictWrapper } from '../support/applyPlan.js';
import { deadAfter } from '../../src/core/apply/entryValue.js';
import { runKernel } from '../../src/core/ir/interpret.js';
import type { KernelArg } from '../../src/core/ir/types.js';

/** deadAfter of `j` for the loop marked `/*L*\/` in `body` (the body of `function f(a, n, c)`). */
function dead(body: string, name = 'j'): boolean {
  const text = `function f(a, n, c) {\n  var i, j, x, obj = {};\n${body}\n}\n`;
  const sf = ts.createSourceFile('t.js', text, ts.ScriptTarget.Latest, true);
  const at = text.indexOf('/*L*/') + '/*L*/'.length;
  let stmt: ts.Statement | undefined;
  const visit = (n: ts.Node): void => {
    if (!stmt && ts.isIterationStatement(n, false) && n.getStart() >= at) stmt = n;
    else n.forEachChild(visit);
  };
  visit(sf);
  const fn = sf.statements[0]!;
  assert.ok(stmt);
  return deadAfter(fn, stmt, name);
}

const LOOP = '/*L*/ for (i = 0; i < n; i++) { j = a[i]; }';

describe('deadAfter', () => {
  test('dead: overwritten before any read, never named again, or written on every branch', () => {
    // fili Fft.inverse: the next loop's initializer writes j before its test and body read it.
    assert.equal(
      dead(`${LOOP}\n  for (x = 1; x < n; x++) { for (j = 0; j < x; j++) { c += a[j]; } }\n  return c;`),
      true,
    );
    assert.equal(dead(`${LOOP}\n  return c;`), true);
    assert.equal(dead(`${LOOP}\n  if (c) j = 0; else j = 1;\n  return j;`), true);
    assert.equal(dead(`${LOOP}\n  j = c ? 1 : 2;\n  return j + 1;`), true);
    // A property called j is not the variable.
    assert.equal(dead(`${LOOP}\n  obj.j = 1;\n  return obj.j;`), true);
  });

  test('live: read after the loop on some path', () => {
    assert.equal(dead(`${LOOP}\n  return j;`), false);
    assert.equal(dead(`${LOOP}\n  if (c) { j = 0; }\n  return j;`), false);
    assert.equal(dead(`${LOOP}\n  x = c && (j = 1);\n  return j;`), false);
    assert.equal(dead(`${LOOP}\n  while (c) { j = 1; c--; }\n  return j;`), false);
    assert.equal(dead(`${LOOP}\n  j += 1;\n  return c;`), false);
    // A switch's break skips the write.
    assert.equal(dead(`switch (c) { case 1: ${LOOP}\n  if (n) break;\n  j = 0; }\n  return j;`), false);
    // An exception skips the write: the catch reads the loop's value.
    assert.equal(dead(`try { ${LOOP}\n  c(); j = 0; } catch (e) { return j; }\n  return 0;`), false);
  });

  test('dead across the passes of a loop around it: every pass writes it first', () => {
    // dsp.js RFFT.forward: every loop in the enclosing while starts `for (i0 = ix; …)`.
    const W = 'for (j = 0; j < n; j++) c += a[j];';
    assert.equal(dead(`while (c--) { ${W} ${LOOP} }\n  return 0;`), true);
    assert.equal(
      dead(`while (c--) { if (x) { ${W} } else { for (j = 1; j < n; j++) c += a[j]; } ${LOOP} }`),
      true,
    );
    assert.equal(dead(`for (x = 0; x < n; x += j) { ${LOOP} j = 2; }\n  return 0;`), true);
    assert.equal(dead(`do { ${W} ${LOOP} } while (c--);\n  return 0;`), true);
    // `var j = e` again is the same variable, written.
    assert.equal(dead(`${LOOP}\n  var j = 0;\n  return j;`), true);
  });

  test('live across passes: read first on some path, or a jump skips the write', () => {
    const W = 'for (j = 0; j < n; j++) c += a[j];';
    assert.equal(dead(`while (c--) { if (x) { ${W} } else { c += j; } ${LOOP} }\n  return 0;`), false);
    assert.equal(dead(`for (x = 0; x < n; x += j) { ${LOOP} }\n  return 0;`), false);
    assert.equal(dead(`for (x = 0; x < n; x += j) { ${LOOP} if (c) continue; j = 2; }\n  return 0;`), false);
    assert.equal(dead(`do { ${LOOP} } while (j < n);\n  return 0;`), false);
    assert.equal(dead(`while (c--) { ${W} ${LOOP} if (x) break; }\n  return j;`), false);
    assert.equal(dead(`while (c--) { ${LOOP} }\n  return j;`), false);
    // A for's incrementor after a continue that skipped the body's write.
    assert.equal(
      dead(`${LOOP}\n  for (x = 0; x < n; x += j) { if (c) continue; j = 1; }\n  return 0;`),
      false,
    );
    // A let of the same name may be another variable.
    assert.equal(dead(`${LOOP}\n  { let j = 0; c += j; }\n  return j;`), false);
    // A later case clause is entered directly: the earlier clause's write does not count.
    assert.equal(dead(`${LOOP}\n  switch (c) { case 1: j = 0; case 2: c += j; }\n  return 0;`), false);
  });

  test('live: the loop runs again, a closure may read it, or the name is not the function’s', () => {
    assert.equal(dead(`while (c--) { x = j; ${LOOP} }\n  return 0;`), false);
    assert.equal(dead(`${LOOP}\n  j = 0;\n  return () => j;`), false);
    assert.equal(dead(`${LOOP}\n  return 0;`, 'k'), false);
  });
});

describe('the call site of a live-out dead after the loop', () => {
  // fili 2.0.3 src/fft.js Fft.inverse, its first two loops.
  const src =
    'function inverse(re, im, fft) {\n  var i, j, n, k, h\n  n = re.length\n  for (i = n; i--;) {\n    j = fft.twiddle[i]\n    fft.reI[i] = re[j]\n    fft.imI[i] = -im[j]\n  }\n  h = 0\n  for (k = 1; k < n; k += k) {\n    for (j = 0; j < k; j++) {\n      h += fft.reI[j]\n    }\n  }\n  return h\n}\nmodule.exports = { inverse: inverse }\n';

  test('passes `undefined` as NaN and gives the same results as the original, also for an empty input', () => {
    const loop = analyzeSource('fft.js', src).loops.find((l) => l.kernel);
    assert.ok(loop?.kernel);
    const k = loop.kernel;
    const p = planNative(src, 'fft.js', loop);
    assert.ok(p.ok, p.ok ? '' : p.reason);
    const text = applyTextEdits(src, p.edits);
    assert.match(text, /\(j === undefined \? NaN : j\)/);
    // The native entry takes numbers only: the wrapper stands in as the kernel's interpreter, refusing
    // anything else for a scalar, as readScalar does.
    const req = strictWrapper(k);
    const load = (code: string): ((...a: unknown[]) => unknown) => loadModule(code, req).inverse!;
    const original = load(src);
    const applied = load(text);
    for (const n of [0, 1, 4, 8]) {
      const fft = (): object => ({
        twiddle: Int32Array.from({ length: n }, (_, i) => n - 1 - i),
        reI: new Float64Array(n),
        imI: new Float64Array(n),
      });
      const re = Array.from({ length: n }, (_, i) => i * 0.5 - 1);
      const im = Array.from({ length: n }, (_, i) => i * i);
      const a = fft();
      const b = fft();
      assert.deepEqual(applied(re, im, a), original(re, im, b), `n = ${n}`);
      assert.deepEqual(a, b, `n = ${n}`);
    }
  });
});

describe('a `var` the loop declares and later code reuses', () => {
  // dsp.js RFFT.forward: `for (var i0 = ix; …)` in the first loop, `for (i0 = ix; …)` in later ones.
  const src =
    'function f(x, n, log) {\n  for (var i = 0; i < n; i++) {\n    x[i] = x[i] * 2;\n  }\n  var s = 0;\n  for (i = 0; i < n; i++) s += x[i];\n  log.push(s);\n  return s;\n}\nfunction g(x, n, log) {\n  for (var i = 0; i < n; i++) {\n    x[i] = x[i] * 2;\n  }\n  log.push(i);\n  return i;\n}\nmodule.exports = { f: f, g: g };\n';
  const plan = (fn: string): ReturnType<typeof planNative> => {
    const loop = analyzeSource('v.js', src).loops.find(
      (l) => l.functionName === fn && l.id.endsWith('/0') && l.kernel,
    );
    assert.ok(loop?.kernel);
    return planNative(src, 'v.js', loop);
  };

  test('dead after the loop: declared again where the loop was, the same results', () => {
    const p = plan('f');
    assert.ok(p.ok, p.ok ? '' : p.reason);
    const text = applyTextEdits(src, p.edits);
    assert.match(text, /var i; f_loop0\(/);
    const loop = analyzeSource('v.js', src).loops.find((l) => l.functionName === 'f' && l.id.endsWith('/0'));
    const k = loop!.kernel!;
    const req = (): unknown => ({ [k.name]: (...args: KernelArg[]) => runKernel(k, args).result });
    const load = (code: string): ((...a: unknown[]) => unknown) => loadModule(code, req).f!;
    for (const n of [0, 1, 5]) {
      const a = Float64Array.from({ length: n }, (_, i) => i - 1.5);
      const b = Float64Array.from(a);
      const la: number[] = [];
      const lb: number[] = [];
      assert.equal(load(text)(a, n, la), load(src)(b, n, lb));
      assert.deepEqual(la, lb);
      assert.deepEqual(a, b);
    }
  });

  test('read after the loop (`return i`): still refused', () => {
    const p = plan('g');
    if (p.ok) assert.doesNotMatch(applyTextEdits(src, p.edits), /var i; g_loop0\(/);
    else assert.match(p.reason, /declares `var i`/);
  });
});

describe('a loop that writes properties and temporaries dead after it', () => {
  // dsp.js FourierTransform.calculateSpectrum: `this.peak`/`this.peakBand` updated in the loop,
  // `rval`, `ival`, `mag` temporaries nothing reads afterwards.
  const src =
    'function FT(n) {\n  this.peak = 0;\n  this.peakBand = 0;\n  this.spectrum = new Float64Array(n);\n}\nFT.prototype.calc = function (real, imag, n) {\n  var spectrum = this.spectrum, bSi = 2 / n, rval, ival, mag;\n  for (var i = 0; i < n; i++) {\n    rval = real[i];\n    ival = imag[i];\n    mag = bSi * Math.sqrt(rval * rval + ival * ival);\n    if (mag > this.peak) {\n      this.peakBand = i;\n      this.peak = mag;\n    }\n    spectrum[i] = mag;\n  }\n  return spectrum;\n};\nmodule.exports = { FT: FT };\n';

  test('the properties are passed in and assigned back, the temporaries are no results; the same as the original', () => {
    const loop = analyzeSource('ft.js', src).loops.find((l) => l.kernel);
    assert.ok(loop?.kernel, 'the loop has a kernel');
    const k = loop.kernel;
    const p = planNative(src, 'ft.js', loop);
    assert.ok(p.ok, p.ok ? '' : p.reason);
    const text = applyTextEdits(src, p.edits);
    // Two results (the properties), not five: rval, ival and mag are dead after the loop.
    assert.match(text, /new Float64Array\(2\)/);
    assert.match(
      text,
      /this\.peak = liveOuts\[\d\]; this\.peakBand = liveOuts\[\d\];|this\.peakBand = liveOuts\[\d\]; this\.peak = liveOuts\[\d\];/,
    );
    // `rval`, `ival`, `mag`: undefined on entry, named nowhere else: NaN (the native entry rejects undefined).
    assert.match(
      text,
      /calc_loop0\(n, real, NaN, imag, NaN, bSi, NaN, this\.peak, this\.peakBand, spectrum, liveOuts\)/,
    );
    const req = strictWrapper(k);
    const FTo = loadModule(src, req).FT as unknown as new (n: number) => {
      calc: (...a: unknown[]) => Float64Array;
      peak: number;
      peakBand: number;
    };
    const FTa = loadModule(text, req).FT as unknown as typeof FTo;
    for (const n of [0, 1, 7, 64]) {
      const re = Float64Array.from({ length: n }, (_, i) => Math.sin(i * 1.3) * (i + 1));
      const im = Float64Array.from({ length: n }, (_, i) => Math.cos(i * 0.7));
      const a = new FTo(n);
      const b = new FTa(n);
      for (let round = 0; round < 2; round++) {
        assert.deepEqual(Array.from(b.calc(re, im, n)), Array.from(a.calc(re, im, n)), `n = ${n}`);
        assert.equal(b.peak, a.peak, `n = ${n} peak`);
        assert.equal(b.peakBand, a.peakBand, `n = ${n} peakBand`);
      }
    }
  });
});

describe('an accumulator named with a $', () => {
  const src =
    'function total(a, log) {\n  var $s = 0;\n  log.push(a.length);\n  for (var i = 0; i < a.length; i++) {\n    $s += a[i];\n  }\n  return $s;\n}\nmodule.exports = { total: total };\n';

  test('is the variable the call site passes and assigns back', () => {
    const loop = analyzeSource('s.js', src).loops.find((l) => l.kernel);
    assert.ok(loop?.kernel);
    const p = planNative(src, 's.js', loop);
    assert.ok(p.ok, p.ok ? '' : p.reason);
    const text = applyTextEdits(src, p.edits);
    assert.match(text, /\$s = total_loop0\(a, \$s\);|\$s = total_loop0\(\$s, a\);/);
    const total = loadModule(text, strictWrapper(loop.kernel)).total!;
    assert.equal(total([1, 2, 3.5], []), 6.5);
    assert.equal(total([], []), 0);
  });
});
