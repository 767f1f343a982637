// bench:advisors, shapes part: examples/advisors/shapes — the order book revalued under price
// scenarios (book.ts) over orders decoded by five channels' own code (orders.ts: five hidden classes,
// the reads megamorphic) against the same orders from the one-shape decoders (ordersOneShape.ts: the
// advice "give these objects one shape", applied by hand — the advisor names the site and the shapes,
// it does not rewrite the decoders). Each side runs its own copy of book.ts (a temporary copy of the
// example), so neither shares the other's inline caches. Interleaved rounds; every round checks the
// values are identical.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { pairedRounds } from './advisorsPaired.js';
import type { PairedFigure } from './advisorsPaired.js';

export interface ShapesFigure extends PairedFigure {
  readonly example: string;
  readonly size: string;
  readonly median_ms: { readonly original: number; readonly rewritten: number };
}

type Revalue = (orders: readonly unknown[], factors: readonly number[]) => number[];
type MakeOrders = (n: number, decoders: unknown) => unknown[];

async function side(
  dir: string,
  decoders: string,
  n: number,
): Promise<(factors: readonly number[]) => number[]> {
  const imp = async <T>(f: string): Promise<T> => (await import(pathToFileURL(join(dir, f)).href)) as T;
  const { revalue } = await imp<{ revalue: Revalue }>('book.ts');
  const { makeOrders } = await imp<{ makeOrders: MakeOrders }>('data.ts');
  const orders = makeOrders(n, await imp<unknown>(decoders));
  return (factors) => revalue(orders, factors);
}

export async function benchShapes(
  example: string,
  o: { rounds: number; n: number; scenarios: number },
): Promise<ShapesFigure> {
  const dirs = [0, 1].map(() => mkdtempSync(join(tmpdir(), 'hotloop-bench-shapes-')));
  try {
    for (const d of dirs) {
      cpSync(example, d, { recursive: true });
      writeFileSync(join(d, 'package.json'), '{ "type": "module" }\n');
    }
    const original = await side(dirs[0]!, 'orders.ts', o.n);
    const oneShape = await side(dirs[1]!, 'ordersOneShape.ts', o.n);
    const factors = Array.from(
      { length: o.scenarios },
      (_, k) => 0.8 + (0.4 * k) / Math.max(1, o.scenarios - 1),
    );
    const fig = await pairedRounds(
      () => original(factors),
      () => oneShape(factors),
      { rounds: o.rounds },
    );
    return {
      ...fig,
      example: 'examples/advisors/shapes (book.ts over orders.ts vs ordersOneShape.ts)',
      size: `${o.n} orders × ${o.scenarios} scenarios`,
    };
  } finally {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}
