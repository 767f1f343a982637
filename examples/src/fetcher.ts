// An IO-bound loop: one `await fetch(...)` per item, in sequence. The CPU is idle most of the time,
// so a worker or native rewrite would not help; bounded concurrency (Promise.all with a limit) does.
// The "remote" service is a local fake on 127.0.0.1 that this module starts itself.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SensorInfo {
  readonly id: number;
  readonly name: string;
  readonly calibration: number;
}

export interface FakeService {
  readonly baseUrl: string;
  close(): Promise<void>;
}

/** Starts a fake sensor-metadata service on 127.0.0.1 (random port) answering after `latencyMs`. */
export async function startFakeService(latencyMs = 8): Promise<FakeService> {
  const server: Server = createServer((req, res) => {
    const id = Number(/\/sensors\/(\d+)/.exec(req.url ?? '')?.[1] ?? NaN);
    setTimeout(() => {
      if (!Number.isInteger(id)) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"unknown sensor"}');
        return;
      }
      const body: SensorInfo = { id, name: `sensor-${id}`, calibration: 1 + (id % 7) / 100 };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    }, latencyMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve, reject) => {
      server.closeAllConnections();
      server.close((err) => (err ? reject(err) : resolve()));
    }),
  };
}

/** Fetches the metadata of every sensor one after the other (await inside the loop). */
export async function fetchSensorInfo(baseUrl: string, ids: readonly number[]): Promise<SensorInfo[]> {
  const out: SensorInfo[] = [];
  for (const id of ids) {
    const res = await fetch(`${baseUrl}/sensors/${id}`);
    if (!res.ok) throw new Error(`GET /sensors/${id}: HTTP ${res.status}`);
    out.push((await res.json()) as SensorInfo);
  }
  return out;
}

/** The same with at most `limit` requests in flight (the rewrite an IO-bound loop wants). */
export async function fetchSensorInfoConcurrent(baseUrl: string, ids: readonly number[], limit = 8): Promise<SensorInfo[]> {
  const out: SensorInfo[] = new Array<SensorInfo>(ids.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < ids.length) {
      const k = next++;
      const res = await fetch(`${baseUrl}/sensors/${ids[k]}`);
      if (!res.ok) throw new Error(`GET /sensors/${ids[k]}: HTTP ${res.status}`);
      out[k] = (await res.json()) as SensorInfo;
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, ids.length) }, worker));
  return out;
}
