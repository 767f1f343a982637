// Apply on a file that starts with a byte order mark (issue 19): the import goes after the BOM,
// so U+FEFF stays the first character and never ends up mid-file.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeSource } from '../../src/core/analysis/index.js';
import { applyTextEdits, planApply, textHash } from '../../src/core/advice/apply.js';

const body =
  'export function sum(xs: Float64Array): number {\n  let s = 0;\n  for (let i = 0; i < xs.length; i++) s += xs[i];\n  return s;\n}\n';

for (const [label, text] of [
  ['BOM', `\uFEFF${body}`],
  ['BOM + shebang', `\uFEFF#!/usr/bin/env node\n${body}`],
  ['BOM + comment', `\uFEFF// header\n\n${body}`],
] as const) {
  test(`apply keeps a leading byte order mark first (${label})`, () => {
    const loop = analyzeSource('src/s.ts', text).loops.find((l) => l.functionName === 'sum');
    assert.ok(loop);
    const plan = planApply({
      text,
      fileName: 'src/s.ts',
      loop,
      expectedHash: textHash(text),
      wrapper: {
        importPath: '../hotloop/sum-native/index.js',
        exportName: loop.kernel?.name ?? 'sum',
        target: 'native',
        async: false,
      },
    });
    assert.ok(plan.ok, plan.ok ? '' : plan.reason);
    const out = applyTextEdits(text, plan.edits);
    assert.equal(out.indexOf('\uFEFF'), 0, 'the BOM is the first character');
    assert.equal(out.lastIndexOf('\uFEFF'), 0, 'and the only one');
    assert.match(out, /import \{ sum as sumNative \}/);
    if (label === 'BOM + shebang') assert.ok(out.startsWith('\uFEFF#!/usr/bin/env node\n'));
  });
}
