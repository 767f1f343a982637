// The zero-copy advisor's example program (examples/advisors/zerocopy): applying the advisor's
// rewrites to backup.ts, assemble.ts and send.ts keeps the program's output (digests of every copy and
// of the assembled message, the frames' checksum) byte for byte.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { promisify } from 'node:util';
import { applyZeroCopy } from '../../src/core/advisors/zerocopy/index.js';

const root = join(import.meta.dirname, '..', '..');
const example = join(root, 'examples', 'advisors', 'zerocopy');
const run = promisify(execFile);

const main = async (dir: string): Promise<string> =>
  (
    await run(process.execPath, ['--import', 'tsx', join(dir, 'main.ts'), '5', '70001', '61', '333'], {
      cwd: root,
      timeout: 60_000,
    })
  ).stdout;

describe('examples/advisors/zerocopy', () => {
  test('the rewrites of backup.ts, assemble.ts, send.ts and serve.ts print the same output', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotloop-zerocopy-example-'));
    try {
      cpSync(example, dir, { recursive: true });
      writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
      for (const file of ['backup.ts', 'assemble.ts', 'send.ts', 'serve.ts']) {
        const path = join(dir, file);
        const r = applyZeroCopy(path, readFileSync(path, 'utf8'));
        assert.equal(r.rewritten, 1, file);
        writeFileSync(path, r.text);
      }
      assert.match(readFileSync(join(dir, 'backup.ts'), 'utf8'), /await copyFile\(/);
      assert.match(readFileSync(join(dir, 'send.ts'), 'utf8'), /postMessage\(frame, \[frame\.buffer\]\)/);
      const [before, after] = [await main(example), await main(dir)];
      assert.match(before, /^part-004\.bin {2}[0-9a-f]{16}$/m);
      assert.match(before, /^message {2}\d+ bytes {2}[0-9a-f]{16}$/m);
      assert.match(before, /^frames {2}checksum \d+/m);
      assert.match(
        readFileSync(join(dir, 'serve.ts'), 'utf8'),
        /await pipeline\(createReadStream\(path\), res\)/,
      );
      const served = /^served part-004\.bin {2}200 {2}([0-9a-f]{16})$/m.exec(before);
      assert.equal(
        served?.[1],
        /^part-004\.bin {2}([0-9a-f]{16})$/m.exec(before)?.[1],
        'served the bytes of the copy',
      );
      assert.equal(after, before);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
