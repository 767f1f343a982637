// The IO advisor on its fixtures: goldens of the findings and of the rewritten files, and the
// rewritten positives run against a fake IO with random latencies — same results, logs, stored
// values and errors as the original, with more than one await in flight (at most the limit).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, test } from 'node:test';
import ts from 'typescript';
import {
  fixtureAnalyser,
  fixtureNames,
  golden,
  strictDiagnostics,
  type FixtureKind,
} from '../support/advisorFixtures.js';
import { adviseIoLoops, applyEdits, ioEdits, type IoLoopFinding } from '../../src/core/advisors/io/index.js';
import type { Io } from '../fixtures/advisors/io/io.js';

const root = join(import.meta.dirname, '..', '..');
const dir = join(root, 'test', 'fixtures', 'advisors', 'io');
const fixtures = (kind: FixtureKind): string[] => fixtureNames(dir, kind);

/** The finding without the edit texts (those are in the rewritten golden). */
function summary(f: IoLoopFinding): unknown {
  const v = f.verdict;
  const verdict =
    v.kind === 'independent' ? { kind: v.kind, assumes: v.assumes, concurrency: v.rewrite.concurrency } : v;
  return { line: f.line, loopKind: f.loopKind, functionName: f.functionName, awaits: f.awaits, verdict };
}

const analyse = fixtureAnalyser(dir, adviseIoLoops, summary);

const rewrittenPath = (name: string): string =>
  join(dir, 'positive', name.replace(/\.(ts|js)$/, '.rewritten.$1'));

interface Trace {
  value?: unknown;
  error?: string;
  log: string[];
  puts: [string, number][];
  maxInFlight: number;
}

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

const valueOf = (key: number | string): number =>
  typeof key === 'string'
    ? Array.from({ length: key.length }, (_, i) => key.charCodeAt(i)).reduce((h, c) => (h * 31 + c) % 1000, 7)
    : Number.isFinite(key)
      ? (((key * 7919) % 1000) + 1000) % 1000
      : key;

async function trace(
  run: (io: Io) => Promise<unknown>,
  ids: number[],
  seed: number,
  fail?: number,
): Promise<Trace> {
  const rand = prng(seed);
  const t: Trace = { log: [], puts: [], maxInFlight: 0 };
  let inFlight = 0;
  const later = <T>(key: number | string, f: () => T): Promise<T> => {
    inFlight++;
    t.maxInFlight = Math.max(t.maxInFlight, inFlight);
    return new Promise<T>((resolve, reject) => {
      setTimeout(
        () => {
          inFlight--;
          if (key === fail) reject(new Error(`io failure at ${key}`));
          else resolve(f());
        },
        Math.floor(rand() * 3),
      );
    });
  };
  const io: Io = {
    ids,
    get: (key) => later(key, () => valueOf(key)),
    put: (key, value) =>
      later(key, () => {
        t.puts.push([String(key), value]);
      }),
    log: (line) => t.log.push(line),
  };
  try {
    t.value = await run(io);
  } catch (e) {
    t.error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  }
  t.puts.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]));
  return t;
}

const INPUTS: number[][] = [
  [],
  [5],
  [3, 1, 4, 1, 5, 9, 2],
  Array.from({ length: 23 }, (_, k) => (k * 37) % 101),
  [0, -4, NaN, Infinity, -Infinity, 2.5, 17, 8, 8],
];

type Runner = (io: Io) => Promise<unknown>;
const load = async (path: string): Promise<Runner> =>
  ((await import(pathToFileURL(path).href)) as { run: Runner }).run;

describe('IO advisor: positive fixtures (independent items)', () => {
  const names = fixtures('positive');
  test('there are at least 5', () => {
    assert.ok(names.length >= 5, names.join(', '));
  });
  for (const name of names) {
    test(`${name}: one independent finding, the rewrite matches its golden and behaves like the original`, async () => {
      const { text, findings } = analyse('positive', name);
      assert.equal(findings.length, 1, JSON.stringify(findings.map(summary)));
      assert.equal(findings[0]!.verdict.kind, 'independent', JSON.stringify(findings[0]!.verdict));
      golden(rewrittenPath(name), applyEdits(text, ioEdits(findings)));
      const original = await load(join(dir, 'positive', name));
      const rewritten = await load(rewrittenPath(name));
      for (const [k, ids] of INPUTS.entries()) {
        const a = await trace(original, ids, k);
        const b = await trace(rewritten, ids, k + 100);
        assert.deepEqual(
          { ...b, maxInFlight: 0 },
          { ...a, maxInFlight: 0 },
          `${name} on ${JSON.stringify(ids)}`,
        );
        assert.equal(a.maxInFlight, Math.min(1, ids.length), 'the original awaits one at a time');
        if (ids.length > 0)
          assert.equal(b.maxInFlight, Math.min(8, ids.length), 'the rewrite keeps 8 in flight');
      }
    });
    test(`${name}: a failing request is thrown as the original threw it, after the same effects`, async () => {
      const original = await load(join(dir, 'positive', name));
      const rewritten = await load(rewrittenPath(name));
      const ids = INPUTS[3]!;
      for (const at of [0, 5, ids.length - 1]) {
        const a = await trace(original, ids, at, ids[at]);
        const b = await trace(rewritten, ids, at + 7, ids[at]);
        assert.equal(a.error, `Error: io failure at ${ids[at]}`);
        assert.equal(b.error, a.error);
        assert.deepEqual(b.log, a.log);
        assert.equal(b.value, undefined);
        for (const p of a.puts)
          assert.ok(
            b.puts.some((q) => q[0] === p[0] && q[1] === p[1]),
            `${p[0]} stored`,
          );
      }
    });
  }
  test('the rewritten TypeScript type-checks under strict', () => {
    const files = names.filter((n) => n.endsWith('.ts')).map(rewrittenPath);
    const diags = strictDiagnostics(files, {
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'],
      types: [],
    });
    assert.deepEqual(diags, []);
  });
});

describe('IO advisor: negative fixtures (look-alikes left alone)', () => {
  const names = fixtures('negative');
  test('there are at least 5', () => {
    assert.ok(names.length >= 5, names.join(', '));
  });
  for (const name of names) {
    test(`${name}: no rewrite offered`, () => {
      const { findings } = analyse('negative', name);
      for (const f of findings) assert.notEqual(f.verdict.kind, 'independent', `${name}:${f.line}`);
      assert.deepEqual(ioEdits(findings), []);
    });
  }
});

describe('IO advisor: options', () => {
  test('the concurrency setting goes into the rewrite; a bad one is a RangeError', () => {
    const text =
      'export async function f(xs: number[], g: (x: number) => Promise<void>) {\n  for (const x of xs) await g(x);\n}\n';
    const [f] = adviseIoLoops('a.ts', text, { concurrency: 3 });
    assert.ok(f && f.verdict.kind === 'independent');
    assert.match(f.verdict.rewrite.loop.text, /hotloopMapInOrder\(xs, 3, async \(x\) =>/);
    assert.throws(() => adviseIoLoops('a.ts', text, { concurrency: 0 }), RangeError);
  });
  test('a file that already has the helper gets no second copy', () => {
    const text =
      'export async function f(xs: number[], g: (x: number) => Promise<void>) {\n  for (const x of xs) await g(x);\n}\nasync function hotloopMapInOrder() {}\n';
    const [f] = adviseIoLoops('a.ts', text);
    assert.ok(f && f.verdict.kind === 'independent');
    assert.equal(f.verdict.rewrite.helper, undefined);
  });
});
