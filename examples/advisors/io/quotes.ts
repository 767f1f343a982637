// The IO-bound loop of the IO advisor's example: one request per instrument, one after the other.
// `hotloop advise examples/advisors/io` suggests running the awaits concurrently (in order).
import type { Quote } from './server.js';

/** Fetches the quote of every instrument and the portfolio's value (quantity 1 each). */
export async function loadQuotes(baseUrl: string, ids: readonly number[]): Promise<{ quotes: Quote[]; total: number }> {
  const quotes: Quote[] = [];
  let total = 0;
  for (const id of ids) {
    const res = await fetch(`${baseUrl}/quotes/${id}`);
    if (!res.ok) throw new Error(`GET /quotes/${id}: HTTP ${res.status}`);
    const quote = (await res.json()) as Quote;
    quotes.push(quote);
    total += quote.price;
  }
  return { quotes, total: Math.round(total * 100) / 100 };
}
