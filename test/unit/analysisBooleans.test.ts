// Booleans of real code (issue 15): a boolean parameter, a flag set inside a loop and read after it,
// `conv = conv || …`, a destructured `{ flag = true }` — each only tested for truthiness, so the kernel
// takes it as a `truthy` 1/0 scalar and gives a flag back as a boolean. Each lowering is run against
// its own JS (false/true, and for a parameter any JS value: undefined, 0, 'x', NaN…), and a look-alike
// that observes the boolean as a value stays refused.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSource } from '../../src/core/analysis/index.js';
import { ts } from '../../src/core/analysis/ts.js';
import { originalArgs, runAsOriginal } from '../../src/core/ir/fresh.js';
import { cloneArgs, makeInputs } from '../../src/core/ir/random.js';
import type { Kernel, KernelArg } from '../../src/core/ir/types.js';
import { planScaffold } from '../../src/core/scaffold/plan.js';
import { targetNames } from '../../src/core/scaffold/registry.js';
import { loadJs } from '../support/loadJs.js';
import { same } from '../support/loopRef.js';
import { at, checked } from '../support/recallCheck.js';

/** Values a boolean parameter may get at run time in untyped code, each with its JS truthiness. */
const TRUTHY_VALUES: readonly unknown[] = [true, false, undefined, null, 0, -0, 1, NaN, '', 'x', {}, []];

/** The whole-function kernel `k` of `fn` in `src` vs the JS, with the truthy parameter set to each value. */
function anyValueDifferential(file: string, src: string, fn: string, k: Kernel): string[] {
  const js = ts.transpileModule(src, {
    fileName: file,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  }).outputText;
  const ref = loadJs(js, fn);
  const flag = k.params.findIndex((p) => p.kind === 'scalar' && p.truthy);
  assert.ok(flag >= 0, 'no truthy parameter');
  const out: string[] = [];
  for (const v of TRUTHY_VALUES) {
    const args = originalArgs(k, makeInputs(k, { n: 9, seed: 5, edge: 'none' }));
    args[flag] = v as KernelArg;
    const mine = cloneArgs(args);
    const theirs = cloneArgs(args);
    const got = runAsOriginal(k, mine);
    const want = ref(...theirs);
    if (!same(got, want)) out.push(`${String(v)}: result JS ${String(want)}, IR ${String(got)}`);
    mine.forEach((a, i) => {
      if (!same(a, theirs[i])) out.push(`${String(v)}: argument ${i} differs`);
    });
  }
  return out;
}

/** Every target either plans the kernel or declines with a reason of its own (not "not valid IR"). */
async function plansOrDeclines(k: Kernel): Promise<string[]> {
  const planned: string[] = [];
  for (const target of targetNames()) {
    const r = await planScaffold({
      kernel: k,
      target,
      workspaceRoot: '/tmp/hotloop-bool-plan',
      outputDir: 'hotloop',
      workspaceTrusted: true,
    });
    if (r.ok) planned.push(target);
    else assert.ok(r.reason.trim() && !r.reason.includes('not valid IR'), `${target}: ${r.reason}`);
  }
  return planned;
}

describe('a boolean parameter only tested (dsp.js mixSampleBuffers, negate ? -x : x)', () => {
  const src = `export function mix(a: Float64Array, b: Float64Array, out: Float64Array, negate: boolean, gain: number): void {
  for (let i = 0; i < out.length; i++) {
    out[i] = a[i] + (negate ? -b[i] : b[i]) / gain;
    if (!negate && a[i] > 1) out[i] = 1;
  }
}
export function mixEq(a: Float64Array, out: Float64Array, negate: boolean): void {
  for (let i = 0; i < out.length; i++) {
    out[i] = negate === true ? -a[i] : a[i];
  }
}
/** @param {Float64Array} a @param {boolean} negate */
export function scale(a: Float64Array, negate: boolean): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += negate ? -a[i] : a[i];
  return s;
}
`;
  test('is a truthy i32 parameter; equal to the JS for false/true and for any value', async () => {
    const l = checked('mix.ts', src, 2);
    const k = l.kernel!;
    const p = k.params.find((q) => q.name === 'negate');
    assert.deepEqual(p, { kind: 'scalar', name: 'negate', dtype: 'i32', truthy: true });
    assert.ok(
      l.verdict.translatable && l.verdict.notes?.some((n) => /negate: a boolean only tested/.test(n)),
    );
    assert.deepEqual(anyValueDifferential('mix.ts', src, 'mix', k), []);
    const s = checked('mix.ts', src, 15).kernel!;
    assert.deepEqual(anyValueDifferential('mix.ts', src, 'scale', s), []);
    const planned = await plansOrDeclines(k);
    for (const t of ['wasm', 'native', 'worker'] as const) assert.ok(planned.includes(t), `${t} plans`);
  });
  test('look-alike: compared with === true (the value, not its truthiness) stays refused', () => {
    assert.match(at('mix.ts', src, 8), /^no unknown-types: negate is boolean, not a number/);
  });
});

describe('a flag set inside a loop and read after it (umap rejectionSample, chroma limits)', () => {
  const src = `declare function pick(i: number): number;
export function countNew(result: Float64Array, n: number): number {
  let count = 0;
  for (let i = 0; i < n; i++) {
    const j = pick(i);
    let broken = false;
    for (let k = 0; k < i; k++) {
      if (j === result[k]) {
        broken = true;
        break;
      }
    }
    if (!broken) count++;
  }
  return count;
}
export function has(result: Float64Array, j: number): boolean {
  let found = false;
  for (let k = 0; k < result.length; k++) {
    if (j === result[k]) {
      found = true;
      break;
    }
  }
  return found;
}
`;
  test('the loop kernel takes the flag as 1/0 and gives it back as a boolean', async () => {
    const l = checked('flags.ts', src, 7);
    const k = l.kernel!;
    assert.deepEqual(
      k.params.find((p) => p.name === 'broken_in'),
      { kind: 'scalar', name: 'broken_in', dtype: 'i32', truthy: true },
    );
    assert.equal(k.result.kind === 'scalar' && k.result.truthy, true);
    const args = makeInputs(k, { n: 5, seed: 1, edge: 'none' });
    assert.equal(typeof runAsOriginal(k, args), 'boolean');
    const planned = await plansOrDeclines(k);
    for (const t of ['wasm', 'native'] as const) assert.ok(planned.includes(t), `${t} plans`);
  });
  test('look-alike: a flag the function returns (its value is observed) stays refused', () => {
    assert.match(
      at('flags.ts', src, 19),
      /^no (unknown-types|unsupported-syntax): (found is boolean|uses a boolean value)/,
    );
  });
});

describe('conv = conv || (--it <= 0) (skmeans): the flag flows back into itself', () => {
  const src = `function km(old, ks, it) {
  var conv = false;
  do {
    conv = true;
    for (var j = 0; j < ks.length; j++) {
      if (old[j] != ks[j]) {
        conv = false;
        break;
      }
    }
    conv = conv || --it <= 0;
  } while (!conv);
  return it;
}
function km2(old, ks, it) {
  var conv = false;
  var other = 0;
  do {
    conv = true;
    for (var j = 0; j < ks.length; j++) {
      if (old[j] != ks[j]) {
        conv = false;
        break;
      }
    }
    other = conv || --it <= 0;
  } while (!other);
  return other;
}
`;
  test('the loop that clears the flag is a kernel equal to its JS', () => {
    const k = checked('km.js', src, 5).kernel!;
    assert.equal(k.result.kind === 'scalar' && k.result.truthy, true);
  });
  test('look-alike: the flag flows into another variable that is returned', () => {
    assert.match(
      at('km.js', src, 20),
      /^no (unknown-types|unsupported-syntax): (conv is boolean|uses a boolean value)/,
    );
  });
});

describe('a destructured option with a boolean default (ml-spectra hilbertTransform)', () => {
  const src = `export function rot(array: number[], options: { inClockwise?: boolean } = {}): Float64Array {
  const { inClockwise = true } = options;
  const result = new Float64Array(array.length);
  for (let k = 0; k < array.length; k++) result[k] = (inClockwise ? 1 : -1) * array[k];
  return result;
}
export function rot2(array: number[], options: { inClockwise?: boolean } = {}): Float64Array {
  const { inClockwise = true } = options;
  const result = new Float64Array(array.length);
  for (let k = 0; k < array.length; k++) result[k] = (inClockwise ? 1 : -1) * array[k];
  return inClockwise ? result : array.map((x) => x + Number(inClockwise));
}
`;
  test('is a truthy parameter of the loop kernel, equal to its JS', () => {
    const k = checked('rot.ts', src, 4).kernel!;
    assert.ok(k.params.some((p) => p.kind === 'scalar' && p.truthy && p.name === 'inClockwise'));
  });
  test('look-alike: used as a number elsewhere in the function (Number(inClockwise)) stays refused', () => {
    assert.match(at('rot.ts', src, 10), /^no unknown-types: inClockwise is boolean, not a number/);
  });
});

describe('an untyped value used only as a condition (jpeg-js copyToImageData, if (formatAsRGBA))', () => {
  const src = `function copy(a, out, rgba) {
  for (var i = 0; i < a.length; i++) {
    if (rgba) out[i] = a[i];
    else out[i] = 255 - a[i];
  }
}
function copy2(a, out, rgba) {
  for (var i = 0; i < a.length; i++) {
    if (rgba) out[i] = a[i];
    else out[i] = 255 - a[i];
  }
  return rgba.name;
}
`;
  test('is a truthy parameter; equal to the JS for any value', () => {
    const k = checked('copy.js', src, 2).kernel!;
    assert.ok(k.params.some((p) => p.kind === 'scalar' && p.truthy && p.name === 'rgba'));
    assert.deepEqual(anyValueDifferential('copy.js', src, 'copy', k), []);
  });
  test('look-alike: also read as an object (rgba.name) stays refused', () => {
    assert.match(at('copy.js', src, 8), /^no unknown-types: rgba has no type and reads rgba\.name/);
  });
});

describe('wrappers pass a truthy parameter as its truthiness and give a flag back as a boolean', () => {
  const src = `export function mix(a: Float64Array, out: Float64Array, negate: boolean): void {
  for (let i = 0; i < out.length; i++) out[i] = negate ? -a[i] : a[i];
}
`;
  test('every planned target: boolean in the signature, (negate ? 1 : 0) or ToBoolean into the kernel', async () => {
    const k = analyzeSource('/w/m.ts', src, { rootDir: '/w' }).loops[0]!.kernel!;
    for (const target of targetNames()) {
      const r = await planScaffold({
        kernel: k,
        target,
        workspaceRoot: '/tmp/hotloop-bool-plan',
        outputDir: 'hotloop',
        workspaceTrusted: true,
        cuda: target === 'gpu',
      });
      if (!r.ok) continue;
      const files = new Map(
        r.plan.files.map((f) => [f.path.replace(/^.*?\/hotloop\/[^/]+\//, ''), f.contents]),
      );
      const text = (suffix: string): string =>
        [...files]
          .filter(([p]) => p.endsWith(suffix))
          .map(([, c]) => c)
          .join('\n');
      assert.match(text('index.ts') + text('index.d.ts'), /negate: boolean/, `${target}: signature`);
      // The tuned-JS target runs JS itself: the boolean is tested as is, as the original does.
      if (target === 'js') {
        assert.match(text('index.js'), /negate \? -/, 'js: tests the boolean');
        continue;
      }
      assert.match(text('original.ts'), /negate \? -/, `${target}: original tests the boolean`);
      const cc = text('.cc') + text('.cu');
      if (cc) assert.match(cc, /readTruthy\(info\[2\]/, `${target}: C++ reads ToBoolean`);
      else assert.match(text('index.ts') + text('shards.ts'), /\(negate \? 1 : 0\)/, `${target}: 1/0 passed`);
    }
  });
});
