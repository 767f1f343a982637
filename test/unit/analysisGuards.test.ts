// analyze on hostile folders (issue 19): special files, files over the size cap, deep nesting and a
// spent time budget each end as that file's diagnostic while the rest of the folder is analysed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { analyzePath } from '../../src/core/analysis/index.js';
import { bracketDepth } from '../../src/core/analysis/fileGuard.js';

const dir = mkdtempSync(join(tmpdir(), 'hl-guards-'));
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

const good =
  'export function s(a: number[]) { let t = 0; for (let i = 0; i < a.length; i++) t += a[i]; return t; }\n';
const nestedLoops = (n: number): string => {
  let src = 'export function f(a: number[]) { let s = 0;\n';
  for (let k = 0; k < n; k++) src += `for (let i${k} = 0; i${k} < 2; i${k}++)\n`;
  return `${src}s += a[0];\nreturn s; }\n`;
};

function diag(files: Awaited<ReturnType<typeof analyzePath>>, name: string): string {
  const f = files.find((x) => x.file.endsWith(name));
  assert.ok(f, `${name} is reported`);
  return f.diagnostics.map((d) => d.message).join(' | ');
}

describe('analyze guards', () => {
  test('500 nested loops, 50,000 nested parentheses and 20,000 nested ifs: per-file diagnostics; the good file is analysed', async () => {
    const d = join(dir, 'nesting');
    mkdirSync(d);
    writeFileSync(join(d, 'a-good.ts'), good);
    writeFileSync(join(d, 'loops.ts'), nestedLoops(500));
    writeFileSync(join(d, 'parens.ts'), `export const x = ${'('.repeat(50_000)}1${')'.repeat(50_000)};\n`);
    writeFileSync(join(d, 'ifs.ts'), `export function g(a: number) {\n${'if (a) '.repeat(20_000)}a++;\n}\n`);
    writeFileSync(join(d, 'z-good.ts'), good);
    const files = await analyzePath([d], { rootDir: d });
    assert.equal(files.length, 5);
    for (const g of ['a-good.ts', 'z-good.ts']) {
      const f = files.find((x) => x.file === g)!;
      assert.equal(f.loops.length, 1, g);
      assert.ok(f.loops[0]!.verdict.translatable);
    }
    assert.match(diag(files, 'loops.ts'), /skipped: loops nested 500 deep \(limit 16\)/);
    assert.match(diag(files, 'parens.ts'), /skipped: brackets nested 50000 deep/);
    assert.match(diag(files, 'ifs.ts'), /nested too deeply|nested \d+ deep|call stack/);
  });

  test('a symlink to /dev/zero, a FIFO and a file over the cap are skipped with a reason', async () => {
    const d = join(dir, 'special');
    mkdirSync(d);
    writeFileSync(join(d, 'good.ts'), good);
    symlinkSync('/dev/zero', join(d, 'zero.ts'));
    const fifo = spawnSync('mkfifo', [join(d, 'fifo.ts')]);
    writeFileSync(join(d, 'big.ts'), `export const a = [${'1,'.repeat(1_600_000)}];\n`);
    const paths = [d, join(d, 'zero.ts'), ...(fifo.status === 0 ? [join(d, 'fifo.ts')] : [])];
    const files = await analyzePath(paths, { rootDir: d });
    assert.equal(files.find((f) => f.file === 'good.ts')!.loops.length, 1);
    assert.match(diag(files, 'zero.ts'), /skipped: a character device, not a regular file/);
    if (fifo.status === 0) assert.match(diag(files, 'fifo.ts'), /skipped: a FIFO/);
    assert.match(diag(files, 'big.ts'), /skipped: 3\.1 MB > 2 MB cap/);
    const capped = await analyzePath([join(d, 'good.ts')], { rootDir: d, maxFileBytes: 10 });
    assert.match(diag(capped, 'good.ts'), /skipped: 0 MB > 0 MB cap|skipped: .* > .* cap/);
  });

  test('a spent per-file time budget stops between loops with a diagnostic', async () => {
    const d = join(dir, 'budget');
    mkdirSync(d);
    writeFileSync(join(d, 'two.ts'), good + good.replace('function s', 'function s2'));
    const files = await analyzePath([d], { rootDir: d, fileBudgetMs: -1 });
    assert.match(diag(files, 'two.ts'), /per-file time budget spent; 2 of 2 loop\(s\) not analysed/);
  });

  test('bracketDepth skips strings and comments', () => {
    assert.equal(bracketDepth('f((a)) // ((((\n /* [[[[ */ "(((" \'{{\''), 2);
  });
});
