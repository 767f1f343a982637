// Real-code shapes accepted for recall (issue 15): each lowering is run by the interpreter against the
// original JS on random inputs (empty, length 1, odd lengths, NaN/±Infinity, subarray views), and a
// look-alike that must stay refused is checked beside it.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSource } from '../../src/core/analysis/index.js';
import { ts } from '../../src/core/analysis/ts.js';
import { originalArgs, runAsOriginal } from '../../src/core/ir/fresh.js';
import { cloneArgs, makeInputs } from '../../src/core/ir/random.js';
import { validateKernel } from '../../src/core/ir/validate.js';
import { loadJs } from '../support/loadJs.js';
import { RUNS, same } from '../support/loopRef.js';
import { at, checked, verdictOf } from '../support/recallCheck.js';

describe('a counter stepped again inside the body (loops unrolled by hand)', () => {
  const src = `function getCol(A, j, x) {
  var n = A.length, i;
  for (i = n - 1; i > 0; --i) {
    x[i] = A[i][j];
    --i;
    x[i] = A[i][j];
  }
  if (i === 0) x[0] = A[0][j];
}
function unroll4(xi, y, out) {
  var n = y.length, j;
  for (j = n - 1; j >= 3; --j) {
    out[j] = xi * y[j];
    --j;
    out[j] = xi * y[j];
    --j;
    out[j] = xi * y[j];
    --j;
    out[j] = xi * y[j];
  }
  while (j >= 0) { out[j] = xi * y[j]; --j; }
  return out;
}
function skipSome(x) {
  var i, s = 0;
  for (i = 0; i < x.length; i++) { s += x[i]; if (x[i] > 0) i++; }
  return s;
}
function backAndForth(x) {
  var i, s = 0;
  for (i = 0; i < x.length; i++) { s += x[i]; i--; }
  return s;
}
`;
  test('--i in the body of for (…; --i): run as a while loop, equal to the JS', () => {
    checked('unroll.js', src, 3);
    checked('unroll.js', src, 12);
  });
  test('a step under a condition, or one back against the header, stays refused (the trip may not end)', () => {
    assert.match(at('unroll.js', src, 26), /^no unsupported-syntax: while loop without a counter stepped/);
    assert.match(at('unroll.js', src, 31), /^no unsupported-syntax: while loop without a counter stepped/);
  });
});

describe('a function that returns on every path at its end; xs.at(k) with a constant k', () => {
  const src = `export function monotonic(array: Float64Array | number[]): number {
  if (array.length < 2) {
    return 1;
  }
  if (array[0] === array[1]) {
    for (let i = 1; i < array.length - 1; i++) {
      if (array[i] !== array[i + 1]) return 0;
    }
    return 1;
  }
  if (array[0] < (array.at(-1) as number)) {
    for (let i = 0; i < array.length - 1; i++) {
      if (array[i] >= array[i + 1]) return 0;
    }
    return 1;
  } else {
    for (let i = 0; i < array.length - 1; i++) {
      if (array[i] <= array[i + 1]) return 0;
    }
    return -1;
  }
}
export function pad(array: Float64Array, out: Float64Array, from: number): void {
  for (let i = from; i < out.length; i++) out[i] = array.at(-1)! + array.at(0)! * array.at(3)!;
}
export function atRuntime(array: Float64Array, k: number): number {
  let s = 0;
  for (let i = 0; i < array.length; i++) s += array.at(k)!;
  return s;
}
export function fallsThrough(array: Float64Array): number {
  if (array.length < 2) return 1;
  for (let i = 0; i < array.length; i++) if (array[i] < 0) return 0;
}
export function padEnd(array: Float64Array | number[], result: Float64Array, from: number): string {
  for (let i = from; i < result.length; i++) result[i] = array.at(-1) as number;
  return 'done';
}
`;
  test('if/else returning at the end, early returns inside the loops: equal to the JS', () => {
    for (const line of [6, 12, 17]) checked('mono.ts', src, line);
    checked('mono.ts', src, 24);
    // A loop alone (its function returns a string): the prescan lets `.at(-1)` through too.
    assert.match(checked('mono.ts', src, 36).kernel!.name, /_loop0$/);
  });
  test('xs.at(k) with a run-time k stays refused (at truncates k and reads NaN as 0); a function that may fall off its end too', () => {
    assert.match(at('mono.ts', src, 28), /^no calls-function: calls array\.at\(\)/);
    assert.match(at('mono.ts', src, 33), /^no early-exit/);
  });
});

describe('an array tested for truthiness', () => {
  const src = `function unfilterUp(rawData, out, byteWidth, lastLine) {
  for (let x = 0; x < byteWidth; x++) {
    let up = lastLine ? lastLine[x] : 0;
    let upLeft = x > 0 && lastLine ? lastLine[x - 1] : 0;
    if (!lastLine) up = 1;
    out[x] = rawData[1 + x] + up + upLeft;
  }
}
function asValue(rawData, out, lastLine) {
  for (let x = 0; x < out.length; x++) out[x] = rawData[x] + (lastLine && 1) + lastLine[x];
}
`;
  const typed = `export function typedUp(out: Float64Array, lastLine: Float64Array | null) {
  for (let x = 0; x < out.length; x++) out[x] = lastLine ? lastLine[x] : 0;
}
`;
  test('an untyped array (its wrapper checks it is one) is always truthy: equal to the JS', () => {
    const l = checked('up.js', src, 2);
    assert.ok(l.kernel!.params.some((p) => p.name === 'lastLine' && p.typeSource === 'inferred'));
  });
  test('its value used in arithmetic, or a declared (unchecked) type, stays refused', () => {
    assert.match(at('up.js', src, 10), /^no unsupported-syntax: uses array lastLine as a value/);
    assert.match(at('typed.ts', typed, 2), /^no /);
  });
});

describe('assignments inside expressions', () => {
  const src = `function zero(e, q, n) {
  for (var i = 0; i < n; i++) e[i] = q[i] = 0.5;
}
function lengths(data, codeLengths, offset) {
  var codeLengthSum = 0;
  for (var j = 0; j < 16; j++, offset++) codeLengthSum += (codeLengths[j] = data[offset]);
  return codeLengthSum;
}
function compound(a, b) {
  var s = 0, t = 1;
  for (var j = 0; j < a.length; j++) s += (t *= a[j]) + (b[j] += Math.abs(a[j]));
  return s + t;
}
function readBefore(a, b) {
  var s = 0;
  for (var j = 0; j < a.length; j++) s += a[j] + (a[j] = b[j]);
  return s;
}
function indexAfter(a, b) {
  var s = 0;
  for (var j = 0; j < a.length; j++) s += (a[j] = b[j++]);
  return s;
}
function branch(a, b) {
  var s = 0;
  for (var j = 0; j < a.length; j++) s += b[j] > 0 && (a[j] = b[j]);
  return s;
}
`;
  test('chained stores, a stored value summed, compound assignments: equal to the JS', () => {
    for (const line of [2, 6, 11]) checked('assign.js', src, line);
  });
  test('a target read elsewhere in the expression, a side effect in the value, or a branch around it stays refused', () => {
    for (const line of [16, 21, 26])
      assert.match(at('assign.js', src, line), /^no unsupported-syntax: assignment inside an expression/);
  });
});

describe('number fields a loop writes (this.peak, this._crc)', () => {
  const src = `export class Spectrum {
  peak = 0;
  peakBand = 0;
  crc = -1;
  magnitudes(real: Float64Array, imag: Float64Array, out: Float64Array, bSi: number): void {
    for (let i = 0; i < out.length; i++) {
      const mag = bSi * Math.sqrt(real[i] * real[i] + imag[i] * imag[i]);
      if (mag > this.peak) {
        this.peakBand = i;
        this.peak = mag;
      }
      out[i] = mag;
    }
  }
  update(data: Float64Array, table: Float64Array): void {
    for (let i = 0; i < data.length; i++) this.crc = table[(this.crc ^ data[i]) & 0xff] ^ (this.crc >>> 8);
  }
  aliased(other: Spectrum, xs: Float64Array): void {
    for (let i = 0; i < xs.length; i++) {
      this.peak += xs[i];
      other.peak = xs[i];
    }
  }
}
`;
  const fields = ['peak', 'peakBand', 'crc'] as const;
  type Obj = Record<string, unknown>;
  /** Runs the method on an object whose fields are the kernel's `<field>_in` values; compares fields and arrays. */
  function fieldDifferential(line: number, method: string, args: readonly string[]): string[] {
    const a = analyzeSource('/w/spectrum.ts', src, { rootDir: '/w' });
    const l = a.loops.find((x) => x.line === line);
    assert.match(verdictOf(l), /^ok /);
    const k = l!.kernel!;
    assert.deepEqual(validateKernel(k), []);
    const js = ts.transpileModule(src, {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
    }).outputText;
    const Spectrum = loadJs(js, 'Spectrum') as unknown as new () => Obj;
    const out: string[] = [];
    for (const run of RUNS) {
      const inputs = originalArgs(k, makeInputs(k, { n: run.n, seed: 3, edge: run.edge }));
      const byName = new Map(k.params.map((p, i) => [p.name, inputs[i]]));
      const mine = cloneArgs(inputs);
      const got = runAsOriginal(k, mine);
      const obj = new Spectrum();
      for (const f of fields) if (byName.has(`${f}_in`)) obj[f] = byName.get(`${f}_in`);
      const theirs = cloneArgs(args.map((n) => byName.get(n)!));
      (obj[method] as (...xs: unknown[]) => void)(...theirs);
      const written = k.body.flatMap((s) => (s.kind === 'let' && s.init.kind === 'var' ? [s.name] : []));
      const finals = written.filter((n) => fields.includes(n as (typeof fields)[number]));
      const expected = finals.length === 1 ? obj[finals[0]!] : finals.map((f) => obj[f]);
      const gotList = ArrayBuffer.isView(got) ? [...(got as Float64Array)] : got;
      if (
        !same(
          Array.isArray(expected) ? new Float64Array(expected as number[]) : expected,
          ArrayBuffer.isView(got) ? got : gotList,
        )
      )
        out.push(`n ${run.n} ${run.edge}: fields ${String(expected)}, kernel ${String(gotList)}`);
      args.forEach((n, i) => {
        const j = k.params.findIndex((p) => p.name === n);
        if (!same(mine[j], theirs[i])) out.push(`n ${run.n} ${run.edge}: ${n} differs`);
      });
    }
    return out;
  }
  test('a running peak with its index, a CRC kept in a field: equal to the method run on an object', () => {
    assert.deepEqual(fieldDifferential(6, 'magnitudes', ['real', 'imag', 'out', 'bSi']), []);
    assert.deepEqual(fieldDifferential(16, 'update', ['data', 'table']), []);
  });
  test('a field of another object with the same name (it may be this one) stays refused', () => {
    assert.match(at('spectrum.ts', src, 19), /^no object-property: .*may be the same field/);
  });
});

describe('a new typed array filled by a loop that also updates outer scalars', () => {
  const src = `function delayLine(samples, delay, state) {
  var outputSamples = new Float64Array(samples.length);
  var inPtr = state[0], outPtr = state[1];
  for (var i = 0; i < samples.length; i++) {
    var sample = delay[outPtr] * 0.5 + samples[i];
    delay[inPtr] = sample;
    outputSamples[i] = sample * 0.8;
    inPtr++;
    if (inPtr >= delay.length) inPtr = 0;
    outPtr++;
    if (outPtr >= delay.length) outPtr = 0;
  }
  state[0] = inPtr;
  state[1] = outPtr;
  console.log('done');
  return outputSamples;
}
function plainOut(samples, state) {
  var out = [];
  var acc = state[0];
  for (var i = 0; i < samples.length; i++) { acc += samples[i]; out[i] = acc; }
  state[0] = acc;
  console.log('done');
  return out;
}
`;
  test('the typed array is an ordinary parameter (filled in place), the scalars live-outs: equal to the JS', () => {
    const l = checked('delay.js', src, 4);
    assert.ok(l.kernel!.params.some((p) => p.name === 'outputSamples' && p.kind === 'array' && !p.fresh));
  });
  test('a plain [] (it grows as JS writes past its end) stays refused', () => {
    assert.match(
      at('delay.js', src, 21),
      /^no allocates: fills a new array and also updates outer variables/,
    );
  });
});

describe('map/forEach over an array literal of constants', () => {
  const src = `function mk(lab0, lab1) {
  return function (t) {
    const lab = [0, 1, 2].map((i) => lab0[i] + t * (lab1[i] - lab0[i]));
    return { lab };
  };
}
function sumIt(xs) {
  var s = 0;
  [1, 2, 4].forEach(function (k) { s += xs[k] * k; });
  return s;
}
function notConstant(xs, n) {
  var s = 0;
  [1, n, 4].forEach(function (k) { s += xs[k] * k; });
  return s;
}
`;
  test('the literal is a constant table: equal to the JS', () => {
    checked('lit.js', src, 3);
    checked('lit.js', src, 9);
  });
  test('a literal with a run-time element stays refused (it allocates)', () => {
    assert.match(at('lit.js', src, 14), /^no allocates: allocates an array literal/);
  });
});

describe('an untyped value used as rows in one branch and as numbers in another', () => {
  const src = `function centroids(data, idxs, count, ks, multi, len, k) {
  var sum = [];
  if (multi) {
    for (let i = 0; i < len; i++) { let v = sum[idxs[i]], d = data[i]; v[0] += d[0]; }
  } else {
    for (let i = 0; i < len; i++) { let idx = idxs[i]; sum[idx] += data[i]; }
    for (let j = 0; j < k; j++) { ks[j] = sum[j] / count[j] || 0; }
  }
  return ks;
}
function bothInLoop(x, n) {
  var s = 0;
  for (let i = 0; i < n; i++) s += x[i][0] + x[i] * 2;
  return s;
}
`;
  test("typed by the loop's own uses (its wrapper checks them at run time): equal to the JS", () => {
    const l = checked('km.js', src, 6);
    assert.ok(l.kernel!.params.some((p) => p.name === 'data' && p.kind === 'array' && p.rank === undefined));
  });
  test('uses that conflict inside the loop itself stay refused', () => {
    assert.match(at('km.js', src, 13), /^no /);
  });
});
