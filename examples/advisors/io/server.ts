// A fake quote service on 127.0.0.1 (random port) that answers each request after `latencyMs` —
// the remote end of the IO advisor's example. It counts the requests in flight, so a run can show
// how many awaits its loop kept going at once.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Quote {
  readonly id: number;
  readonly symbol: string;
  readonly price: number;
}

export interface QuoteService {
  readonly baseUrl: string;
  /** Most requests the service was answering at the same time. */
  maxInFlight(): number;
  close(): Promise<void>;
}

/** Deterministic quote of instrument `id`. */
export function quoteOf(id: number): Quote {
  return { id, symbol: `SYM${id.toString(36).toUpperCase()}`, price: Math.round((10 + ((id * 7919) % 9973) / 37) * 100) / 100 };
}

export async function startQuoteService(latencyMs = 20): Promise<QuoteService> {
  let inFlight = 0;
  let most = 0;
  const server: Server = createServer((req, res) => {
    inFlight++;
    most = Math.max(most, inFlight);
    const id = Number(/^\/quotes\/(\d+)$/.exec(req.url ?? '')?.[1] ?? NaN);
    setTimeout(() => {
      inFlight--;
      if (!Number.isInteger(id)) res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"unknown instrument"}');
      else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(quoteOf(id)));
    }, latencyMs);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    maxInFlight: () => most,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
