// The shapes example program: argv[2] orders (default 300 000) from five channels revalued under
// argv[3] price scenarios (default 40); prints the book's value per scenario (stdout). With
// `--one-shape`, the orders come from the one-shape decoders (ordersOneShape.ts): the same output.
import { revalue } from './book.js';
import { makeOrders } from './data.js';
import * as decoders from './orders.js';
import * as oneShape from './ordersOneShape.js';

const args = process.argv.slice(2).filter((a) => a !== '--one-shape');
const n = Number(args[0] ?? 300_000);
const scenarios = Number(args[1] ?? 40);
const orders = makeOrders(n, process.argv.includes('--one-shape') ? oneShape : decoders);
const factors = Array.from({ length: scenarios }, (_, k) => 0.8 + (0.4 * k) / Math.max(1, scenarios - 1));
const t0 = performance.now();
const values = revalue(orders, factors);
console.error(`revalue ${(performance.now() - t0).toFixed(0)} ms`);
console.log(`orders ${n}  scenarios ${scenarios}`);
values.forEach((v, k) => console.log(`×${factors[k]!.toFixed(3)}  ${(v / 100).toFixed(2)}`));
