// `hotloop optimize` on a real library with no hand-made workload: skmeans as published on npm (its
// tests are plain node scripts in test/ that need no devDependencies). The pipeline must find them,
// profile them through node --test's child processes, pick loops that have CPU samples and benchmark
// them at the shapes it recorded there. Skipped, saying why, when the corpus is not fetched
// (`npm run corpus:fetch skmeans`). Heavy: listed in HEAVY in scripts/test.mjs. Outcomes, never timings.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nullLogger } from '../../src/core/logger.js';
import { runOptimize } from '../../src/core/optimize/pipeline.js';

const pkg = join(import.meta.dirname, '..', '..', 'corpus', '.cache', 'skmeans', 'package');
const skip = existsSync(join(pkg, 'package.json'))
  ? false
  : 'the corpus is not fetched (corpus/.cache/skmeans/package is missing): run `npm run corpus:fetch skmeans`';

// This file runs under node --test, which tells its children so (NODE_TEST_CONTEXT): the nested
// `node --test` of the workload would report to this runner instead of running the scripts.
delete process.env.NODE_TEST_CONTEXT;

describe('optimize on a real corpus library', () => {
  test(
    'skmeans: its test scripts found, profiled, hot loops picked with CPU share, recorded shapes',
    { skip },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'hotloop-optimize-skmeans-'));
      try {
        const root = join(dir, 'skmeans');
        cpSync(pkg, root, { recursive: true, dereference: true });
        const r = await runOptimize(
          {
            root,
            targets: [],
            top: 2,
            // The scripts run for minutes (one is a benchmark of 10,000 runs): the profile keeps what ran.
            profileTimeoutMs: 20_000,
            bench: { samples: 4, sampleMs: 2, warmupMs: 5, resamples: 200 },
          },
          { signal: new AbortController().signal, log: nullLogger, progress: () => undefined },
        );
        assert.equal(r.workload?.kind, 'test');
        assert.equal(r.workload.from, 'test scripts');
        assert.match(r.workload.label, /^node --test test\/.*test\/test\.js/);
        assert.ok(r.loops.length > 0, r.profileNote);
        for (const l of r.loops) {
          assert.ok((l.candidate.share ?? 0) > 0, l.candidate.loop.id);
          assert.ok(l.result, l.error);
          // The original is the reference; a variant may be wrong (a Float64Array cannot grow as the
          // original's empty array does when the loop writes past its end): stated, never timed as a win.
          const original = l.result.variants.find((v) => v.id === 'original');
          assert.equal(original?.correctness.status, 'ok', JSON.stringify(original?.correctness));
          for (const v of l.result.variants)
            if (v.correctness.status !== 'ok') assert.equal(v.timing, undefined, v.id);
        }
        const recorded = r.loops.filter((l) => l.replay.shape.source === 'recorded');
        assert.ok(
          recorded.length > 0,
          r.loops.map((l) => `${l.candidate.loop.id}: ${l.replay.shape.note ?? ''}`).join('\n'),
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
