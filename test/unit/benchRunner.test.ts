// The runner end to end with real child processes (short runs: these check behaviour, not speed).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBench } from '../../src/core/bench/runner.js';
import { toCsv, toMarkdown } from '../../src/core/bench/export.js';
import { loadHistory, saveResult } from '../../src/core/bench/store.js';
import type { BenchSpec } from '../../src/core/bench/types.js';

const dir = mkdtempSync(join(tmpdir(), 'hotloop-bench-'));
const mod = join(dir, 'variants.mjs');
writeFileSync(
  mod,
  `export function sum(xs) { let s = 0; for (let i = 0; i < xs.length; i++) s += xs[i]; return s; }
export function sumOffByOne(xs) { let s = 0; for (let i = 1; i < xs.length; i++) s += xs[i]; return s; }
export async function sumAsync(xs) { return sum(xs); }
export function spin() { for (;;) {} }
`,
);

const quick = { samples: 6, samplesPerRound: 2, sampleMs: 2, warmupMs: 5, resamples: 300 };

/** Live benchmark children of `pid` (other children, e.g. tsx's esbuild service, are not ours). */
function childrenOf(pid: number): number[] {
  let pids: number[];
  try {
    pids = execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
  return pids.filter((p) => {
    try {
      return /childMain|benchChild/.test(readFileSync(`/proc/${p}/cmdline`, 'utf8'));
    } catch {
      return false; // exited meanwhile
    }
  });
}

describe('bench runner', () => {
  test('a deliberately wrong variant is caught, shown as wrong and not ranked', async () => {
    const spec: BenchSpec = {
      kernel: 'sum',
      n: 1000,
      args: [{ kind: 'array', dtype: 'f64' }],
      variants: [
        { id: 'original', label: 'original', module: mod, export: 'sum', input: 'array' },
        { id: 'wrong', label: 'off by one', module: mod, export: 'sumOffByOne', input: 'typed' },
        { id: 'async', label: 'async', module: mod, export: 'sumAsync', input: 'typed' },
        { id: 'missing', label: 'missing', module: mod, export: 'nope', input: 'array' },
      ],
    };
    const r = await runBench(spec, quick);
    const wrong = r.variants.find((v) => v.id === 'wrong')!;
    assert.equal(wrong.correctness.status, 'wrong');
    assert.equal(wrong.timing, undefined);
    assert.ok(!r.verdicts.some((v) => v.variant === 'wrong'));
    assert.notEqual(r.winner, 'wrong');
    assert.equal(r.variants.find((v) => v.id === 'async')!.correctness.status, 'ok');
    const missing = r.variants.find((v) => v.id === 'missing')!.correctness;
    assert.equal(missing.status, 'error');
    assert.match(missing.detail, /no function export 'nope'/);
    assert.match(toMarkdown(r), /\| off by one \| typed array \| WRONG \(returned/);
    assert.match(toCsv(r), /\nsum,1000,wrong,off by one,typed,wrong,/);
    assert.ok(r.notes.some((n) => n.startsWith('off by one is WRONG')));
    // Saved, schema-versioned, and read back as history.
    await saveResult(dir, r);
    const h = await loadHistory(dir, 'sum');
    assert.equal(h.length, 1);
    assert.equal(h[0]!.schemaVersion, 1);
    assert.equal(h[0]!.machine.cores > 0, true);
  });

  test('identical variants are reported as no difference', async () => {
    const r = await runBench(
      {
        kernel: 'sum',
        n: 20000,
        args: [{ kind: 'array', dtype: 'f64' }],
        variants: [
          { id: 'a', label: 'a', module: mod, export: 'sum', input: 'typed' },
          // The same function: two copies of the code may be JIT-compiled differently (a real ±10 % gap).
          { id: 'b', label: 'b', module: mod, export: 'sum', input: 'typed' },
        ],
      },
      // A wide equivalence band: the shared 2-core CI machine runs at load ≈ 25 at times (see README).
      // One fixed batch for both (200 calls ≈ 4 ms): at load 6 on 2 cores calibration itself is at the
      // mercy of preemption (16 calls for one twin, 165 for the other), and a 0.4 ms sample escapes
      // the time slices a 4 ms one is cut by — the statistics, not calibration, are under test here.
      { samples: 30, samplesPerRound: 1, batch: 200, warmupMs: 200, equivalence: 0.25 },
    );
    assert.equal(r.verdicts[0]!.verdict, 'no difference', r.verdicts[0]!.text);
    assert.match(r.verdicts[0]!.text, /no difference/);
    assert.equal(r.winner, 'a');
  });

  test('abort kills every child and rejects', async () => {
    const controller = new AbortController();
    const spec: BenchSpec = {
      kernel: 'spin',
      n: 1,
      args: [],
      variants: [
        { id: 'a', label: 'a', module: mod, export: 'sum', input: 'array' },
        { id: 'spin', label: 'spin', module: mod, export: 'spin', input: 'array' },
      ],
    };
    const run = runBench(spec, quick, { signal: controller.signal });
    // Wait until the spinning child exists, then abort.
    for (let i = 0; i < 300 && childrenOf(process.pid).length < 2; i++)
      await new Promise((r) => setTimeout(r, 50));
    assert.ok(childrenOf(process.pid).length >= 1, 'children were started');
    controller.abort();
    await assert.rejects(run, /cancelled/);
    assert.deepEqual(childrenOf(process.pid), []);
  });

  test('the time limit ends a run that hangs', async () => {
    const spec: BenchSpec = {
      kernel: 'spin',
      n: 1,
      args: [],
      variants: [{ id: 'spin', label: 'spin', module: mod, export: 'spin', input: 'array' }],
    };
    await assert.rejects(runBench(spec, { ...quick, timeoutMs: 3000 }), /time limit|failed/);
    assert.deepEqual(childrenOf(process.pid), []);
  });
});
