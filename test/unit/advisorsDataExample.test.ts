// The layout and hashing advisors' example programs (examples/advisors/layout, …/hashing): applying
// each advisor's rewrite keeps the program's output identical; and on IO-bound loops (the IO
// advisor's positive fixtures) neither offers a rewrite, so the IO advice stays the only one.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { promisify } from 'node:util';
import { adviseHashing, applyHashing } from '../../src/core/advisors/hashing/index.js';
import { adviseLayout, applyLayout } from '../../src/core/advisors/layout/index.js';

const root = join(import.meta.dirname, '..', '..');
const run = promisify(execFile);

const main = async (dir: string, args: readonly string[]): Promise<string> =>
  (
    await run(process.execPath, ['--import', 'tsx', join(dir, 'main.ts'), ...args], {
      cwd: root,
      timeout: 120_000,
    })
  ).stdout;

type Apply = (file: string, text: string) => { text: string; rewritten: number };

async function sameOutput(
  name: string,
  file: string,
  apply: Apply,
  args: readonly string[],
  marker: RegExp,
): Promise<{ before: string; rewritten: string }> {
  const example = join(root, 'examples', 'advisors', name);
  const dir = mkdtempSync(join(tmpdir(), `hotloop-${name}-example-`));
  try {
    cpSync(example, dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
    const path = join(dir, file);
    const r = apply(path, readFileSync(path, 'utf8'));
    assert.equal(r.rewritten, 1, file);
    writeFileSync(path, r.text);
    assert.match(r.text, marker);
    const [before, after] = [await main(example, args), await main(dir, args)];
    assert.equal(after, before);
    return { before, rewritten: r.text };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('examples/advisors/layout and …/hashing', () => {
  test('the layout rewrite of fit.ts prints the same fit', async () => {
    const { before } = await sameOutput(
      'layout',
      'fit.ts',
      applyLayout,
      ['20001', '7'],
      /new Float64Array\(readings\.length\)/,
    );
    assert.match(before, /^a -?\d+\.\d+/m);
    assert.match(before, /^b -?\d+\.\d+/m);
  });
  test('the hashing rewrite of attribute.ts prints the same attribution', async () => {
    const { before } = await sameOutput(
      'hashing',
      'attribute.ts',
      applyHashing,
      ['100001', '5003'],
      /new HotloopIntTable\(\)/,
    );
    const head = /^events 100001 {2}purchases (\d+) {2}attributed (\d+)$/m.exec(before);
    assert.ok(head, before);
    assert.ok(Number(head[2]) > 0 && Number(head[2]) < Number(head[1]), 'some purchases attributed, not all');
    assert.equal(before.trim().split('\n').length, 12);
  });
});

test('IO-bound loops get no layout or hashing rewrite (the IO advice is the only one)', () => {
  const dir = join(root, 'test', 'fixtures', 'advisors', 'io', 'positive');
  const names = readdirSync(dir).filter((f) => /^[a-zA-Z]+\.(ts|js)$/.test(f));
  assert.ok(names.length >= 5);
  for (const name of names) {
    const text = readFileSync(join(dir, name), 'utf8');
    const found = [...adviseLayout(name, text), ...adviseHashing(name, text)];
    assert.deepEqual(
      found.filter((f) => f.verdict.kind === 'rewrite').map((f) => f.line),
      [],
      name,
    );
  }
  // And an awaiting loop that would otherwise qualify is named as IO-bound.
  for (const [file, advise] of [
    ['layout/negative/ioBound.ts', adviseLayout],
    ['hashing/negative/ioBound.ts', adviseHashing],
  ] as const) {
    const path = join(root, 'test', 'fixtures', 'advisors', file);
    const [f] = advise(path, readFileSync(path, 'utf8'));
    assert.ok(f && f.verdict.kind === 'left-alone' && /IO-bound/.test(f.verdict.reason), file);
  }
});
