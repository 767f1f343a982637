// Memory safety of the addon under hostile use (issue 19): buffers detached (transferred) while an
// …Async call runs, concurrent …Async writes into one buffer, and allocation failure under an
// address-space limit (in a child process: a crash there must not take the test runner down).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, test } from 'node:test';
import { nativeKernels, nodeCommand } from './helpers.js';

const detach = (b: ArrayBufferLike): void => void structuredClone(b, { transfer: [b as ArrayBuffer] });
const gc = (): void => (globalThis as { gc?: () => void }).gc?.();

describe('…Async and detached buffers', () => {
  test('detaching options.out during addAsync rejects with a TypeError (no write into freed memory)', async () => {
    const k = nativeKernels();
    const n = 2_000_000;
    const o = new Float64Array(n);
    const p = k.addAsync(new Float64Array(n).fill(1), new Float64Array(n).fill(2), { out: o });
    detach(o.buffer);
    gc();
    await assert.rejects(
      p,
      (e: unknown) => e instanceof TypeError && /detached .*while the call ran/.test(e.message),
    );
  });

  test('detaching an input during addAsync / sumAsync still gives the right result', async () => {
    const k = nativeKernels();
    const n = 2_000_000;
    const a = new Float64Array(n).fill(1);
    const p = k.addAsync(a, new Float64Array(n).fill(2));
    detach(a.buffer);
    gc();
    const r = await p;
    assert.equal(r.length, n);
    assert.ok(r.every((v) => v === 3));
    const s = new Float64Array(n).fill(0.5);
    const q = k.sumAsync(s);
    detach(s.buffer);
    gc();
    assert.equal(await q, n / 2);
  });

  test('an in-place …Async call writes back into the caller array', async () => {
    const k = nativeKernels();
    const z = new Float64Array(1000).fill(1);
    assert.equal(await k.addAsync(z, z, { out: z }), z);
    assert.ok(z.every((v) => v === 2));
    const y = new Float64Array(1000).fill(1);
    assert.equal(await k.axpyAsync(2, new Float64Array(1000).fill(1), y), y);
    assert.ok(y.every((v) => v === 3));
  });
});

describe('concurrent …Async writes into one buffer', () => {
  test('200 axpyAsync into one y: every fulfilled call is applied, the others reject clearly', async () => {
    const k = nativeKernels();
    const x = new Float64Array(4096).fill(1);
    const y = new Float64Array(4096);
    const results = await Promise.allSettled(Array.from({ length: 200 }, () => k.axpyAsync(1, x, y)));
    const applied = results.filter((r) => r.status === 'fulfilled').length;
    assert.ok(applied >= 1);
    assert.ok(
      y.every((v) => v === applied),
      `y holds ${new Set(y).size} distinct values; every one must be ${applied}`,
    );
    for (const r of results)
      if (r.status === 'rejected')
        assert.match((r.reason as Error).message, /in flight; await that call first/);
  });

  test('a sync write into the output of an …Async call in flight is rejected; after it, it works', async () => {
    const k = nativeKernels();
    const y = new Float64Array(1 << 16);
    const p = k.axpyAsync(1, new Float64Array(1 << 16).fill(1), y);
    assert.throws(() => k.axpy(1, new Float64Array(1 << 16).fill(1), y), RangeError);
    await p;
    k.axpy(1, new Float64Array(1 << 16).fill(1), y);
    assert.ok(y.every((v) => v === 2));
  });
});

describe('allocation failure under an address-space limit', () => {
  const prlimit = ['/usr/bin/prlimit', '/bin/prlimit'].find((p) => existsSync(p));
  const info = nativeKernels().info();
  // ASan reserves terabytes of shadow address space: no address-space limit for the sanitizer build.
  const skip = !prlimit ? 'prlimit not installed' : info.sanitizers ? 'sanitizer build' : false;
  test(
    'sum of a 2**31-long number[] and a 17 GB gemm result throw RangeError; the process lives',
    { skip },
    () => {
      const script = `
      const k = require(${JSON.stringify(info.path)});
      const out = [];
      const big = [1]; big.length = 2 ** 31;
      try { k.sum(big); out.push('sum: no error'); } catch (e) { out.push('sum: ' + e.constructor.name + ' ' + e.message); }
      try { k.gemm(46341, 46341, 1, new Float64Array(46341), new Float64Array(46341)); out.push('gemm: no error'); }
      catch (e) { out.push('gemm: ' + e.constructor.name + ' ' + e.message); }
      k.sumAsync(big).then(() => out.push('sumAsync: no error'), (e) => out.push('sumAsync: ' + e.constructor.name)).then(() => console.log(JSON.stringify(out)));
    `;
      const [node, pre] = nodeCommand();
      const r = spawnSync(prlimit!, ['--as=6000000000', node, ...pre, '-e', script], {
        encoding: 'utf8',
        timeout: 120_000,
        killSignal: 'SIGKILL',
      });
      assert.equal(r.signal, null, `the child died by ${r.signal}: ${r.stderr}`);
      assert.equal(r.status, 0, r.stderr);
      const lines = JSON.parse(r.stdout.trim()) as string[];
      assert.match(lines[0]!, /^sum: RangeError hotloop kernels\.sum: out of memory/);
      assert.match(lines[1]!, /^gemm: RangeError hotloop kernels\.gemm: could not allocate the result/);
      assert.equal(lines[2], 'sumAsync: RangeError');
    },
  );
});
