// The shapes example's hot loop: the order book revalued under price scenarios — every order's
// `qty * price` read once per scenario. With orders of five hidden classes the reads of `o.qty` and
// `o.price` are megamorphic (V8's inline caches give up and look each property up).
import type { Order } from './orders.js';

/** The book's value under each scenario's price factor, in cents (rounded per scenario). */
export function revalue(orders: readonly Order[], factors: readonly number[]): number[] {
  const out: number[] = [];
  for (const f of factors) {
    let cents = 0;
    for (let i = 0; i < orders.length; i++) {
      const o = orders[i]!;
      cents += o.qty * Math.round(o.price * f * 100);
    }
    out.push(cents);
  }
  return out;
}
