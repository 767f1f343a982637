// The zero-copy example's file server: answers GET /<name> with the file of that name from a folder,
// read whole into memory and then written to the response. The zero-copy advisor streams it instead
// (`await pipeline(createReadStream(path), res)`): bytes go out as they are read, and at most a few
// chunks per response are in memory.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, join } from 'node:path';

export interface FileServer {
  readonly baseUrl: string;
  close(): Promise<void>;
}

/** Serves the files of `dir` on 127.0.0.1 (a free port). */
export async function startFileServer(dir: string): Promise<FileServer> {
  const server = createServer(async (req, res) => {
    const path = join(dir, basename(decodeURIComponent(req.url ?? '/')));
    const body = await readFile(path);
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    res.end(body);
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}
