// bench:optimize-libs — `hotloop optimize` on real libraries with no hand-made workload: five libraries
// of the corpus that ship their tests in the npm package (fetched and integrity-checked by
// scripts/corpus-fetch.mjs) are copied into a temp folder, their devDependencies installed from the npm
// registry (once: the install is kept under the OS temp dir, stamped with the version), and
// `node dist/cli.js optimize <copy> --json` is run on each: it finds the tests, profiles them, picks the
// loops with CPU samples and benchmarks them at the recorded shapes. Prints a table per library; with
// --json the last line is one JSON object of the figures (speed-ups are ratios measured in one run).
//   npm run bench:optimize-libs [-- --lib NAME] [-- --targets wasm,native] [-- --samples N] [-- --json]
// Needs `node esbuild.mjs` first (dist/cli.js) and the npm registry.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { formatShare } from '../src/core/format.js';

const REPO = resolve(import.meta.dirname, '..');
const CORPUS = join(REPO, 'corpus');
/** The corpus libraries whose npm package ships runnable tests (test runner in devDependencies or test scripts). */
export const OPTIMIZE_LIBS = ['density-clustering', 'fili', 'regression', 'skmeans', 'umap-js'] as const;

interface CorpusLib {
  readonly dir: string;
  readonly name: string;
  readonly version: string;
  readonly integrity: string;
}

interface Fetch {
  corpusLibs(dir: string): CorpusLib[];
  fetchLib(dir: string, lib: CorpusLib, log?: (m: string) => void): string;
  packageDir(dir: string, lib: CorpusLib): string;
}

export interface LibRun {
  readonly lib: string;
  readonly version: string;
  /** What optimize printed as its last line (its --json object), or why there is none. */
  readonly result?: OptimizeJson;
  readonly error?: string;
  readonly wallS: number;
}

interface OptimizeJson {
  readonly workload: { kind: string; command: string; from: string } | null;
  readonly note: string | null;
  readonly loops: {
    loop: string;
    cpu_share: number | null;
    shape: Record<string, unknown>;
    shape_source: string;
    shape_note?: string;
    variants: {
      id: string;
      name: string;
      speedup: number | null;
      ci: [number, number] | null;
      correct: boolean;
      max_rel_error: number | null;
    }[];
  }[];
}

function run(cmd: string, args: readonly string[], cwd: string, timeoutMs: number) {
  return spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
}

/** A copy of the library's package with its devDependencies installed, made once per version. */
export function preparedCopy(fetch: Fetch, lib: CorpusLib, log: (m: string) => void): string {
  fetch.fetchLib(CORPUS, lib, log);
  const dir = join(tmpdir(), 'hotloop-optimize-libs', `${lib.dir}@${lib.version}`);
  const stamp = join(dir, '.hotloop-installed');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === lib.integrity) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  cpSync(fetch.packageDir(CORPUS, lib), dir, { recursive: true, dereference: true });
  log(`${lib.dir}: npm install (devDependencies) …`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = run(npm, ['install', '--no-audit', '--no-fund', '--ignore-scripts'], dir, 15 * 60_000);
  if (r.status !== 0)
    throw new Error(
      `npm install failed: ${(r.stderr || r.error?.message || '').trim().split('\n').slice(-3).join(' ')}`,
    );
  writeFileSync(stamp, `${lib.integrity}\n`);
  return dir;
}

function optimizeLib(dir: string, targets: string, samples: number): OptimizeJson {
  // The copy's own .hotloop (a report of an earlier run) is left out of the figures.
  rmSync(join(dir, '.hotloop'), { recursive: true, force: true });
  const args = [join(REPO, 'dist', 'cli.js'), 'optimize', dir, '--json', '--targets', targets];
  const r = run(process.execPath, [...args, '--samples', String(samples), '--no-save'], dir, 20 * 60_000);
  const last = r.stdout.trimEnd().split('\n').at(-1) ?? '';
  if (!last.startsWith('{'))
    throw new Error(`optimize exited ${r.status}: ${r.stderr.trim().split('\n').slice(-3).join(' ')}`);
  return JSON.parse(last) as OptimizeJson;
}

const pct = (x: number | null): string => (x === null ? '—' : formatShare(x));
const times = (x: number | null): string => (x === null ? '—' : `×${x.toFixed(2)}`);

function printLib(r: LibRun): void {
  console.log(`\n${r.lib}@${r.version} (${r.wallS.toFixed(0)} s)`);
  if (r.error || !r.result) {
    console.log(`  error: ${r.error}`);
    return;
  }
  const w = r.result.workload;
  console.log(`  workload: ${w ? `${w.kind} — ${w.command} (${w.from})` : 'none'}`);
  if (r.result.note) console.log(`  note: ${r.result.note}`);
  for (const l of r.result.loops) {
    console.log(`  ${l.loop}  cpu ${pct(l.cpu_share)}  shape ${l.shape_source}`);
    for (const v of l.variants)
      console.log(
        `    ${v.name.padEnd(48)} ${times(v.speedup).padStart(7)}  ${v.ci ? `[${v.ci.map((x) => x.toFixed(2)).join(', ')}]` : ''}  ${v.correct ? 'correct' : 'WRONG'}`,
      );
  }
}

function figures(runs: readonly LibRun[]) {
  const ran = runs.filter((r) => r.result);
  return {
    bench: 'optimize-libs',
    date: new Date().toISOString(),
    load_average: loadavg().map((x) => Number(x.toFixed(2))),
    libs: runs.map((r) => ({
      lib: r.lib,
      version: r.version,
      wall_s: Number(r.wallS.toFixed(1)),
      ...(r.error ? { error: r.error } : {}),
      workload: r.result?.workload ?? null,
      note: r.result?.note ?? null,
      loops: (r.result?.loops ?? []).map((l) => ({
        loop: l.loop,
        cpu_share: l.cpu_share,
        shape_source: l.shape_source,
        shape: l.shape,
        variants: l.variants.map((v) => ({
          name: v.name,
          speedup: v.speedup,
          ci: v.ci,
          correct: v.correct,
          max_rel_error: v.max_rel_error,
        })),
      })),
    })),
    libs_with_workload: ran.filter((r) => r.result?.workload).length,
    libs_with_loops: ran.filter((r) => (r.result?.loops.length ?? 0) > 0).length,
    libs_all_recorded: ran.filter(
      (r) => (r.result?.loops.length ?? 0) > 0 && r.result!.loops.every((l) => l.shape_source === 'recorded'),
    ).length,
  };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const json = argv.includes('--json');
  const opt = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const only = opt('--lib');
  const targets = opt('--targets') ?? '';
  const samples = Number(opt('--samples') ?? 6);
  if (!existsSync(join(REPO, 'dist', 'cli.js')))
    throw new Error('dist/cli.js is missing: run `node esbuild.mjs` first');
  const fetch = (await import(join(REPO, 'scripts', 'corpus-fetch.mjs'))) as Fetch;
  const libs = fetch
    .corpusLibs(CORPUS)
    .filter((l) => (only ? l.dir === only : (OPTIMIZE_LIBS as readonly string[]).includes(l.dir)));
  const log = (m: string): void => {
    console.error(m);
  };
  const runs: LibRun[] = [];
  for (const lib of libs) {
    const t0 = performance.now();
    try {
      const dir = preparedCopy(fetch, lib, log);
      log(`${lib.dir}: hotloop optimize …`);
      const result = optimizeLib(dir, targets, samples);
      runs.push({ lib: lib.dir, version: lib.version, result, wallS: (performance.now() - t0) / 1000 });
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      runs.push({ lib: lib.dir, version: lib.version, error, wallS: (performance.now() - t0) / 1000 });
    }
    printLib(runs.at(-1)!);
  }
  const f = figures(runs);
  console.log(
    `\n${f.libs_with_workload}/${runs.length} libraries: workload found; ${f.libs_with_loops} with loops benchmarked; ${f.libs_all_recorded} at recorded shapes only (load ${f.load_average.join(' ')})`,
  );
  if (json) console.log(JSON.stringify(f));
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  main().catch((err: unknown) => {
    console.error(`bench:optimize-libs: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
