// The hashing example program: counts argv[2] click events (default 2 000 000) over argv[3] users
// (default 200 000) and prints the busiest users (stdout) — identical before and after the rewrite.
import { makeEvents } from './events.js';
import { busiest } from './tally.js';

const n = Number(process.argv[2] ?? 2_000_000);
const users = Number(process.argv[3] ?? 200_000);
const events = makeEvents(n, users);
const t0 = performance.now();
const r = busiest(events, 10);
console.error(`tally ${(performance.now() - t0).toFixed(0)} ms`);
console.log(`events ${n}  users clicking ${r.users}`);
for (const [id, c] of r.top) console.log(`${id}  ${c}`);
