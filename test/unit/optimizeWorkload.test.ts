// Workload discovery: `hotloop optimize` profiles the project's own benchmark, else its tests, else
// its start script, says which, and never optimises a loop that has no CPU samples under it.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { nullLogger } from '../../src/core/logger.js';
import { runOptimize } from '../../src/core/optimize/pipeline.js';
import { chooseWorkload, discoverWorkloads, workStep } from '../../src/core/optimize/workload.js';

function project(files: Readonly<Record<string, string | object>>): string {
  const dir = mkdtempSync(join(tmpdir(), 'hotloop-workload-'));
  for (const [name, body] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), typeof body === 'string' ? body : JSON.stringify(body));
  }
  return dir;
}

const LIB = `'use strict';
/**
 * @param {Float64Array} xs
 * @returns {number}
 */
function sumSquares(xs) {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i] * xs[i];
  return s;
}
/** @returns {number} */
function answer() { return 42; }
module.exports = { sumSquares, answer };
`;
// ~0.3 s in the loop: plenty of samples at the 2 ms interval even on a loaded machine.
const HOT_TEST = `'use strict';
const { test } = require('node:test');
const assert = require('node:assert');
const { sumSquares } = require('../lib/stats.js');
test('sum of squares', () => {
  const xs = new Float64Array(200000).fill(0.5);
  let t = 0;
  for (let r = 0; r < 1500; r++) t += sumSquares(xs);
  assert.ok(t > 0);
});
`;
const COLD_TEST = `'use strict';
const { test } = require('node:test');
const assert = require('node:assert');
const { answer } = require('../lib/stats.js');
test('answer', () => { assert.equal(answer(), 42); });
`;

// This file itself runs under node --test, which tells its children so (NODE_TEST_CONTEXT): a nested
// \`node --test\` would then report to this runner instead of running the fixture's tests as a user's would.
delete process.env.NODE_TEST_CONTEXT;

describe('workload discovery', () => {
  test('the step of a script that runs work: lint/type-check steps and coverage wrappers skipped', () => {
    assert.deepEqual(
      workStep(
        'npm run lint && ./node_modules/.bin/nyc --reporter=lcov ./node_modules/.bin/mocha --compilers js:babel-core/register',
      ),
      ['mocha', '--compilers', 'js:babel-core/register'],
    );
    assert.deepEqual(workStep('tsc && node --test'), ['node', '--test']);
    assert.deepEqual(
      workStep('npm run lint && node --test --experimental-test-isolation=none test/*.test.js'),
      ['node', '--test', '--experimental-test-isolation=none', 'test/*.test.js'],
    );
    assert.deepEqual(workStep('NODE_ENV=test jest --coverage'), ['jest', '--coverage']);
    assert.deepEqual(
      workStep('standard && istanbul cover _mocha -- --compilers js:babel/register --recursive test'),
      ['mocha', '--compilers', 'js:babel/register', '--recursive', 'test'],
    );
    assert.equal(workStep('eslint . && prettier --check .'), undefined);
    assert.equal(workStep('cd bench && npm install && node .'), undefined);
  });

  test('bench first, then tests, then start; globs expanded; a runner that is not installed is flagged', () => {
    const dirs: string[] = [];
    try {
      const both = project({
        'package.json': {
          scripts: { bench: 'node bench/run.js', test: 'node --test test/*.test.js', start: 'node main.js' },
        },
        'bench/run.js': '',
        'test/a.test.js': '',
        'test/b.test.js': '',
        'main.js': '',
      });
      dirs.push(both);
      const found = discoverWorkloads(both);
      assert.deepEqual(
        found.map((w) => [w.kind, w.label]),
        [
          ['bench', 'node bench/run.js'],
          ['test', 'node --test test/a.test.js test/b.test.js'],
          ['start', 'node main.js'],
        ],
      );
      assert.deepEqual(found[0]!.target, { kind: 'file', file: 'bench/run.js', args: [] });
      assert.equal(chooseWorkload(found)?.kind, 'bench');
      assert.equal(chooseWorkload(found, 'test')?.kind, 'test');

      const mocha = project({
        'package.json': {
          main: './lib/index.js',
          scripts: { test: 'mocha -R spec' },
          devDependencies: { mocha: '^10' },
        },
        'lib/index.js': '',
      });
      dirs.push(mocha);
      const m = discoverWorkloads(mocha);
      assert.deepEqual(
        m.map((w) => w.kind),
        ['test', 'start'],
      );
      assert.match(m[0]!.missing ?? '', /mocha is not installed/);
      // A runnable workload is preferred to one whose runner is missing.
      assert.equal(chooseWorkload(m)?.kind, 'start');

      const bare = project({ 'package.json': { name: 'x' }, 'test/x.test.js': '' });
      dirs.push(bare);
      assert.deepEqual(
        discoverWorkloads(bare).map((w) => [w.kind, w.label, w.from]),
        [['test', 'node --test test/x.test.js', 'test files']],
      );
      // TypeScript jest tests published without their jest config, ts-jest installed: its preset, transpile-only.
      const tsJest = project({
        'package.json': { scripts: { test: 'jest' }, devDependencies: { jest: '^24', 'ts-jest': '^24' } },
        'node_modules/.bin/jest': '',
        'node_modules/ts-jest/package.json': '{}',
        'test/umap.test.ts': '',
      });
      dirs.push(tsJest);
      const [jestRun] = discoverWorkloads(tsJest);
      assert.ok(jestRun?.target.kind === 'command');
      assert.deepEqual(jestRun.target.command.slice(1, 4), ['--runInBand', '--preset', 'ts-jest']);
      writeFileSync(join(tsJest, 'jest.config.js'), 'module.exports = {};');
      const own = discoverWorkloads(tsJest)[0]!.target;
      assert.ok(own.kind === 'command' && !own.command.includes('--preset'), 'its own config is used');
      // Plain scripts in test/ that load the package's code (tests without a runner): run under node --test.
      const scripts = project({
        'package.json': { name: 'y', main: 'main.js' },
        'main.js': '',
        'test/uni.js': "const k = require('../main.js');\nk();\n",
        'test/multi.js': "import k from '../main.js';\n",
        'test/data.js': 'module.exports = [1, 2, 3];\n',
      });
      dirs.push(scripts);
      assert.deepEqual(
        discoverWorkloads(scripts).map((w) => [w.kind, w.label, w.from]),
        [
          ['test', 'node --test test/multi.js test/uni.js', 'test scripts'],
          ['start', 'node main.js', 'main'],
        ],
      );
    } finally {
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    }
  });

  test('a project with only node --test tests: optimize profiles the tests and picks the loop they run', async () => {
    const dir = project({
      'package.json': { scripts: { test: 'node --test test/*.test.js' } },
      'lib/stats.js': LIB,
      'test/stats.test.js': HOT_TEST,
    });
    try {
      const r = await runOptimize(
        { root: dir, targets: [], top: 1, bench: { samples: 4, sampleMs: 2, warmupMs: 5, resamples: 200 } },
        { signal: new AbortController().signal, log: nullLogger, progress: () => undefined },
      );
      assert.equal(r.workload?.kind, 'test');
      assert.equal(r.workload.label, 'node --test test/stats.test.js');
      assert.deepEqual(
        r.loops.map((l) => l.candidate.kernel.name),
        ['sumSquares'],
        r.profileNote,
      );
      assert.ok((r.loops[0]!.candidate.share ?? 0) > 0);
      // The shapes pass ran through node --test's child process (not a bundle Hotloop made): the
      // benchmark replays the array the test really passed.
      const replay = r.loops[0]!.replay;
      assert.equal(replay.shape.source, 'recorded', replay.shape.note);
      assert.deepEqual(replay.shape.params, [
        { name: 'xs', kind: 'array', type: 'Float64Array', length: 200000 },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('no loop with samples under the workload: nothing optimised, and it says which workload to run', async () => {
    const dir = project({
      'package.json': { scripts: { test: 'node --test test/*.test.js', start: 'node main.js' } },
      'lib/stats.js': LIB,
      'test/stats.test.js': COLD_TEST,
      'main.js': '',
    });
    try {
      const r = await runOptimize(
        { root: dir, targets: [], workload: 'test' },
        { signal: new AbortController().signal, log: nullLogger, progress: () => undefined },
      );
      assert.equal(r.loops.length, 0);
      assert.match(
        r.profileNote ?? '',
        /no loop has CPU samples under this workload \(test: node --test test\/stats\.test\.js\)/,
      );
      assert.match(r.profileNote ?? '', /--workload start \(node main\.js\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
