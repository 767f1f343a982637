// The zero-copy advisor on its fixtures: goldens of the findings and of the rewritten files; the
// rewritten positives produce the same bytes as the originals (files: empty, 1 byte, odd sizes,
// invalid UTF-8; chunks: none, one, views with a byteOffset), and the look-alikes get no rewrite.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, test } from 'node:test';
import {
  fixtureAnalyser,
  fixtureNames,
  golden,
  strictDiagnostics,
  type FixtureKind,
} from '../support/advisorFixtures.js';
import {
  adviseZeroCopy,
  applyZeroCopy,
  type ZeroCopyFinding,
} from '../../src/core/advisors/zerocopy/index.js';
import type { Ctx } from '../fixtures/advisors/zerocopy/ctx.js';

const root = join(import.meta.dirname, '..', '..');
const dir = join(root, 'test', 'fixtures', 'advisors', 'zerocopy');
const fixtures = (kind: FixtureKind): string[] => fixtureNames(dir, kind, /^[a-zA-Z]+\.ts$/);

const summary = (f: ZeroCopyFinding): unknown => {
  const v = f.verdict;
  return {
    kind: f.kind,
    line: f.line,
    functionName: f.functionName,
    verdict: v.kind === 'rewrite' ? { kind: v.kind, summary: v.summary, assumes: v.assumes } : v,
  };
};

const analyse = fixtureAnalyser(dir, adviseZeroCopy, summary);

type Run = (ctx: Ctx) => unknown;
const load = async (path: string): Promise<Run> =>
  ((await import(pathToFileURL(path).href)) as { run: Run }).run;

const FILES: Buffer[] = [
  Buffer.alloc(0),
  Buffer.from([0xff]),
  randomBytes(1023),
  Buffer.from([0xc3, 0x28, 0xe2, 0x82, 0x41, 0xf0, 0x9f, 0x98]), // invalid UTF-8
];
const pool = randomBytes(4096);
const CHUNKS: Buffer[][] = [
  [],
  [Buffer.from('x')],
  [pool.subarray(3, 10), pool.subarray(101, 357), Buffer.alloc(0), pool.subarray(1, 2)],
  Array.from({ length: 33 }, (_, k) => pool.subarray(k * 7 + 1, k * 13 + 5)),
];

async function outcome(run: Run, work: string, file: Buffer, chunks: Buffer[]): Promise<unknown> {
  const ctx: Ctx = { src: join(work, 'src.bin'), dst: join(work, 'dst.bin'), chunks };
  rmSync(ctx.dst, { force: true });
  rmSync(`${ctx.dst}.marker`, { force: true });
  writeFileSync(ctx.src, file);
  const value = await run(ctx);
  return {
    value,
    dst: existsSync(ctx.dst) ? readFileSync(ctx.dst) : undefined,
    marker: existsSync(`${ctx.dst}.marker`) ? readFileSync(`${ctx.dst}.marker`, 'utf8') : undefined,
  };
}

describe('zero-copy advisor: positive fixtures', () => {
  const names = fixtures('positive');
  test('there are at least 5', () => {
    assert.ok(names.length >= 5, names.join(', '));
  });
  for (const name of names) {
    test(`${name}: rewritten as its golden, same bytes as the original`, async () => {
      const { text, findings } = analyse('positive', name);
      assert.equal(findings.length, 1);
      assert.equal(findings[0]!.verdict.kind, 'rewrite', JSON.stringify(findings[0]!.verdict));
      const out = applyZeroCopy(join(dir, 'positive', name), text);
      assert.equal(out.rewritten, 1);
      const rewritten = join(dir, 'positive', name.replace(/\.ts$/, '.rewritten.ts'));
      golden(rewritten, out.text);
      assert.deepEqual(adviseZeroCopy(rewritten, out.text), [], 'nothing left to rewrite');
      const [a, b] = [await load(join(dir, 'positive', name)), await load(rewritten)];
      const work = mkdtempSync(join(tmpdir(), 'hotloop-zerocopy-'));
      try {
        for (const file of FILES)
          for (const chunks of CHUNKS)
            assert.deepEqual(await outcome(b, work, file, chunks), await outcome(a, work, file, chunks));
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    });
  }
});

test('zero-copy advisor: the rewritten fixtures type-check under strict', () => {
  const files = fixtures('positive').map((n) => join(dir, 'positive', n.replace(/\.ts$/, '.rewritten.ts')));
  const diags = strictDiagnostics(files, { esModuleInterop: true });
  assert.deepEqual(diags, []);
});

describe('zero-copy advisor: negative fixtures (look-alikes left alone)', () => {
  const names = fixtures('negative');
  test('there are at least 5', () => {
    assert.ok(names.length >= 5, names.join(', '));
  });
  for (const name of names) {
    test(`${name}: no rewrite`, () => {
      const { text, findings } = analyse('negative', name);
      assert.ok(findings.every((f) => f.verdict.kind === 'left-alone'));
      assert.equal(applyZeroCopy(name, text).rewritten, 0);
    });
  }
});
