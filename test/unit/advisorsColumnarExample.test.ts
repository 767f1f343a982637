// The columnar advisor's example program (examples/advisors/columnar): applying the advisor's
// rewrite to report.ts keeps the printed report byte for byte (two sizes and seeds, one of them
// with an odd record count).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { promisify } from 'node:util';
import { applyColumnar } from '../../src/core/advisors/columnar/index.js';

const root = join(import.meta.dirname, '..', '..');
const example = join(root, 'examples', 'advisors', 'columnar');
const run = promisify(execFile);

const main = async (dir: string, rows: number, seed: number): Promise<string> =>
  (
    await run(process.execPath, ['--import', 'tsx', join(dir, 'main.ts'), String(rows), String(seed)], {
      cwd: root,
      timeout: 60_000,
    })
  ).stdout;

describe('examples/advisors/columnar', () => {
  test('the rewrite of report.ts prints the same report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotloop-columnar-example-'));
    try {
      cpSync(example, dir, { recursive: true });
      writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
      const path = join(dir, 'report.ts');
      const r = applyColumnar(path, readFileSync(path, 'utf8'));
      assert.equal(r.rewritten, 1);
      writeFileSync(path, r.text);
      assert.match(r.text, /new Float64Array\(tradesSource\.length\)/, 'the parser fills the columns');
      assert.doesNotMatch(r.text, /trades\s*\.filter\(/, 'every pipeline reads the columns');
      for (const [rows, seed] of [
        [4001, 7],
        [1, 3],
      ] as const) {
        const [before, after] = [await main(example, rows, seed), await main(dir, rows, seed)];
        assert.match(before, new RegExp(`^trades {8}${rows}$`, 'm'));
        assert.match(before, /^band {2}20–30 +volume +\d+/m);
        assert.equal(after, before);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
