// Code a require hook compiles in memory (babel/register, ts-node) runs at other lines than its file's:
// the preload records the inline source map at compile time and the samples land on the file's own
// lines, in its loop. The hook here shifts every line down by 6 and says so in its map; without the
// map the samples would fall past the end of the loop's function.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { profileTarget } from '../../src/core/profile/index.js';

const LIB = `'use strict';
function total(xs) {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += Math.sqrt(xs[i] * xs[i] + 1);
  return s;
}
module.exports = { total };
`;

// Pads lib.js with 6 blank lines and appends a map that puts generated line g on original line g − 6.
const HOOK = `'use strict';
const fs = require('fs');
const Module = require('module');
const plain = Module._extensions['.js'];
Module._extensions['.js'] = function (module, filename) {
  if (!filename.endsWith('lib.js')) return plain(module, filename);
  const text = fs.readFileSync(filename, 'utf8');
  const lines = text.split('\\n').length;
  const map = { version: 3, sources: [filename], names: [], mappings: ';;;;;;' + ['AAAA'].concat(Array(lines - 1).fill('AACA')).join(';') };
  const inline = Buffer.from(JSON.stringify(map)).toString('base64');
  module._compile('\\n'.repeat(6) + text + '\\n//# sourceMappingURL=data:application/json;charset=utf-8;base64,' + inline, filename);
};
`;

const MAIN = `'use strict';
const { total } = require('./lib.js');
const xs = Array.from({ length: 100000 }, (_, i) => i % 97);
let t = 0;
for (let r = 0; r < 1500; r++) t += total(xs);
console.log(t > 0);
`;

describe('runtime source maps', () => {
  test('samples of hook-compiled code land in the loop of the file, not on the shifted lines', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotloop-runtime-maps-'));
    try {
      writeFileSync(join(dir, 'lib.js'), LIB);
      writeFileSync(join(dir, 'hook.js'), HOOK);
      writeFileSync(join(dir, 'main.js'), MAIN);
      const r = await profileTarget(
        { kind: 'command', command: [process.execPath, '-r', './hook.js', 'main.js'] },
        { root: dir },
      );
      const loop = r.loops.find((l) => l.loopId === 'lib.js#total/0');
      assert.ok(loop && loop.totalShare > 0.2, JSON.stringify(r.loops.map((l) => [l.loopId, l.totalShare])));
      const fn = r.functions.find((f) => f.functionName === 'total');
      assert.equal(fn?.file, 'lib.js');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
