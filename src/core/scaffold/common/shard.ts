// What every target that splits a parallel loop into contiguous shards (worker_threads, cluster)
// checks first, and how their partials combine: one place, so the targets refuse and combine alike.
import type { Reduction, Stmt } from '../../ir/types.js';
import { emptyUses, exprUses, stmtUses, type Uses } from '../../ir/walk.js';

export type ForStmt = Extract<Stmt, { kind: 'for' }>;

/** A loop that can be sharded: its reductions, their names, and what its body uses. */
export interface Shardable {
  readonly reductions: readonly Reduction[];
  readonly reds: ReadonlySet<string>;
  readonly body: Uses;
}

/** Why the loop cannot be split into ascending constant-step shards, or what it uses. */
export function shardable(loop: ForStmt): Shardable | string {
  const par = loop.parallel;
  if (!par) return 'not marked parallel';
  if (loop.stepExpr || loop.step < 0)
    return `its step is ${loop.stepExpr ? 'known only at run time' : 'negative'} (shards split ascending constant-step ranges)`;
  const reds = new Set(par.reductions.map((r) => r.name));
  const body = stmtUses(loop.body);
  const escaping = [...body.assigns].filter((n) => !body.declares.has(n) && !reds.has(n));
  if (escaping.length) return `it assigns ${escaping.join(', ')}, declared outside the loop`;
  const bounds = emptyUses();
  exprUses(loop.start, bounds);
  exprUses(loop.end, bounds);
  if ([...bounds.reads].some((n) => reds.has(n))) return 'its bounds read a reduction variable';
  return { reductions: par.reductions, reds, body };
}

/** The JS expression that folds one shard's partial into the accumulator, in shard order. */
export function combinePartial(op: Reduction['op'], acc: string, part: string): string {
  switch (op) {
    case 'sum':
      return `${acc} + ${part}`;
    case 'prod':
      return `${acc} * ${part}`;
    case 'min':
      return `Math.min(${acc}, ${part})`;
    case 'max':
      return `Math.max(${acc}, ${part})`;
  }
}
