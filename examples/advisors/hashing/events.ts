// The hashing example's event stream: `n` events in time order from a seeded generator — clicks on
// an ad and purchases, by `users` users (sparse ids up to ~2e9, a few users far busier than the rest).
// One event in ten is a purchase (an amount in cents); the rest are clicks.

export interface ShopEvent {
  readonly user: number;
  /** Milliseconds since the start of the log. */
  readonly time: number;
  readonly kind: 'click' | 'purchase';
  /** The purchase's amount in cents (0 for a click). */
  readonly cents: number;
}

export function makeEvents(n: number, users: number, seed = 7): ShopEvent[] {
  let s = seed >>> 0;
  const rnd = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const ids: number[] = [];
  for (let k = 0; k < users; k++) ids.push(Math.floor(rnd() * 2e9));
  const out: ShopEvent[] = [];
  let time = 0;
  for (let k = 0; k < n; k++) {
    time += Math.floor(rnd() * 40);
    const user = ids[Math.floor(rnd() * rnd() * users)]!;
    const purchase = rnd() < 0.1;
    out.push({
      user,
      time,
      kind: purchase ? 'purchase' : 'click',
      cents: purchase ? 100 + Math.floor(rnd() * 20_000) : 0,
    });
  }
  return out;
}
