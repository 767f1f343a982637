// The hashing example's hot loop: last-click attribution, a hash join on user id. Each purchase is
// credited to the ad if the same user clicked it within the window before; the time of each user's
// last click is kept in a plain object with numeric keys. The hashing advisor turns `lastClick` into its
// typed integer table (HotloopIntTable: user ids are uint32 integers, the times numbers).
import type { ShopEvent } from './events.js';

export interface Attribution {
  readonly purchases: number;
  readonly attributed: number;
  /** Revenue of the attributed purchases, in cents. */
  readonly revenue: number;
  /** Attributed purchases by the delay since the click, in steps of a tenth of the window. */
  readonly delay: number[];
}

export function attribute(events: readonly ShopEvent[], windowMs: number): Attribution {
  const lastClick: Record<number, number> = {};
  let purchases = 0;
  let attributed = 0;
  let revenue = 0;
  const delay = new Array<number>(10).fill(0);
  for (const e of events) {
    if (e.kind === 'click') {
      lastClick[e.user] = e.time;
      continue;
    }
    purchases++;
    const clicked = lastClick[e.user];
    if (clicked === undefined || e.time - clicked > windowMs) continue;
    attributed++;
    revenue += e.cents;
    delay[Math.min(9, Math.floor(((e.time - clicked) * 10) / windowMs))]!++;
  }
  return { purchases, attributed, revenue, delay };
}
