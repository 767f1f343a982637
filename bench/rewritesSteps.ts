// bench:rewrites' steps on one library copy (bench/rewrites.ts runs them): commands run bounded and
// never through a shell, the copy and its test runner, the library's tests and bench scripts, the
// probe's records, V8 coverage of what the tests run, the copy's type-check, and the shared toolchain.
import { spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TIMING_LINE, type LibTests } from './rewritesLibs.js';

export const REPO = resolve(import.meta.dirname, '..');
export const CORPUS = join(REPO, 'corpus');
export const TSX = pathToFileURL(join(REPO, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
export const CLI = join(REPO, 'src', 'cli', 'main.ts');

export interface Ran {
  readonly code: number | null;
  readonly out: string;
  readonly ms: number;
}

/** Runs argv in cwd (never a shell), bounded; stdout+stderr kept (last 4000 characters). */
export function run(
  argv: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
  timeoutS = 600,
): Promise<Ran> {
  const t0 = performance.now();
  return new Promise((done) => {
    const child = spawn(argv[0]!, argv.slice(1), {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const add = (b: Buffer): void => {
      out = (out + b.toString()).slice(-20000);
    };
    child.stdout.on('data', add);
    child.stderr.on('data', add);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutS * 1000);
    child.on('error', (err) => {
      clearTimeout(timer);
      done({ code: -1, out: String(err), ms: performance.now() - t0 });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, out, ms: performance.now() - t0 });
    });
  });
}

export const hotloop = (args: readonly string[], cwd: string): Promise<Ran> =>
  run([process.execPath, '--import', TSX, CLI, ...args], cwd, { HOTLOOP_STRICT: '1' });

export interface LibJson {
  readonly name: string;
  readonly version: string;
  readonly integrity: string;
  readonly analyze: readonly string[];
}

export async function prepareCopy(spec: LibTests, work: string): Promise<string | undefined> {
  const src = join(CORPUS, '.cache', spec.dir, 'package');
  if (!existsSync(src)) {
    const r = await run([process.execPath, join(REPO, 'scripts', 'corpus-fetch.mjs'), spec.dir], REPO);
    if (r.code !== 0) return `corpus:fetch failed: ${r.out.slice(-300)}`;
  }
  rmSync(work, { recursive: true, force: true });
  cpSync(src, work, { recursive: true, dereference: true });
  if (spec.install.length) {
    const r = await run(
      [
        'npm',
        'install',
        '--no-save',
        '--no-audit',
        '--no-fund',
        '--ignore-scripts',
        '--no-package-lock',
        ...spec.install,
      ],
      work,
    );
    if (r.code !== 0) return `npm install ${spec.install.join(' ')} failed: ${r.out.slice(-300)}`;
  }
  return undefined;
}

export async function runTests(spec: LibTests, work: string, env: NodeJS.ProcessEnv): Promise<Ran> {
  return runCmds(spec.test, work, env);
}

/** The library's bench scripts (none: exit 0 and no lines), and the lines of their output that are no timing. */
export async function runBench(
  spec: LibTests,
  work: string,
  env: NodeJS.ProcessEnv,
): Promise<Ran & { lines: string[] }> {
  const lines: string[] = [];
  let ms = 0;
  let all = '';
  for (const cmd of spec.bench ?? []) {
    const r = await runCmds([cmd], work, env);
    ms += r.ms;
    all += r.out;
    if (r.code !== 0) return { ...r, ms, out: all, lines };
    lines.push(
      ...r.out
        .split('\n')
        .slice(1)
        .map((l) => l.trim())
        .filter((l) => l && !TIMING_LINE.test(l) && !/ExperimentalWarning|--trace-warnings/.test(l)),
    );
  }
  return { code: 0, out: all, ms, lines };
}

export async function runCmds(
  cmds: readonly (readonly string[])[],
  work: string,
  env: NodeJS.ProcessEnv,
): Promise<Ran> {
  let all = '';
  let ms = 0;
  for (const cmd of cmds) {
    const argv = cmd.map((a) =>
      a.replace('{bin}', join(work, 'node_modules', '.bin')).replace('{repo}', REPO),
    );
    const r = await run(argv[0] === 'node' ? [process.execPath, ...argv.slice(1)] : argv, work, env, 300);
    all += `$ ${cmd.join(' ')}\n${r.out.slice(-1500)}\n`;
    ms += r.ms;
    if (r.code !== 0) return { code: r.code, out: all, ms };
  }
  return { code: 0, out: all, ms };
}

/** What bench/rewritesTime.cjs prints (milliseconds per call, one entry per round). */
export interface Timed {
  readonly original: number[];
  readonly rewrite: number[];
  readonly typed: number[];
  readonly original_typed: number[];
  readonly size: number;
  /** How many distinct recorded calls of that size were replayed in turn. */
  readonly mix: number;
  readonly agree: boolean;
  readonly agree_typed: boolean;
  readonly mode: string;
  readonly mode_typed: string;
}

/** A recorded argument: a typed array, or an array of rows that are all typed arrays (scalars don't count). */
export type RecordedArg = { array?: string; values?: unknown[]; rows?: RecordedArg[]; num?: unknown };
export function typedArg(a: unknown): boolean {
  const r = a as RecordedArg;
  if (r.rows)
    return r.rows.length > 0 && r.rows.every((x) => x.array !== undefined && x.array !== 'number[]');
  if (r.array) return r.array !== 'number[]';
  return true;
}

export interface Probe {
  calls: Record<string, number>;
  fallbacks: Record<string, number>;
  warnings: string[];
  samples: Record<string, { key: string; size: number; args: unknown[] }[]>;
}

export function readProbes(
  dir: string,
  name: string,
): { calls: number; fallbacks: number; warnings: number; samples: Probe['samples'][string] } {
  let calls = 0;
  let fallbacks = 0;
  let warnings = 0;
  const samples: Probe['samples'][string] = [];
  for (const f of existsSync(dir) ? readdirSync(dir) : []) {
    const p = JSON.parse(readFileSync(join(dir, f), 'utf8')) as Probe;
    calls += p.calls[name] ?? 0;
    fallbacks += p.fallbacks[name] ?? 0;
    warnings += p.warnings.length;
    samples.push(...(p.samples[name] ?? []));
  }
  return { calls, fallbacks, warnings, samples };
}

export interface CoverageRange {
  readonly startOffset: number;
  readonly endOffset: number;
  readonly count: number;
}
export interface CoverageFile {
  readonly result: { url: string; functions: { ranges: CoverageRange[] }[] }[];
  readonly 'source-map-cache'?: Record<string, unknown>;
}

/**
 * Which loops the unmodified tests run, from V8's block coverage of one more baseline run
 * (NODE_V8_COVERAGE): a loop whose innermost covering range has count 0 never ran, so it is reported
 * as not exercised without spending a build on it. A file V8 saw through a transform (a source map:
 * tsx, babel) has offsets that are not the file's, and all its loops count as exercised.
 */
export async function exercised(
  spec: LibTests,
  work: string,
): Promise<(file: string, line: number, character: number) => boolean> {
  const dir = join(work, '.hotloop-coverage');
  rmSync(dir, { recursive: true, force: true });
  await runTests(spec, work, { NODE_V8_COVERAGE: dir });
  await runBench(spec, work, { NODE_V8_COVERAGE: dir });
  // One list of ranges per test process and file: a loop ran when one process ran it.
  const byFile = new Map<string, CoverageRange[][]>();
  const mapped = new Set<string>();
  for (const f of existsSync(dir) ? readdirSync(dir) : []) {
    const cov = JSON.parse(readFileSync(join(dir, f), 'utf8')) as CoverageFile;
    for (const url of Object.keys(cov['source-map-cache'] ?? {})) mapped.add(url);
    for (const r of cov.result) {
      if (!r.url.startsWith('file:')) continue;
      const lists = byFile.get(r.url) ?? [];
      lists.push(r.functions.flatMap((fn) => fn.ranges));
      byFile.set(r.url, lists);
    }
  }
  rmSync(dir, { recursive: true, force: true });
  return (file, line, character) => {
    const abs = resolve(work, file);
    const url = pathToFileURL(abs).href;
    if (mapped.has(url)) return true;
    const lists = byFile.get(url);
    if (!lists) return false; // never loaded by the tests
    const lines = readFileSync(abs, 'utf8').split('\n');
    let offset = character;
    for (let i = 0; i < line; i++) offset += lines[i]!.length + 1;
    return lists.some((ranges) => {
      let best: CoverageRange | undefined;
      for (const r of ranges) {
        if (r.startOffset <= offset && offset < r.endOffset)
          if (!best || r.endOffset - r.startOffset <= best.endOffset - best.startOffset) best = r;
      }
      return (best?.count ?? 0) > 0;
    });
  };
}

export async function typecheck(work: string): Promise<'ok' | 'broken' | 'n/a'> {
  if (!existsSync(join(work, 'tsconfig.json'))) return 'n/a';
  const tsc = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = await run([process.execPath, tsc, '--noEmit', '-p', 'tsconfig.json'], work);
  return r.code === 0 ? 'ok' : 'broken';
}

/**
 * One toolchain install (asc, tsc, node-addon-api…) for the whole run: the first lib's
 * `hotloop/node_modules` moves to `<root>/.toolchain` and every lib's folder links to it (the
 * build installs only what does not resolve), instead of ~25 s of npm install per lib.
 */
export function shareToolchain(work: string, when: 'before' | 'after'): void {
  const nm = join(work, 'hotloop', 'node_modules');
  const cache = join(dirname(work), '.toolchain', 'node_modules');
  if (when === 'before' && !existsSync(nm) && existsSync(cache)) symlinkSync(cache, nm, 'dir');
  if (when === 'after' && !existsSync(cache) && existsSync(nm) && !lstatSync(nm).isSymbolicLink()) {
    mkdirSync(dirname(cache), { recursive: true });
    renameSync(nm, cache);
    symlinkSync(cache, nm, 'dir');
  }
}
