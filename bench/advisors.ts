// bench:advisors — does each data-processing advisor's rewrite win on its example program? For the
// IO advisor: examples/advisors/io/quotes.ts (one `await fetch` per instrument, in sequence) against
// the advisor's own rewrite of it (written to a temporary copy), both loading the same quotes from
// the example's local service on 127.0.0.1 with injected latency. Rounds are interleaved (original,
// rewrite), every round checks the rewrite returned exactly what the original did, and the speedup is
// the median of per-round ratios with a paired bootstrap CI. The service runs in this process (its
// work is a timer per request; the latency dominates). Advisors not built yet are `null` in the JSON,
// with the reason under `not_built`.
// The zero-copy advisor: bench/advisorsZeroCopy.ts. The columnar advisor: bench/advisorsColumnar.ts.
//   npm run bench:advisors [-- --json] [-- --rounds 10] [-- --latency 10] [-- --n 48] [-- --concurrency 8]
//                          [-- --zerocopy-rounds 5] [-- --data-rounds 7] [-- --columnar-rounds 7] [-- --columnar-rows 200000]
//                          [-- --transfer-rounds 15]
// The zero-copy HTTP rewrite (serve.ts): bench/advisorsServe.ts.
// The layout and hashing advisors: bench/advisorsData.ts. The shapes advisor (advice, applied by hand in
// the example: ordersOneShape.ts): bench/advisorsShapes.ts.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { rewriteIoSource } from '../src/core/advisors/io/index.js';
import { benchHashing, benchLayout } from './advisorsData.js';
import { benchColumnar } from './advisorsColumnar.js';
import { benchServe } from './advisorsServe.js';
import { benchShapes } from './advisorsShapes.js';
import { benchTransfer } from './advisorsTransfer.js';
import { benchZeroCopy } from './advisorsZeroCopy.js';
import { pairedRounds } from './advisorsPaired.js';

const REPO = resolve(import.meta.dirname, '..');
const IO_EXAMPLE = join(REPO, 'examples', 'advisors', 'io');
const ZEROCOPY_EXAMPLE = join(REPO, 'examples', 'advisors', 'zerocopy');
const LAYOUT_EXAMPLE = join(REPO, 'examples', 'advisors', 'layout');
const HASHING_EXAMPLE = join(REPO, 'examples', 'advisors', 'hashing');
const COLUMNAR_EXAMPLE = join(REPO, 'examples', 'advisors', 'columnar');
const SHAPES_EXAMPLE = join(REPO, 'examples', 'advisors', 'shapes');

interface Figure {
  readonly speedup: number;
  readonly ci: [number, number];
  readonly correct: boolean;
}

interface IoFigure extends Figure {
  readonly example: string;
  readonly n: number;
  readonly latency_ms: number;
  readonly concurrency: number;
  readonly rounds: number;
  readonly median_ms: { readonly original: number; readonly rewritten: number };
}

type LoadQuotes = (baseUrl: string, ids: readonly number[]) => Promise<unknown>;
interface QuoteService {
  readonly baseUrl: string;
  close(): Promise<void>;
}

async function benchIo(o: {
  rounds: number;
  latency: number;
  n: number;
  concurrency: number;
}): Promise<IoFigure> {
  const dir = mkdtempSync(join(tmpdir(), 'hotloop-bench-io-'));
  try {
    cpSync(IO_EXAMPLE, dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
    const path = join(dir, 'quotes.ts');
    const r = rewriteIoSource(path, readFileSync(path, 'utf8'), { concurrency: o.concurrency });
    if (r.rewritten !== 1)
      throw new Error(`the IO advisor rewrote ${r.rewritten} loops of quotes.ts, expected 1`);
    writeFileSync(path, r.text);
    const load = async (file: string): Promise<LoadQuotes> =>
      ((await import(pathToFileURL(file).href)) as { loadQuotes: LoadQuotes }).loadQuotes;
    const original = await load(join(IO_EXAMPLE, 'quotes.ts'));
    const rewritten = await load(path);
    const { startQuoteService } = (await import(pathToFileURL(join(IO_EXAMPLE, 'server.ts')).href)) as {
      startQuoteService: (latencyMs: number) => Promise<QuoteService>;
    };
    const service = await startQuoteService(o.latency);
    try {
      const ids = Array.from({ length: o.n }, (_, k) => (k * 37) % 1000);
      const fig = await pairedRounds(
        () => original(service.baseUrl, ids),
        () => rewritten(service.baseUrl, ids),
        { rounds: o.rounds },
      );
      return {
        ...fig,
        example: 'examples/advisors/io (quotes.ts)',
        n: o.n,
        latency_ms: o.latency,
        concurrency: o.concurrency,
      };
    } finally {
      await service.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Advisors of issue 20 not built yet (none now: io, zerocopy, layout, hashing, shapes and columnar are). */
const NOT_BUILT: Readonly<Record<string, string>> = {};

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      json: { type: 'boolean' },
      rounds: { type: 'string', default: '10' },
      latency: { type: 'string', default: '10' },
      n: { type: 'string', default: '48' },
      concurrency: { type: 'string', default: '8' },
      'zerocopy-rounds': { type: 'string', default: '5' },
      'data-rounds': { type: 'string', default: '7' },
      'columnar-rounds': { type: 'string', default: '7' },
      'columnar-rows': { type: 'string', default: '200000' },
      'transfer-rounds': { type: 'string', default: '15' },
    },
  });
  const num = (name: string, v: string): number => {
    const x = Number(v);
    if (!Number.isInteger(x) || x < 1) throw new RangeError(`--${name} needs a positive integer, got '${v}'`);
    return x;
  };
  const load0 = loadavg();
  const io = await benchIo({
    rounds: num('rounds', values.rounds),
    latency: num('latency', values.latency),
    n: num('n', values.n),
    concurrency: num('concurrency', values.concurrency),
  });
  const zerocopy = await benchZeroCopy(ZEROCOPY_EXAMPLE, {
    rounds: num('zerocopy-rounds', values['zerocopy-rounds']),
    files: 8,
    fileSize: 4 << 20,
    chunks: 200,
    chunkSize: 16 << 10,
  });
  const dataRounds = num('data-rounds', values['data-rounds']);
  const layout = await benchLayout(LAYOUT_EXAMPLE, { rounds: dataRounds, n: 400_000, epochs: 40 });
  const hashing = await benchHashing(HASHING_EXAMPLE, { rounds: dataRounds, n: 2_000_000, users: 200_000 });
  const hashingMap = await benchHashing(HASHING_EXAMPLE, {
    rounds: dataRounds,
    n: 2_000_000,
    users: 200_000,
    map: true,
  });
  const http = await benchServe(ZEROCOPY_EXAMPLE, {
    rounds: num('zerocopy-rounds', values['zerocopy-rounds']) + 2,
    files: 8,
    fileSize: 16 << 20,
    concurrency: 4,
  });
  const shapes = await benchShapes(SHAPES_EXAMPLE, { rounds: dataRounds, n: 150_000, scenarios: 40 });
  const transfer = await benchTransfer(ZEROCOPY_EXAMPLE, {
    rounds: num('transfer-rounds', values['transfer-rounds']),
    frames: 16,
    size: 1 << 20,
  });
  const columnar = await benchColumnar(COLUMNAR_EXAMPLE, {
    rounds: num('columnar-rounds', values['columnar-rounds']),
    rows: num('columnar-rows', values['columnar-rows']),
  });
  const med = io.median_ms;
  console.log(
    `io        ${io.speedup.toFixed(2)}×  CI ${io.ci[0].toFixed(2)}–${io.ci[1].toFixed(2)}×  correct: ${io.correct}  ` +
      `(${io.n} requests at ${io.latency_ms} ms latency: ${med.original.toFixed(0)} ms sequential → ${med.rewritten.toFixed(0)} ms, ≤ ${io.concurrency} in flight; ${io.rounds} rounds)`,
  );
  const zp = zerocopy.parts;
  console.log(
    `zerocopy  ${zerocopy.speedup.toFixed(2)}×  CI ${zerocopy.ci[0].toFixed(2)}–${zerocopy.ci[1].toFixed(2)}×  correct: ${zerocopy.correct}  ` +
      `(copyFile ${zp.copy.speedup.toFixed(2)}× on ${zerocopy.files}; one concat ${zp.concat.speedup.toFixed(2)}× on ${zerocopy.chunks}; ` +
      `${zerocopy.median_ms.original.toFixed(0)} → ${zerocopy.median_ms.rewritten.toFixed(0)} ms; ${zerocopy.rounds} rounds)`,
  );
  for (const [k, f] of [
    ['layout', layout],
    ['hashing', hashing],
    ['shapes', shapes],
  ] as const)
    console.log(
      `${k.padEnd(9)} ${f.speedup.toFixed(2)}×  CI ${f.ci[0].toFixed(2)}–${f.ci[1].toFixed(2)}×  correct: ${f.correct}  ` +
        `(${f.size}: ${f.median_ms.original.toFixed(0)} → ${f.median_ms.rewritten.toFixed(0)} ms; ${f.rounds} rounds)`,
    );
  console.log(
    `  hashing as a Map ${hashingMap.speedup.toFixed(2)}×  CI ${hashingMap.ci[0].toFixed(2)}–${hashingMap.ci[1].toFixed(2)}×  correct: ${hashingMap.correct}  ` +
      `(the same rewrite with a Map in place of the typed table: ${hashingMap.median_ms.original.toFixed(0)} → ${hashingMap.median_ms.rewritten.toFixed(0)} ms; not in the hashing figure)`,
  );
  console.log(
    `  transfer ${transfer.speedup.toFixed(2)}×  CI ${transfer.ci[0].toFixed(2)}–${transfer.ci[1].toFixed(2)}×  correct: ${transfer.correct}  ` +
      `(postMessage of ${transfer.frames} frames: ${transfer.median_ms.original.toFixed(0)} → ${transfer.median_ms.rewritten.toFixed(0)} ms with a transfer list; not in the zerocopy figure)`,
  );
  console.log(
    `  http     ${http.speedup.toFixed(2)}×  CI ${http.ci[0].toFixed(2)}–${http.ci[1].toFixed(2)}×  correct: ${http.correct}  ` +
      `(first byte of each of ${http.files} files, ${http.concurrency} in flight, streamed instead of read whole; ` +
      `whole round ${http.round_ms.original.toFixed(0)} → ${http.round_ms.rewritten.toFixed(0)} ms = ${http.throughput.speedup.toFixed(2)}× ` +
      `(${http.throughput.ci[0].toFixed(2)}–${http.throughput.ci[1].toFixed(2)}); not in the zerocopy figure)`,
  );
  const cm = columnar.median_ms;
  console.log(
    `columnar  ${columnar.speedup.toFixed(2)}×  CI ${columnar.ci[0].toFixed(2)}–${columnar.ci[1].toFixed(2)}×  correct: ${columnar.correct}  ` +
      `(report over ${columnar.rows} CSV trades: ${cm.original.toFixed(0)} → ${cm.rewritten.toFixed(0)} ms, of which the original's parse ${columnar.parse_ms.toFixed(0)} ms; ${columnar.rounds} rounds)`,
  );
  for (const [k, why] of Object.entries(NOT_BUILT)) console.log(`${k.padEnd(9)} –  ${why}`);
  const figures = {
    bench: 'advisors',
    io,
    layout,
    hashing,
    hashing_map: hashingMap,
    shapes,
    zerocopy,
    zerocopy_transfer: transfer,
    zerocopy_http: http,
    columnar,
    not_built: NOT_BUILT,
    load_average: [load0, loadavg()].map((l) => l.map((x) => Number(x.toFixed(2)))),
  };
  if (values.json) process.stdout.write(`${JSON.stringify(figures)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(
    `bench:advisors: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exitCode = 1;
});
