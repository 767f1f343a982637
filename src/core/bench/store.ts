// Results on disk: `.hotloop/results/<kernel>/<id>.json`, schema-versioned; history per kernel.
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RESULT_SCHEMA_VERSION, type BenchResult } from './types.js';

export { RESULTS_DIR } from '../paths.js';
import { RESULTS_DIR } from '../paths.js';

const safe = (s: string): string => s.replace(/[^A-Za-z0-9_.-]/g, '_');

/** Writes a result; returns the file path. */
export async function saveResult(root: string, result: BenchResult): Promise<string> {
  const dir = join(root, RESULTS_DIR, safe(result.kernel));
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${safe(result.id)}.json`);
  await writeFile(file, JSON.stringify(result, null, 1) + '\n');
  return file;
}

/** Validates the parts of a saved result the readers rely on; throws a clear message otherwise. */
export function parseResult(text: string, origin = 'result'): BenchResult {
  const data = JSON.parse(text) as Partial<BenchResult> | null;
  if (!data || typeof data !== 'object' || data.kind !== 'bench')
    throw new Error(`${origin} is not a Hotloop benchmark result`);
  if (data.schemaVersion !== RESULT_SCHEMA_VERSION) {
    throw new Error(
      `${origin} has schema version ${String(data.schemaVersion)}; this Hotloop reads version ${RESULT_SCHEMA_VERSION}. Re-run the benchmark.`,
    );
  }
  if (!Array.isArray(data.variants) || !Array.isArray(data.verdicts) || typeof data.kernel !== 'string')
    throw new Error(`${origin} is incomplete`);
  return data as BenchResult;
}

/** Previous runs of a kernel, oldest first (unreadable or other-version files are skipped). */
export async function loadHistory(root: string, kernel: string, limit = 20): Promise<BenchResult[]> {
  const dir = join(root, RESULTS_DIR, safe(kernel));
  let names: string[];
  try {
    names = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  } catch {
    return [];
  }
  const out: BenchResult[] = [];
  for (const name of names.slice(-limit)) {
    try {
      out.push(parseResult(await readFile(join(dir, name), 'utf8'), name));
    } catch {
      // An old schema or a half-written file: not part of the history.
    }
  }
  return out.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

/** The newest saved result of any kernel, or undefined. */
export async function latestResult(root: string): Promise<BenchResult | undefined> {
  let kernels: string[];
  try {
    kernels = await readdir(join(root, RESULTS_DIR));
  } catch {
    return undefined;
  }
  let best: BenchResult | undefined;
  for (const k of kernels) {
    const h = await loadHistory(root, k, 1);
    const last = h.at(-1);
    if (last && (!best || last.createdAt > best.createdAt)) best = last;
  }
  return best;
}
