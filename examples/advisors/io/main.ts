// The IO advisor's example program: starts the local quote service (latency in ms from argv[2],
// default 20), loads 48 quotes, prints them (stdout), and the service's most requests in flight
// (stderr, so that the output of the original and of the rewrite can be compared byte for byte).
import { loadQuotes } from './quotes.js';
import { startQuoteService } from './server.js';

async function main(latency: number, count: number): Promise<void> {
  const service = await startQuoteService(latency);
  try {
    const ids = Array.from({ length: count }, (_, k) => (k * 37) % 1000);
    const t0 = performance.now();
    const { quotes, total } = await loadQuotes(service.baseUrl, ids);
    const ms = performance.now() - t0;
    for (const q of quotes) console.log(`${q.symbol.padEnd(8)} ${q.price.toFixed(2).padStart(9)}`);
    console.log(`${quotes.length} quotes, total ${total.toFixed(2)}`);
    console.error(`in flight at most: ${service.maxInFlight()}; ${ms.toFixed(0)} ms at ${latency} ms latency`);
  } finally {
    await service.close();
  }
}

main(Number(process.argv[2] ?? 20), Number(process.argv[3] ?? 48)).catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
