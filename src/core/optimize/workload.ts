// What `hotloop optimize` runs to find the hot loops: the project's own workload, found for the user.
// In order: a benchmark (a `bench`/`benchmark`/`bench:*` script, or a bench file), else the tests (the
// `test` script's runner — node --test, mocha, jest, vitest — without the lint/type-check steps
// around it, or a runner in devDependencies, or *.test.js files for node --test), else the start
// script or package.json main. Each is a profile target; the result says which was used.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { ProfileTarget } from '../profile/types.js';
import { profileTargetOf } from './select.js';

export type WorkloadKind = 'bench' | 'test' | 'start';

export interface Workload {
  readonly kind: WorkloadKind;
  readonly target: ProfileTarget;
  /** The command as a person would type it. */
  readonly label: string;
  /** Where it came from (`scripts.test`, `devDependencies.mocha`, `test/*.test.js`…). */
  readonly from: string;
  /** Set when it cannot run as found (its runner is not installed): what to do. */
  readonly missing?: string;
}

interface Pkg {
  main?: unknown;
  jest?: unknown;
  scripts?: Record<string, unknown>;
  devDependencies?: Record<string, unknown>;
  dependencies?: Record<string, unknown>;
}

const RUNNERS = new Set(['mocha', 'jest', 'vitest']);
/** Steps of a test script that check code rather than run it. */
const NOT_WORK =
  /^(eslint|tsc|prettier|biome|standard|xo|tslint|documentation|rimraf|rm|npm|yarn|pnpm|cd|echo|exit|true|false)$/;

function readPkg(root: string): Pkg | undefined {
  try {
    return JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Pkg;
  } catch {
    return undefined;
  }
}

/** `dir/*.test.js`-style globs (a `*` in the last segment) expanded without a shell, sorted; other words kept. */
export function expandGlob(root: string, word: string): string[] {
  if (!word.includes('*')) return [word];
  const dir = dirname(word);
  if (dir.includes('*') || !existsSync(join(root, dir))) return [];
  const re = new RegExp(
    `^${basename(word)
      .split('*')
      .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return readdirSync(join(root, dir))
    .filter((f) => re.test(f))
    .sort()
    .map((f) => (dir === '.' ? f : `${dir}/${f}`));
}

function bin(root: string, name: string): string | undefined {
  const p = join(root, 'node_modules', '.bin', name);
  return existsSync(p) ? p : undefined;
}

/** The step of a script that runs work (tests, a benchmark), as words; coverage wrappers (nyc, c8) dropped. */
export function workStep(script: string): string[] | undefined {
  for (const seg of script.split(/&&|\|\||;/)) {
    let words = seg
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map((w) => w.replace(/^['"]|['"]$/g, ''));
    while (words.length && /^[A-Z_][A-Z0-9_]*=/.test(words[0]!)) words = words.slice(1);
    if (words[0] === 'npx') words = words.slice(1);
    const tool = (): string => basename(words[0] ?? '');
    if (tool() === 'nyc' || tool() === 'c8') {
      let i = 1;
      while (i < words.length && words[i]!.startsWith('-')) i++;
      words = words.slice(i);
    }
    // `istanbul cover _mocha -- <mocha args>`: the runner and its arguments.
    if (tool() === 'istanbul' && words[1] === 'cover') {
      const rest = words.slice(2);
      const sep = rest.indexOf('--');
      words = sep < 0 ? rest : [...rest.slice(0, sep), ...rest.slice(sep + 1)];
    }
    if (tool() === '_mocha') words = ['mocha', ...words.slice(1)];
    // Steps after a `cd` run elsewhere than the project root: not a target as written.
    if (tool() === 'cd') return undefined;
    if (words.length === 0 || NOT_WORK.test(tool())) continue;
    if (tool() === 'node' || RUNNERS.has(tool())) return [tool(), ...words.slice(1)];
  }
  return undefined;
}

const JEST_CONFIGS = [
  'jest.config.js',
  'jest.config.ts',
  'jest.config.cjs',
  'jest.config.mjs',
  'jest.config.json',
];

/**
 * Jest arguments for TypeScript tests published without their jest config (it stays in the repository,
 * out of the npm package) while ts-jest is installed: the ts-jest preset, transpiling only (no
 * tsconfig came with the package either, so type-checking would fail on its defaults) to the ES2019 this
 * Node runs. None when the project has a config of its own.
 */
function tsJestFallback(root: string): string[] {
  if (readPkg(root)?.jest !== undefined || JEST_CONFIGS.some((f) => existsSync(join(root, f)))) return [];
  if (!existsSync(join(root, 'node_modules', 'ts-jest'))) return [];
  const tsTests = ['test', 'tests', '__tests__', 'src'].some((d) => {
    const abs = join(root, d);
    return existsSync(abs) && readdirSync(abs).some((f) => /\.(test|spec)\.tsx?$/.test(f));
  });
  if (!tsTests) return [];
  const tsJest = { diagnostics: false, tsConfig: { target: 'es2019', esModuleInterop: true } };
  return ['--preset', 'ts-jest', '--globals', JSON.stringify({ 'ts-jest': tsJest })];
}

/** A profile target for a step's words (`node …` or a runner), or why it cannot run. */
function targetOfStep(
  root: string,
  words: readonly string[],
): { target: ProfileTarget; missing?: string } | undefined {
  const [tool, ...rest] = words;
  if (tool === 'node') {
    let i = 0;
    while (i < rest.length && rest[i]!.startsWith('-'))
      i += rest[i] === '--import' || rest[i] === '-r' || rest[i] === '--require' ? 2 : 1;
    const file = rest[i];
    if (!rest.includes('--test') && file && /\.[cm]?[jt]sx?$/.test(file) && existsSync(join(root, file)))
      return { target: { kind: 'file', file, args: rest.slice(i + 1) } };
    const args = rest.flatMap((w) => expandGlob(root, w));
    const unmatched = rest.find((w) => w.includes('*') && expandGlob(root, w).length === 0);
    const absent = !rest.includes('--test') && file && /\.[cm]?[jt]sx?$/.test(file) ? file : undefined;
    const missing = unmatched
      ? `no file matches ${unmatched}`
      : absent
        ? `${absent} does not exist`
        : undefined;
    return {
      target: { kind: 'command', command: ['node', ...args] },
      ...(missing ? { missing: `${missing} (not in this copy of the project)` } : {}),
    };
  }
  if (!tool || !RUNNERS.has(tool)) return undefined;
  const exe = bin(root, tool);
  const extra =
    tool === 'jest'
      ? [...(rest.includes('--runInBand') ? [] : ['--runInBand']), ...tsJestFallback(root)]
      : tool === 'vitest' && rest[0] !== 'run'
        ? ['run']
        : [];
  const args = [...extra, ...rest.flatMap((w) => expandGlob(root, w))];
  const missing = exe ? undefined : `${tool} is not installed in ${root} (run \`npm install\` there first)`;
  return { target: { kind: 'command', command: [exe ?? tool, ...args] }, ...(missing ? { missing } : {}) };
}

function label(t: ProfileTarget): string {
  switch (t.kind) {
    case 'file':
    case 'script':
      return ['node', t.file, ...(t.args ?? [])].join(' ');
    case 'npm':
      return `npm run ${t.script}`;
    case 'command':
      return t.command.map((w) => (w.includes('/node_modules/.bin/') ? basename(w) : w)).join(' ');
    default: {
      const never: never = t;
      return String(never);
    }
  }
}

function scriptWorkload(
  root: string,
  kind: WorkloadKind,
  name: string,
  script: string,
): Workload | undefined {
  const step = workStep(script);
  const made = step ? targetOfStep(root, step) : undefined;
  if (made)
    return {
      kind,
      target: made.target,
      label: label(made.target),
      from: `scripts.${name}`,
      ...(made.missing ? { missing: made.missing } : {}),
    };
  // A script with no recognisable step still runs through npm unless it installs or changes folder.
  if (kind === 'bench' && !/\b(install|ci)\b|(^|\s)cd\s/.test(script))
    return { kind, target: { kind: 'npm', script: name }, label: `npm run ${name}`, from: `scripts.${name}` };
  return undefined;
}

const BENCH_FILES = [
  'bench.js',
  'bench.mjs',
  'bench.ts',
  'benchmark.js',
  'bench/index.js',
  'bench/index.ts',
  'benchmark/index.js',
];

function benchWorkload(root: string, pkg: Pkg): Workload | undefined {
  const scripts = Object.entries(pkg.scripts ?? {}).filter(
    (e): e is [string, string] => typeof e[1] === 'string',
  );
  for (const [name, script] of scripts.filter(
    ([n]) => n === 'bench' || n === 'benchmark' || n.startsWith('bench:'),
  )) {
    const w = scriptWorkload(root, 'bench', name, script);
    if (w) return w;
  }
  const file = BENCH_FILES.find((f) => existsSync(join(root, f)));
  return file
    ? { kind: 'bench', target: { kind: 'file', file, args: [] }, label: `node ${file}`, from: file }
    : undefined;
}

function testFiles(root: string): string[] {
  const out: string[] = [];
  for (const dir of ['test', 'tests', '__tests__', '.']) {
    const abs = join(root, dir);
    if (!existsSync(abs) || !statSync(abs).isDirectory()) continue;
    for (const f of readdirSync(abs).sort())
      if (/\.(test|spec)\.[cm]?js$/.test(f)) out.push(dir === '.' ? f : `${dir}/${f}`);
  }
  return out;
}

/**
 * Plain node scripts in test/ (or tests/) that load the package's own code (`require('../…')`,
 * `import … from '../…'`): tests written without a runner. Each runs as a file of `node --test`,
 * which passes a script that exits 0.
 */
function testScripts(root: string): string[] {
  for (const dir of ['test', 'tests']) {
    const abs = join(root, dir);
    if (!existsSync(abs) || !statSync(abs).isDirectory()) continue;
    const found = readdirSync(abs)
      .sort()
      .filter((f) => /\.[cm]?js$/.test(f) && statSync(join(abs, f)).isFile())
      .filter((f) => /(?:require\(|from|import\()\s*['"]\.\.\//.test(readFileSync(join(abs, f), 'utf8')))
      .map((f) => `${dir}/${f}`);
    if (found.length) return found;
  }
  return [];
}

function testWorkload(root: string, pkg: Pkg): Workload | undefined {
  const test = typeof pkg.scripts?.test === 'string' ? pkg.scripts.test : undefined;
  if (test && !/no test specified/.test(test)) {
    const w = scriptWorkload(root, 'test', 'test', test);
    if (w) return w;
  }
  const deps = { ...pkg.dependencies, ...pkg.devDependencies };
  const runner = ['vitest', 'jest', 'mocha'].find((r) => r in deps);
  if (runner) {
    const made = targetOfStep(root, [runner]);
    if (made)
      return {
        kind: 'test',
        target: made.target,
        label: label(made.target),
        from: `devDependencies.${runner}`,
        ...(made.missing ? { missing: made.missing } : {}),
      };
  }
  const files = testFiles(root);
  if (files.length)
    return {
      kind: 'test',
      target: { kind: 'command', command: ['node', '--test', ...files] },
      label: `node --test ${files.join(' ')}`,
      from: 'test files',
    };
  const scripts = testScripts(root);
  if (scripts.length)
    return {
      kind: 'test',
      target: { kind: 'command', command: ['node', '--test', ...scripts] },
      label: `node --test ${scripts.join(' ')}`,
      from: 'test scripts',
    };
  return undefined;
}

/** Every workload found in the project, in the order `optimize` prefers them: bench, test, start. */
export function discoverWorkloads(root: string): Workload[] {
  const pkg = readPkg(root);
  const found: Workload[] = [];
  if (pkg) {
    const bench = benchWorkload(root, pkg);
    if (bench) found.push(bench);
    const test = testWorkload(root, pkg);
    if (test) found.push(test);
  }
  const start = profileTargetOf(root);
  if (start)
    found.push({
      kind: 'start',
      target: start,
      label: label(start),
      from:
        start.kind === 'npm'
          ? 'scripts.start'
          : pkg && typeof pkg.scripts?.start === 'string'
            ? 'scripts.start'
            : 'main',
    });
  return found;
}

/** The workload to profile: `prefer`red kind when found, else the first runnable one (bench, test, start). */
export function chooseWorkload(found: readonly Workload[], prefer?: WorkloadKind): Workload | undefined {
  if (prefer) return found.find((w) => w.kind === prefer);
  return found.find((w) => !w.missing) ?? found[0];
}
