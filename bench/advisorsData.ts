// bench:advisors, layout and hashing parts: each example's hot function (examples/advisors/layout:
// fitLine over 400 000 readings, 40 epochs; examples/advisors/hashing: attribute — last-click
// attribution, a hash join on user id — over 2 000 000 shop events) against the advisor's own rewrite of its file (a temporary copy), on the same data, in one
// process. Rounds are interleaved (original, rewrite); every round checks the rewrite returned exactly
// what the original did; the speedup is the median of per-round ratios with a paired bootstrap CI.
// The rewritten function includes its conversion (columns / Object.fromEntries) in the timing.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { applyHashing } from '../src/core/advisors/hashing/index.js';
import { applyLayout } from '../src/core/advisors/layout/index.js';
import { pairedRounds } from './advisorsPaired.js';
import type { PairedFigure } from './advisorsPaired.js';

export interface DataFigure extends PairedFigure {
  readonly example: string;
  readonly size: string;
  readonly median_ms: { readonly original: number; readonly rewritten: number };
}

type Apply = (file: string, text: string) => { text: string; rewritten: number };

interface Case {
  readonly example: string;
  readonly file: string;
  readonly exported: string;
  readonly apply: Apply;
  readonly args: readonly unknown[];
  readonly size: string;
  /** A change of the rewritten text before it is measured (a variant of the rewrite). */
  readonly variant?: (text: string) => string;
}

async function benchCase(c: Case, rounds: number): Promise<DataFigure> {
  const dir = mkdtempSync(join(tmpdir(), 'hotloop-bench-data-'));
  try {
    cpSync(c.example, dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
    const path = join(dir, c.file);
    const r = c.apply(path, readFileSync(path, 'utf8'));
    if (r.rewritten !== 1)
      throw new Error(`the advisor rewrote ${r.rewritten} sites of ${c.file}, expected 1`);
    writeFileSync(path, c.variant ? c.variant(r.text) : r.text);
    type Fn = (...a: readonly unknown[]) => unknown;
    const load = async (file: string): Promise<Fn> =>
      ((await import(pathToFileURL(file).href)) as Record<string, Fn>)[c.exported]!;
    const original = await load(join(c.example, c.file));
    const rewritten = await load(path);
    const fig = await pairedRounds(
      () => original(...c.args),
      () => rewritten(...c.args),
      { rounds },
    );
    return {
      ...fig,
      example: `examples/advisors/${c.example.split(/[\\/]/).at(-1) ?? ''} (${c.file})`,
      size: c.size,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The layout advisor's rewrite of examples/advisors/layout/fit.ts on `n` readings, `epochs` epochs. */
export async function benchLayout(
  example: string,
  o: { rounds: number; n: number; epochs: number },
): Promise<DataFigure> {
  const { makeReadings } = (await import(pathToFileURL(join(example, 'data.ts')).href)) as {
    makeReadings: (n: number) => unknown[];
  };
  return benchCase(
    {
      example,
      file: 'fit.ts',
      exported: 'fitLine',
      apply: applyLayout,
      args: [makeReadings(o.n), o.epochs],
      size: `${o.n} readings × ${o.epochs} epochs`,
    },
    o.rounds,
  );
}

/**
 * The hashing advisor's rewrite of examples/advisors/hashing/attribute.ts on `n` events by `users` users
 * (the typed integer table); with `map`, the same rewrite with a `Map` in place of the table.
 */
export async function benchHashing(
  example: string,
  o: { rounds: number; n: number; users: number; map?: boolean },
): Promise<DataFigure> {
  const { makeEvents } = (await import(pathToFileURL(join(example, 'events.ts')).href)) as {
    makeEvents: (n: number, users: number) => unknown[];
  };
  return benchCase(
    {
      example,
      file: 'attribute.ts',
      exported: 'attribute',
      apply: applyHashing,
      args: [makeEvents(o.n, o.users), 30 * 60_000],
      size: `${o.n} events by ${o.users} users`,
      variant: o.map
        ? (text) => {
            const out = text.replace(/new HotloopIntTable\(\)/g, 'new Map<number, number>()');
            if (out === text) throw new Error('the hashing rewrite of attribute.ts has no HotloopIntTable');
            return out;
          }
        : undefined,
    },
    o.rounds,
  );
}
