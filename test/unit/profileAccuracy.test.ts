// The five accuracy fixtures, run once each under the real profiler: the known hot loop ranks first
// and the CPU/IO verdict is right; attribution lands on the original .ts line.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { profileTarget } from '../../src/core/profile/index.js';
import { accuracyFixtures, fixtureRoot, hotLine, hotLoop } from './profileHelpers.js';

describe('profile accuracy fixtures', () => {
  for (const fx of accuracyFixtures) {
    test(`${fx.file}: hot loop first, ${fx.verdict}`, async () => {
      const result = await profileTarget(
        { kind: 'file', file: fx.file },
        { root: fixtureRoot, timeoutMs: 30_000 },
      );
      const summary = `${result.verdict.kind} (cpu ${result.verdict.cpuShare.toFixed(2)}); loops: ${result.loops
        .slice(0, 3)
        .map((l) => `${l.loopId}@${l.range.start.line} ${l.totalMs.toFixed(0)}ms wait ${l.waitMs.toFixed(0)}`)
        .join(', ')}`;
      const first = result.loops[0];
      assert.ok(first, `no loop attributed: ${summary}`);
      assert.equal(first.file, fx.file, summary);
      assert.equal(first.range.start.line, hotLine(fx.file), `wrong loop first: ${summary}`);
      assert.equal(result.verdict.kind, fx.verdict, summary);
      assert.match(first.loopId, new RegExp(`^${fx.file.replace('.', '\\.')}#`));
      if (fx.verdict === 'io-bound') {
        assert.match(result.verdict.advice, /concurren/i);
        assert.doesNotMatch(result.verdict.advice, /candidates for/);
        assert.ok(first.waitMs > first.totalMs, `the await loop should mostly wait: ${summary}`);
      }
      if (fx.file === 'gcHeavy.ts') {
        assert.ok(result.shares.gc > 0.03, `GC share ${result.shares.gc}`);
        assert.ok(first.gcMs > 0, 'GC time is charged to the allocating loop');
      }
      if (fx.file === 'nested.ts') {
        // The innermost k-loop holds the self time; the outer nest the total.
        const inner = result.loops.filter(
          (l) =>
            l.file === 'nested.ts' &&
            l.range.start.line > hotLine('nested.ts') &&
            l.range.start.line <= hotLine('nested.ts') + 3,
        );
        assert.ok(
          inner.some((l) => l.selfMs > first.selfMs),
          summary,
        );
      }
    });
  }

  test('samples map to the original .ts line (through the esbuild source map)', async () => {
    const result = await profileTarget(
      { kind: 'file', file: 'sequential.ts' },
      { root: fixtureRoot, timeoutMs: 30_000, env: { HOTLOOP_FIXTURE_ROUNDS: '60' } },
    );
    const heat = result.lines['sequential.ts'];
    assert.ok(heat, `no line heat for sequential.ts: ${JSON.stringify(result.lines)}`);
    const [hottest] = Object.entries(heat).sort((a, b) => b[1] - a[1]);
    // Line 5 (1-based) is `s += Math.sqrt(xs[i]!) * Math.sin(xs[i]!);`, the body of the HOT loop.
    assert.equal(Number(hottest![0]), hotLine('sequential.ts') + 1);
    const loop = hotLoop(result, 'sequential.ts');
    assert.ok(loop && loop.selfShare > 0.3, `loop share ${loop?.selfShare}`);
    assert.equal(loop.functionName, 'sumOfRoots');
    const fn = result.functions.find((f) => f.functionName === 'sumOfRoots');
    assert.ok(fn && fn.file === 'sequential.ts' && fn.line === 1, JSON.stringify(fn));
    assert.ok(fn.cpuShare > 0.5);
    assert.ok(result.sources.some((s) => s.file === 'sequential.ts' && /^[0-9a-f]{64}$/.test(s.sha256)));
    // Nothing is dropped: the shares cover every sample.
    const sum = Object.values(result.shares).reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum - 1) < 1e-6, `shares sum to ${sum}`);
  });
});
