// bench:advisors, columnar part: examples/advisors/columnar (a desk report: a CSV of trades parsed
// into objects, then filter/map/reduce pipelines over them) against the advisor's rewrite of it (typed
// columns filled by the parser, one loop per pipeline), on the same CSV. Interleaved rounds; each
// round checks the two reports are identical. The figure is the whole report, parse included (the
// original's parse is timed apart, as `parse_ms`).
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { applyColumnar } from '../src/core/advisors/columnar/index.js';
import { median } from '../src/core/bench/stats.js';
import { pairedRounds, round2 } from './advisorsPaired.js';
import type { PairedFigure } from './advisorsPaired.js';

export interface ColumnarFigure extends PairedFigure {
  readonly example: string;
  readonly rows: number;
  /** The original's parse alone (split + one object per line); the rewrite's parser fills columns instead. */
  readonly parse_ms: number;
}

type Report = (csv: string) => string[];

async function loadReport(dir: string): Promise<Report> {
  return ((await import(pathToFileURL(join(dir, 'report.ts')).href)) as { report: Report }).report;
}

/** The parse step of report.ts alone, timed: what both versions spend before any pipeline. */
function parseOnly(csv: string): number {
  const t0 = performance.now();
  const rows = csv
    .trimEnd()
    .split('\n')
    .slice(1)
    .map((line) => {
      const f = line.split(',');
      return {
        id: f[0] ?? '',
        time: Number(f[1]),
        symbol: f[2] ?? '',
        side: f[3] ?? '',
        price: Number(f[4]),
        qty: parseInt(f[5] ?? '', 10) | 0,
        fee: Number(f[6]),
      };
    });
  if (rows.length < 0) throw new Error('unreachable');
  return performance.now() - t0;
}

export async function benchColumnar(
  example: string,
  o: { rounds: number; rows: number },
): Promise<ColumnarFigure> {
  const dir = mkdtempSync(join(tmpdir(), 'hotloop-bench-columnar-'));
  try {
    cpSync(example, dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
    const path = join(dir, 'report.ts');
    const r = applyColumnar(path, readFileSync(path, 'utf8'));
    if (r.rewritten !== 1)
      throw new Error(`the columnar advisor rewrote ${r.rewritten} sites of report.ts, expected 1`);
    writeFileSync(path, r.text);
    const original = await loadReport(example);
    const rewritten = await loadReport(dir);
    const { makeCsv } = (await import(pathToFileURL(join(example, 'data.ts')).href)) as {
      makeCsv: (rows: number, seed?: number) => string;
    };
    const csv = makeCsv(o.rows);
    const parse: number[] = [];
    const fig = await pairedRounds(
      () => original(csv),
      () => rewritten(csv),
      { rounds: o.rounds, afterRound: () => parse.push(parseOnly(csv)) },
    );
    return {
      ...fig,
      example: 'examples/advisors/columnar (report.ts)',
      rows: o.rows,
      parse_ms: round2(median(parse)),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
