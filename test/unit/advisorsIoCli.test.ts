// `hotloop advise` on an IO-bound loop: the IO advice is the only one it gets (no worker, wasm,
// native or GPU target), while a CPU loop in the same file still gets the cost model's predictions.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { advise, withQuickCalibration } from '../support/adviseCli.js';
import type { IoLoopFinding } from '../../src/core/advisors/io/index.js';
import { classifyRun } from '../../src/core/profile/verdict.js';

const FIXTURE = 'test/fixtures/advisors/io/mixed.ts';

describe('hotloop advise: IO-bound loops', () => {
  withQuickCalibration('hotloop-io-cal');

  test('--json: the awaiting loop is in `io` only; the CPU loop gets predictions', async () => {
    const r = await advise([FIXTURE, '--json', '--concurrency', '4']);
    assert.equal(r.code, 0, r.err);
    const json = JSON.parse(r.out) as { loops: { file: string; line: number }[]; io: IoLoopFinding[] };
    assert.equal(json.io.length, 1);
    const io = json.io[0]!;
    assert.equal(io.line, 4);
    assert.ok(io.verdict.kind === 'independent');
    assert.equal(io.verdict.rewrite.concurrency, 4);
    assert.deepEqual(
      json.loops.map((l) => l.line),
      [12],
      'the CPU loop is advised, the IO loop is not given a kernel target',
    );
  });

  test('text: the IO loop line offers io and nothing else', async () => {
    const r = await advise([FIXTURE]);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.split('\n');
    const at = lines.findIndex((l) => l.startsWith(`${FIXTURE}:4 `));
    assert.ok(at >= 0, r.out);
    const block = lines.slice(at, lines.indexOf('', at));
    assert.match(block[0]!, /io-bound for-of in loadAll .*run the awaits concurrently, at most 8 in flight/);
    const offers = block.filter((l) => /^ {2}[✓ ] (io|native|wasm|worker|gpu|js-typed|library)\b/.test(l));
    assert.deepEqual(
      offers.map((l) => l.trim().split(/\s+/)[1]),
      ['io'],
    );
  });

  test('--json: zero-copy findings come under `zerocopy`', async () => {
    const r = await advise(['test/fixtures/advisors/zerocopy/positive/copyNamed.ts', '--json']);
    assert.equal(r.code, 0, r.err);
    const json = JSON.parse(r.out) as {
      zerocopy: { kind: string; line: number; verdict: { kind: string } }[];
    };
    assert.deepEqual(
      json.zerocopy.map((f) => [f.kind, f.line, f.verdict.kind]),
      [['read-write-copy', 5, 'rewrite']],
    );
  });

  test('a bad --concurrency is a usage error', async () => {
    assert.equal((await advise([FIXTURE, '--concurrency', '0'])).code, 2);
  });
});

describe('the profile verdict of an IO-bound run', () => {
  test('points at the IO advisor, and at no kernel target', () => {
    const v = classifyRun(
      { user: 0.05, dependency: 0, node: 0.03, gc: 0, idle: 0.9, program: 0.02 },
      0.1,
      undefined,
    );
    assert.equal(v.kind, 'io-bound');
    assert.match(v.advice, /hotloop advise.*rewrites them to at most 8 in flight, in order/);
    assert.match(v.advice, /run the awaits concurrently/);
    assert.doesNotMatch(v.advice, /candidates for/);
  });
});
