// The shapes example's input: `n` orders from the five channels in turn (seeded), each channel
// decoded by its own code in orders.ts (or, given the one-shape decoders, by theirs).
import type * as Decoders from './orders.js';

export function makeOrders(n: number, d: typeof Decoders, seed = 11): Decoders.Order[] {
  let s = seed >>> 0;
  const rnd = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const out: Decoders.Order[] = [];
  for (let id = 0; id < n; id++) {
    const price = Math.round(rnd() * 10_000) / 100;
    const qty = 1 + Math.floor(rnd() * 5);
    switch (id % 5) {
      case 0:
        out.push(d.fromWeb(`${id};${price};${qty}`));
        break;
      case 1:
        out.push(d.fromApp({ q: qty, p: price, i: id }));
        break;
      case 2:
        out.push(d.fromPos(id, price, qty));
        break;
      case 3:
        out.push(d.fromPartner(id, { price, qty }));
        break;
      default:
        out.push(d.fromImport([id, price, qty]));
    }
  }
  return out;
}
