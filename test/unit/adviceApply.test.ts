// Applying a rewrite (src/core/advice/apply.ts): the edits on real fixtures, the exact inverse, the
// refusals, and that the applied file type-checks against a real scaffold's wrapper.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeSource } from '../../src/core/analysis/index.js';
import { ts } from '../../src/core/analysis/ts.js';
import type { LoopFacts } from '../../src/core/analysis/types.js';
import {
  applyTextEdits,
  inverseTextEdits,
  planApply,
  textHash,
  wrapperImportPath,
  type ApplyRequest,
} from '../../src/core/advice/apply.js';
import { planScaffold, writeScaffold } from '../../src/core/scaffold/index.js';

const root = new URL('../..', import.meta.url).pathname;
const SENSOR = readFileSync(join(root, 'examples/src/sensorStats.ts'), 'utf8');

function loopOf(file: string, text: string, fn: string): LoopFacts {
  const loop = analyzeSource(file, text).loops.find((l) => l.functionName === fn && l.depth === 0);
  assert.ok(loop, `no loop in ${fn}`);
  return loop;
}

function request(
  file: string,
  text: string,
  fn: string,
  extra: Partial<ApplyRequest['wrapper']> = {},
): ApplyRequest {
  const loop = loopOf(file, text, fn);
  return {
    text,
    fileName: file,
    loop,
    expectedHash: textHash(text),
    wrapper: {
      importPath: `../hotloop/${fn}-native/index.js`,
      exportName: loop.kernel?.name ?? fn,
      target: 'native',
      async: false,
      originalPath: `hotloop/${fn}-native/original.ts`,
      ...extra,
    },
  };
}

function applied(req: ApplyRequest): string {
  const plan = planApply(req);
  assert.ok(plan.ok, plan.ok ? '' : plan.reason);
  const out = applyTextEdits(req.text, plan.edits);
  // The exact inverse: byte for byte the original.
  assert.equal(applyTextEdits(out, inverseTextEdits(req.text, plan.edits)), req.text);
  return out;
}

describe('advice apply', () => {
  test('sum in examples/src/sensorStats.ts: body → wrapper call, import after the header comment, exact inverse', () => {
    const out = applied(request('src/sensorStats.ts', SENSOR, 'sum'));
    assert.match(
      out,
      /^\/\/ Statistics over sensor readings[\s\S]*?\n\nimport \{ sum as sumNative \} from '\.\.\/hotloop\/sum-native\/index\.js';\n\nexport interface Reading/,
    );
    assert.match(
      out,
      /export function sum\(xs: Float64Array\): number \{\n {2}\/\/ Hotloop: native rewrite \(undo to restore the loop; the original is kept in hotloop\/sum-native\/original\.ts\)\.\n {2}return sumNative\(xs\);\n\}\n/,
    );
    // Everything else is untouched: the other functions still have their loops.
    const after = analyzeSource('src/sensorStats.ts', out);
    assert.equal(
      after.loops.some((l) => l.functionName === 'sum'),
      false,
    );
    assert.deepEqual(
      after.loops.filter((l) => l.functionName !== 'sum').map((l) => l.id),
      analyzeSource('src/sensorStats.ts', SENSOR)
        .loops.filter((l) => l.functionName !== 'sum')
        .map((l) => l.id),
    );
    assert.ok(
      !out.includes('s += xs[i]') || out.indexOf('s += xs[i]') > out.indexOf('sumArray'),
      'the loop of sum is gone',
    );
  });

  test('every translatable whole-function loop of sensorStats.ts applies and inverts exactly', () => {
    let n = 0;
    for (const l of analyzeSource('src/sensorStats.ts', SENSOR).loops) {
      if (!l.kernel || l.kernel.name !== l.functionName) continue;
      applied(request('src/sensorStats.ts', SENSOR, l.functionName));
      n++;
    }
    assert.ok(n >= 4, `only ${n} loops applied`);
  });

  test('const arrow (block and expression bodies), existing imports, CRLF, indentation kept', () => {
    const src = [
      "import { readFileSync } from 'node:fs';",
      "import type { Stats } from './types.js';",
      '',
      'export const dot = (a: Float64Array, b: Float64Array): number => {',
      '    let s = 0;',
      '    for (let i = 0; i < a.length; i++) s += a[i] * b[i];',
      '    return s;',
      '};',
      'export const total = (xs: number[]): number => xs.reduce((acc, x) => acc + x, 0);',
      '',
    ].join('\r\n');
    const out = applied(request('lib.ts', src, 'dot'));
    assert.equal(
      out,
      [
        "import { readFileSync } from 'node:fs';",
        "import type { Stats } from './types.js';",
        "import { dot as dotNative } from '../hotloop/dot-native/index.js';",
        '',
        'export const dot = (a: Float64Array, b: Float64Array): number => {',
        '    // Hotloop: native rewrite (undo to restore the loop; the original is kept in hotloop/dot-native/original.ts).',
        '    return dotNative(a, b);',
        '};',
        'export const total = (xs: number[]): number => xs.reduce((acc, x) => acc + x, 0);',
        '',
      ].join('\r\n'),
    );
    const total = loopOf('lib.ts', src, 'total');
    if (total.kernel?.name === 'total') {
      const out2 = applied(request('lib.ts', src, 'total'));
      assert.match(out2, /export const total = \(xs: number\[\]\): number => totalNative\(xs\);/);
    }
  });

  test('a JSDoc attached to the first statement stays attached; the alias avoids names in use', () => {
    const src =
      '/** Sums. */\nexport function sum(xs: Float64Array): number {\n  let s = 0;\n  for (let i = 0; i < xs.length; i++) s += xs[i];\n  return s;\n}\nconst sumNative = 1;\n';
    const out = applied(request('a.ts', src, 'sum'));
    assert.ok(
      out.startsWith(
        "import { sum as sumNative2 } from '../hotloop/sum-native/index.js';\n\n/** Sums. */\nexport function sum(",
      ),
      out,
    );
  });

  test('refusals say why and change nothing', () => {
    const cases: [string, string, string, RegExp, Partial<ApplyRequest['wrapper']>?][] = [
      // A loop that is only part of its function is extracted (applyEngine.test.ts), unless it cannot move.
      [
        'part of a function, as an expression',
        'export function f(xs: number[]): number {\n  console.log("start");\n  const s = xs.reduce((a, x) => a + x, 0);\n  return s * 2;\n}\n',
        'f',
        /does more than the loop|not translatable/,
      ],
      ['async wrapper', SENSOR, 'sum', /returns a Promise/, { async: true, target: 'worker' }],
      [
        'CommonJS',
        '/** @param {Float64Array} xs */\nfunction sum(xs) {\n  let s = 0;\n  for (let i = 0; i < xs.length; i++) s += xs[i];\n  return s;\n}\nmodule.exports = { sum };\n',
        'sum',
        /CommonJS module and the worker wrapper is asynchronous/,
        { async: true, target: 'worker' },
      ],
    ];
    for (const [what, src, fn, why, extra] of cases) {
      const file = what === 'CommonJS' ? 'a.js' : 'a.ts';
      const loop = analyzeSource(file, src).loops.find((l) => l.functionName === fn && l.depth === 0);
      assert.ok(loop, `${what}: no loop in ${fn}`);
      const plan = planApply({
        text: src,
        fileName: file,
        loop,
        wrapper: {
          importPath: './w/index.js',
          exportName: loop.kernel?.name ?? fn,
          target: 'native',
          async: false,
          ...extra,
        },
      });
      assert.equal(plan.ok, false, what);
      assert.match(plan.reason, why, what);
    }
  });

  test('a method and a prototype-assigned function keep their member, only the body calls the wrapper', () => {
    const cases: [string, string, string][] = [
      [
        'a.ts',
        'export class A {\n  sum(xs: Float64Array): number {\n    let s = 0;\n    for (let i = 0; i < xs.length; i++) s += xs[i];\n    return s;\n  }\n}\n',
        'A.sum',
      ],
      [
        'b.ts',
        '/** @param {Float64Array} xs */\nexport const P = {\n  sum(xs: Float64Array): number {\n    let s = 0;\n    for (let i = 0; i < xs.length; i++) s += xs[i];\n    return s;\n  },\n};\n',
        'P.sum',
      ],
    ];
    for (const [file, src, fn] of cases) {
      const loop = analyzeSource(file, src).loops.find((l) => l.depth === 0);
      assert.ok(loop?.kernel, `${fn}: translatable`);
      const plan = planApply({
        text: src,
        fileName: file,
        loop,
        wrapper: { importPath: './w/index.js', exportName: loop.kernel.name, target: 'wasm', async: false },
      });
      assert.ok(plan.ok, plan.ok ? '' : `${fn}: ${plan.reason}`);
      const after = applyTextEdits(src, plan.edits);
      assert.match(after, /sum\(xs: Float64Array\): number \{\n[^]*return sumWasm\(xs\);/, after);
      assert.match(after, /import \{ \w+ as sumWasm \} from '\.\/w\/index\.js';/);
      assert.doesNotMatch(after, /for \(/, `${fn}: the loop is gone`);
      assert.equal(applyTextEdits(after, inverseTextEdits(src, plan.edits)), src);
    }
  });

  test('a let/var function keeps its variable: only the body calls the wrapper', () => {
    const src =
      'export let g = (xs: Float64Array): number => {\n  let s = 0;\n  for (let i = 0; i < xs.length; i++) s += xs[i];\n  return s;\n};\n';
    const loop = analyzeSource('c.ts', src).loops.find((l) => l.depth === 0);
    assert.ok(loop?.kernel, 'g: translatable');
    const plan = planApply({
      text: src,
      fileName: 'c.ts',
      loop,
      wrapper: { importPath: './w/index.js', exportName: loop.kernel.name, target: 'wasm', async: false },
    });
    assert.ok(plan.ok, plan.ok ? '' : plan.reason);
    const after = applyTextEdits(src, plan.edits);
    assert.match(after, /export let g = \(xs: Float64Array\): number => \{\n[^]*return gWasm\(xs\);/, after);
    assert.equal(applyTextEdits(after, inverseTextEdits(src, plan.edits)), src);
  });

  test('a CommonJS file requires the synchronous wrapper, after its directive prologue', () => {
    const src =
      "'use strict';\n/** @param {Float64Array} xs */\nfunction sum(xs) {\n  let s = 0;\n  for (let i = 0; i < xs.length; i++) s += xs[i];\n  return s;\n}\nmodule.exports = { sum };\n";
    const loop = analyzeSource('a.js', src).loops.find((l) => l.functionName === 'sum' && l.depth === 0);
    assert.ok(loop?.kernel, 'sum is translatable');
    const plan = planApply({
      text: src,
      fileName: 'a.js',
      loop,
      wrapper: {
        importPath: './w/dist/index.js',
        exportName: loop.kernel.name,
        target: 'wasm',
        async: false,
      },
    });
    assert.ok(plan.ok, plan.ok ? '' : plan.reason);
    const after = applyTextEdits(src, plan.edits);
    assert.ok(
      after.startsWith("'use strict';\nconst { sum: sumWasm } = require('./w/dist/index.js');\n"),
      after,
    );
    assert.match(after, /return sumWasm\(xs\);/);
    assert.equal(applyTextEdits(after, inverseTextEdits(src, plan.edits)), src);
  });

  test('a file changed since the analysis is refused (hash), and a stale position too', () => {
    const req = request('src/sensorStats.ts', SENSOR, 'sum');
    const changed = planApply({ ...req, text: `${SENSOR}// typed after the analysis\n` });
    assert.equal(changed.ok, false);
    assert.match(changed.reason, /changed since it was analysed/);
    const moved = planApply({
      ...req,
      expectedHash: undefined,
      text: SENSOR.replace('export function sum', 'export function summ'),
    });
    assert.equal(moved.ok, false);
  });

  test('wrapperImportPath is relative with ./ and forward slashes; JS sources import dist/', () => {
    assert.equal(
      wrapperImportPath('/ws/src/stats.ts', '/ws/hotloop/sum-native'),
      '../hotloop/sum-native/index.js',
    );
    assert.equal(
      wrapperImportPath('/ws/stats.ts', '/ws/hotloop/sum-native'),
      './hotloop/sum-native/index.js',
    );
    assert.equal(
      wrapperImportPath('C:\\ws\\src\\a.ts', 'C:\\ws\\hotloop\\s-wasm'),
      '../hotloop/s-wasm/index.js',
    );
    // JavaScript sources import the built wrapper (the folder's `npm run build` writes dist/).
    assert.equal(
      wrapperImportPath('/ws/src/stats.mjs', '/ws/hotloop/sum-native'),
      '../hotloop/sum-native/dist/index.js',
    );
  });

  test('the applied file type-checks against a real native scaffold of it', async () => {
    const ws = await mkdtemp(join(tmpdir(), 'hotloop-apply-'));
    try {
      await mkdir(join(ws, 'src'));
      const file = join(ws, 'src/sensorStats.ts');
      await writeFile(file, SENSOR);
      const loop = loopOf('src/sensorStats.ts', SENSOR, 'variance');
      const planned = await planScaffold({
        kernel: loop.kernel!,
        target: 'native',
        workspaceRoot: ws,
        outputDir: 'hotloop',
        workspaceTrusted: true,
      });
      assert.ok(planned.ok, planned.ok ? '' : planned.reason);
      assert.ok((await writeScaffold(planned.plan)).ok);
      const plan = planApply({
        text: SENSOR,
        fileName: file,
        loop,
        wrapper: {
          importPath: wrapperImportPath(file, planned.plan.dir),
          exportName: 'variance',
          target: 'native',
          async: planned.plan.properties.async,
        },
      });
      assert.ok(plan.ok, plan.ok ? '' : plan.reason);
      await writeFile(file, applyTextEdits(SENSOR, plan.edits));
      const program = ts.createProgram([file], {
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        types: ['node'],
        typeRoots: [join(root, 'node_modules/@types')],
      });
      const diags = ts
        .getPreEmitDiagnostics(program)
        .map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
      assert.deepEqual(
        diags.filter((d) => !d.includes('noUncheckedIndexedAccess')),
        [],
      );
    } finally {
      await rm(ws, { recursive: true, force: true });
    }
  });
});
