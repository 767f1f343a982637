// The hashing advisor on its fixtures: goldens of the findings and of the rewritten files; the
// rewritten positives return what the originals return (sizes 0, 1, odd, larger; values with NaN,
// ±Infinity, -0 and integers), and the look-alikes get no rewrite, each with its reason. The typed
// integer table (the second rewrite) answers as a Map on random operations.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { adviseHashing, applyHashing, type HashingFinding } from '../../src/core/advisors/hashing/index.js';
import { TABLE_CLASS, tableHelperText } from '../../src/core/advisors/hashing/table.js';
import { ts } from '../../src/core/analysis/ts.js';
import { valueFixtureSuite } from '../support/advisorValueSuite.js';

const dir = join(import.meta.dirname, '..', 'fixtures', 'advisors', 'hashing');

const summary = (f: HashingFinding): unknown => {
  const v = f.verdict;
  return {
    kind: f.kind,
    line: f.line,
    functionName: f.functionName,
    object: f.object,
    verdict: v.kind === 'rewrite' ? { kind: v.kind, summary: v.summary, assumes: v.assumes } : v,
  };
};

valueFixtureSuite({ label: 'hashing', dir, advise: adviseHashing, apply: applyHashing, summary });

test('the typed integer table answers get/has/set as a Map does (uint32 keys, the rest, growth)', async () => {
  const js = ts.transpileModule(`${tableHelperText()}\nexport { ${TABLE_CLASS} };`, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ES2022 },
  }).outputText;
  type Table = {
    get(k: number): number | undefined;
    has(k: number): boolean;
    set(k: number, v: number): Table;
  };
  const dir = mkdtempSync(join(tmpdir(), 'hotloop-int-table-'));
  let Table: new () => Table;
  try {
    writeFileSync(join(dir, 'table.mjs'), js);
    Table = ((await import(pathToFileURL(join(dir, 'table.mjs')).href)) as Record<string, new () => Table>)[
      TABLE_CLASS
    ]!;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const special = [0, -0, 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, -1, 0.5, NaN, Infinity, -Infinity, 2 ** 53];
  let s = 12345;
  const rnd = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const key = (): number => {
    const u = rnd();
    if (u < 0.1) return special[Math.floor(rnd() * special.length)]!;
    if (u < 0.5) return Math.floor(rnd() * 5000) * 1024; // keys sharing low bits
    return Math.floor(rnd() * 2 ** 32);
  };
  const [t, m] = [new Table(), new Map<number, number>()];
  for (let i = 0; i < 60_000; i++) {
    const k = key();
    const op = rnd();
    if (op < 0.4) {
      const v = op < 0.01 ? NaN : op < 0.02 ? -0 : rnd() * 100 - 50;
      t.set(k, v);
      m.set(k, v);
    } else if (op < 0.7) assert.equal(t.get(k), m.get(k), `get(${k})`);
    else assert.equal(t.has(k), m.has(k), `has(${k})`);
  }
  for (const k of [...m.keys(), ...special]) assert.equal(t.get(k), m.get(k), `get(${k})`);
  assert.ok(m.size > 15_000, 'the table grew many times');
});
