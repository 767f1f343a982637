// The hashing example program: last-click attribution over argv[2] shop events (default 2 000 000)
// by argv[3] users (default 200 000) with a 30-minute window; prints how many purchases followed a
// click, their revenue and the delays (stdout) — identical before and after the hashing rewrite.
import { attribute } from './attribute.js';
import { makeEvents } from './events.js';

const n = Number(process.argv[2] ?? 2_000_000);
const users = Number(process.argv[3] ?? 200_000);
const events = makeEvents(n, users);
const t0 = performance.now();
const r = attribute(events, 30 * 60_000);
console.error(`attribute ${(performance.now() - t0).toFixed(0)} ms`);
console.log(`events ${n}  purchases ${r.purchases}  attributed ${r.attributed}`);
console.log(`revenue ${(r.revenue / 100).toFixed(2)}`);
r.delay.forEach((c, k) => console.log(`${k * 3}–${k * 3 + 3} min after the click  ${c}`));
