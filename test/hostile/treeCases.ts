// Hostile bench variants and build steps (issue 19), run in a child of hostile.test.ts inside a
// scratch workspace (argv[2]) with a sibling "outside" folder (argv[3]); argv[4] is the family,
// 'bench-tree' or 'build-tree'. A bench variant or build step that hangs, dies, ignores SIGTERM,
// spawns children, forks a grandchild into its own session, or holds the output pipes. Every
// process they start records its pid in a file; after each case none of them may be alive, and no
// live process may be in the process group or the session of any of them. One JSON line per case.
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { runBench } from '../../src/core/bench/runner.js';
import type { BenchResult, Variant } from '../../src/core/bench/types.js';
import { benchCommand } from '../../src/cli/bench.js';
import type { CliContext } from '../../src/cli/command.js';
import { processAlive } from '../../src/core/process/group.js';
import { sandboxOffReason } from '../../src/core/process/sandbox.js';
import { buildScaffold } from '../../src/core/scaffold/build/index.js';
import type { BuildResult } from '../../src/core/scaffold/build/types.js';

const ws = process.argv[2]!;
const emit = (name: string, ok: boolean, detail = ''): void => {
  process.stdout.write(`${JSON.stringify({ name, ok, detail: detail.slice(0, 300) })}\n`);
};
const started = (name: string): void => void process.stderr.write(`case ${name}\n`);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * JS for the host's pid of the running process: in the build sandbox (a PID namespace) `process.pid`
 * is the namespace's, while the host's /proc (visible read-only) names the real one.
 */
const HOST_PID = "require('fs').readlinkSync('/proc/self')";

/** A node program (for `-e`) that records its (host) pid in `pids` and lives until killed. */
const live = (pids: string, ignoreTerm = false): string =>
  `${ignoreTerm ? "process.on('SIGTERM', () => {});" : ''}require('fs').appendFileSync(${JSON.stringify(pids)}, ${HOST_PID} + '\\n'); setInterval(() => {}, 1000);`;

/** Live processes (not orphaned zombies) whose process group or session is one of `ids`. */
function members(ids: ReadonlySet<number>): number[] {
  const out: number[] = [];
  for (const e of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (f[0] === 'Z' && f[1] === '1') continue;
      if (ids.has(Number(f[2])) || ids.has(Number(f[3]))) out.push(Number(e));
    } catch {
      // gone
    }
  }
  return out;
}

/**
 * What is left of the processes recorded in `pidFile`: alive ones, and any live member of their
 * groups or sessions. Polled for up to 10 s (SIGKILLed processes take a moment to leave /proc).
 */
async function leftBehind(pidFile: string, atLeast = 1): Promise<number[]> {
  let left: number[] = [];
  for (let k = 0; k < 100; k++) {
    let text = '';
    try {
      text = readFileSync(pidFile, 'utf8');
    } catch {
      // none recorded
    }
    // `ns<pid>`: a pid a shell saw inside the build sandbox's PID namespace (`$!`): it counts as started,
    // and the process records its host pid itself once it runs (if it was killed first, it is gone).
    const lines = text.split('\n').filter(Boolean);
    const ids = new Set(lines.filter((l) => !l.startsWith('ns')).map(Number));
    // A case whose processes never started checks nothing: a failure of its own.
    if (lines.length < atLeast) return [-lines.length];
    left = [...new Set([...[...ids].filter((p) => processAlive(p)), ...members(ids)])];
    if (left.length === 0) return [];
    await sleep(100);
  }
  return left;
}

// ---- bench ----------------------------------------------------------------------------------------

interface VariantBehaviour {
  /** Code at the module's top level (runs at load). */
  readonly top?: string;
  /** Code at the start of every call (`calls` counts them; the check is call 1). */
  readonly call?: string;
}

/** Writes a variant module (a sum) with a hostile behaviour; every process it starts records its pid. */
function variantModule(dir: string, name: string, b: VariantBehaviour, pids: string): Variant {
  const file = join(dir, `${name}.mjs`);
  writeFileSync(
    file,
    `import { spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';
const PIDS = ${JSON.stringify(pids)};
appendFileSync(PIDS, process.pid + '\\n');
const LIVE = ${JSON.stringify(live(pids))};
const STUBBORN = ${JSON.stringify(live(pids, true))};
const keep = (code, o = {}) => { const c = spawn(process.execPath, ['-e', code], { stdio: 'ignore', ...o }); appendFileSync(PIDS, c.pid + '\\n'); return c; };
void keep; void LIVE; void STUBBORN;
let calls = 0;
${b.top ?? ''}
export function f(a) {
  calls++;
  ${b.call ?? ''}
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
}
`,
  );
  return { id: name, label: name, module: file, export: 'f', input: 'array' };
}

const HANG = 'for (;;) {}';
const LATE = (what: string): string => `if (calls > 5) { ${what} }`;

/** name → behaviour of the hostile variant, and what must become of it. */
const BENCH_CASES: readonly [string, VariantBehaviour, 'error' | 'ok'][] = [
  ['hang-at-import', { top: HANG }, 'error'],
  ['hang-in-check', { call: HANG }, 'error'],
  ['hang-while-timed', { call: LATE(HANG) }, 'error'],
  ['exit-in-check', { call: 'process.exit(3);' }, 'error'],
  ['throw-in-check', { call: "throw new Error('hostile variant');" }, 'error'],
  ['sigkill-while-timed', { call: LATE("process.kill(process.pid, 'SIGKILL');") }, 'error'],
  ['exit-while-timed', { call: LATE('process.exit(0);') }, 'error'],
  ['spawns-a-child', { top: 'keep(LIVE);' }, 'ok'],
  ['spawns-8-children', { top: 'for (let i = 0; i < 8; i++) keep(LIVE);' }, 'ok'],
  ['child-in-own-session', { top: 'keep(LIVE, { detached: true }).unref();' }, 'ok'],
  [
    'double-fork-grandchild',
    {
      top: "keep(`require('child_process').spawn(process.execPath, ['-e', ${JSON.stringify(LIVE)}], { detached: true, stdio: 'ignore' }).unref()`);",
    },
    'ok',
  ],
  ['child-holds-stderr', { top: "keep(LIVE, { stdio: ['ignore', 'ignore', 'inherit'] });" }, 'ok'],
  [
    'ignores-sigterm-then-hangs',
    { top: "process.on('SIGTERM', () => {}); keep(STUBBORN);", call: LATE(HANG) },
    'error',
  ],
  ['child-then-hang-in-check', { top: 'keep(LIVE, { detached: true });', call: HANG }, 'error'],
];

const FAST = { samples: 12, samplesPerRound: 1, batch: 1, warmupMs: 1, resamples: 200 } as const;

async function benchCase(name: string, b: VariantBehaviour, expect: 'error' | 'ok'): Promise<void> {
  const dir = join(ws, 'bench', name);
  mkdirSync(dir, { recursive: true });
  const pids = join(dir, 'pids');
  const ref = variantModule(dir, 'ref', {}, pids);
  const bad = variantModule(dir, name, b, pids);
  const good = variantModule(dir, 'good', {}, pids);
  let r: BenchResult | undefined;
  let threw = '';
  try {
    r = await runBench(
      { kernel: 'sum', n: 1000, args: [{ kind: 'array', dtype: 'f64' }], variants: [ref, bad, good] },
      { ...FAST, timeoutMs: 240_000, stallMs: 20_000 },
    );
  } catch (e) {
    threw = e instanceof Error ? e.message : String(e);
  }
  const left = await leftBehind(pids, /children/.test(name) ? 11 : 3);
  const v = r?.variants.find((x) => x.id === name);
  const timedRef = r?.variants[0]?.timing !== undefined && r.variants.find((x) => x.id === 'good')?.timing;
  const clear =
    expect === 'ok'
      ? v?.correctness.status === 'ok' && v.timing !== undefined
      : v?.correctness.status === 'error' &&
        v.timing === undefined &&
        /no answer to '\w+' within|exited|hostile variant/.test(v.correctness.detail) &&
        r!.notes.some((n) => n.startsWith(`${name} failed`));
  emit(
    `bench variant ${name}: the others are measured, it is ${expect === 'ok' ? 'timed' : 'named'}, nothing left`,
    !threw && !!timedRef && clear && left.length === 0,
    threw ||
      `${v?.correctness.status ?? 'missing'}: ${v?.correctness.status === 'error' ? v.correctness.detail.split('\n')[0] : ''}; left ${left.join(',')}`,
  );
}

/** The reference hangs: a clear error naming it, and nothing left. */
async function referenceHangs(): Promise<void> {
  const dir = join(ws, 'bench', 'ref-hangs');
  mkdirSync(dir, { recursive: true });
  const pids = join(dir, 'pids');
  const variants = [
    variantModule(dir, 'ref', { top: 'keep(LIVE);', call: HANG }, pids),
    variantModule(dir, 'other', {}, pids),
  ];
  let msg = '';
  try {
    await runBench(
      { kernel: 'sum', n: 1000, args: [{ kind: 'array', dtype: 'f64' }], variants },
      { ...FAST, timeoutMs: 240_000, stallMs: 20_000 },
    );
  } catch (e) {
    msg = e instanceof Error ? e.message : String(e);
  }
  const left = await leftBehind(pids);
  emit(
    'bench: the reference hangs → an error naming it, nothing left',
    /reference variant \(ref\) failed: ref: no answer to '(load|check)' within 20 s/.test(msg) &&
      left.length === 0,
    `${msg.slice(0, 200)}; left ${left.join(',')}`,
  );
}

/** The run's own time limit comes while a variant hangs (stall bound longer): partial figures kept. */
async function timeLimitKeepsPartial(): Promise<void> {
  const dir = join(ws, 'bench', 'time-limit');
  mkdirSync(dir, { recursive: true });
  const pids = join(dir, 'pids');
  const variants = [
    variantModule(dir, 'ref', {}, pids),
    variantModule(dir, 'late', { call: LATE(HANG) }, pids),
  ];
  let r: BenchResult | undefined;
  let threw = '';
  try {
    r = await runBench(
      { kernel: 'sum', n: 1000, args: [{ kind: 'array', dtype: 'f64' }], variants },
      { ...FAST, samples: 40, timeoutMs: 45_000, stallMs: 600_000 },
    );
  } catch (e) {
    threw = e instanceof Error ? e.message : String(e);
  }
  const left = await leftBehind(pids);
  const ref = r?.variants[0]?.timing;
  const note = r?.notes.find((n) =>
    /time limit .* reached while waiting for late's 'sample'.*partial/.test(n),
  );
  emit(
    'bench: the time limit cuts a hanging variant → the measured rounds are kept, the note names it',
    !threw && !!ref && ref.samples.length >= 1 && ref.samples.length < 40 && !!note && left.length === 0,
    threw ||
      `${note ?? `notes: ${r?.notes.join(' | ')}`}; ref samples ${ref?.samples.length}; left ${left.join(',')}`,
  );
}

/** The issue's reproducer through the CLI: `hotloop bench` with a hanging variant reports the reference. */
async function cliHangingVariant(): Promise<void> {
  const dir = join(ws, 'bench', 'cli');
  mkdirSync(dir, { recursive: true });
  const pids = join(dir, 'pids');
  const ref = variantModule(dir, 'ref', {}, pids);
  const hang = variantModule(dir, 'hang', { call: HANG }, pids);
  let out = '';
  let err = '';
  const ctx = {
    signal: new AbortController().signal,
    stdout: { write: (s: string) => ((out += s), true) },
    stderr: { write: (s: string) => ((err += s), true) },
  } as unknown as CliContext;
  let code = -1;
  let threw = '';
  try {
    code = await benchCommand.run(
      [
        '--kernel',
        'sum',
        '--variant',
        `ref=${ref.module}#f`,
        '--variant',
        `hang=${hang.module}#f`,
        '--n',
        '1000',
        '--samples',
        '5',
        '--timeout',
        '60',
        '--json',
        '--no-save',
      ],
      ctx,
    );
  } catch (e) {
    threw = e instanceof Error ? e.message : String(e);
  }
  const left = await leftBehind(pids);
  let r: BenchResult | undefined;
  try {
    r = JSON.parse(out) as BenchResult;
  } catch {
    // not JSON
  }
  const ok =
    !threw &&
    code === 1 &&
    /hang failed \(exit 1\)/.test(err) &&
    r?.variants[0]?.timing !== undefined &&
    r.notes.some((n) => /^hang failed: .*no answer to '(load|check)' within 30 s/.test(n)) &&
    left.length === 0;
  emit(
    'bench CLI: a hanging variant (--timeout 60) → the reference measured, the variant named, rc 1',
    ok,
    threw ||
      `rc ${code}; ${r?.notes.join(' | ') ?? out.slice(0, 200)} ${err.slice(-200)}; left ${left.join(',')}`,
  );
}

/** `HOTLOOP_HOSTILE_ONLY=regex`: only the cases whose name matches (to rerun one). */
const only = new RegExp(process.env.HOTLOOP_HOSTILE_ONLY ?? '');

async function benchFamily(): Promise<void> {
  // Concurrently (each case's bounds are its own; its processes are checked by its own pid file).
  const extra: [string, () => Promise<void>][] = [
    ['ref-hangs', referenceHangs],
    ['time-limit', timeLimitKeepsPartial],
    ['cli', cliHangingVariant],
  ];
  await Promise.all([
    ...BENCH_CASES.filter(([name]) => only.test(name)).map(async ([name, b, expect]) => {
      started(`bench ${name}`);
      await benchCase(name, b, expect);
    }),
    ...extra.filter(([name]) => only.test(name)).map(([, f]) => f()),
  ]);
}

// ---- build ----------------------------------------------------------------------------------------

/** A worker-kind scaffold folder whose `build` script is `script` (npm runs it through sh). */
function workerFolder(name: string, script: string, extra: Record<string, string> = {}): string {
  const dir = join(ws, 'build', name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({
      '//': 'Generated by Hotloop (worker scaffold of s)',
      name: 'x',
      private: true,
      scripts: { build: script, ...extra },
    }),
  );
  return dir;
}

/** A build script that tries to write outside its folder, and the check that nothing was written there. */
function writeOutside(name: string): { script: string; verify: () => string | undefined } {
  const outside = process.argv[3]!;
  const dir = join(ws, 'build', name);
  const targets = [
    join(outside, 'from-build'),
    join(outside, '..', `written-by-build-${name}`),
    join(homedir(), `.hotloop-hostile-${process.pid}`),
    join('/tmp', `hotloop-hostile-${process.pid}`),
    join(outside, 'through-link'),
  ];
  const q = (s: string): string => JSON.stringify(s);
  const script = [
    `echo ${q(String(process.pid))} > ${q(join(dir, 'ran'))}`,
    `read hp _ < /proc/self/stat; echo $hp >> ${q(join(dir, 'pids'))}`,
    ...targets.slice(0, 4).map((t) => `echo x > ${q(t)}`),
    `ln -sfn ${q(outside)} ${q(join(dir, 'out'))}`,
    `echo x > ${q(join(dir, 'out', 'through-link'))}`,
    `node -e ${q(`require('fs').writeFileSync(${q(targets[2]!)}, 'x')`)}`,
    'true',
  ].join('; ');
  const verify = (): string | undefined => {
    const written = targets.filter((t) => existsSync(t));
    for (const t of written) rmSync(t, { force: true });
    if (written.length) return `written outside: ${written.join(', ')}`;
    const off = sandboxOffReason();
    if (off) return `the build sandbox is off here: ${off}`;
    return existsSync(join(dir, 'ran')) ? undefined : 'the build script did not run';
  };
  return { script, verify };
}

/** A native-kind scaffold folder whose binding.gyp runs `node <js>` in a `<!(…)` expansion. */
function nativeFolder(name: string, js: string): string {
  const dir = join(ws, 'build', name);
  mkdirSync(join(dir, 'src'), { recursive: true });
  writeFileSync(join(dir, 'src', 'kernel.cc'), '// hostile\n');
  writeFileSync(join(dir, 'hostile.js'), js);
  writeFileSync(
    join(dir, 'binding.gyp'),
    JSON.stringify({ targets: [{ target_name: 'kernel', sources: ['<!(node hostile.js)'] }] }),
  );
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({
      '//': 'Generated by Hotloop (native scaffold of s)',
      name: 'x',
      private: true,
      scripts: { build: 'node-gyp rebuild' },
    }),
  );
  return dir;
}

type BuildExpect = 'timeout' | 'build' | 'ok';

async function buildCase(
  name: string,
  dir: string,
  expect: BuildExpect,
  timeoutMs: number,
  verify?: () => string | undefined,
): Promise<void> {
  started(`build ${name}`);
  const pids = join(dir, 'pids');
  appendFileSync(pids, '');
  let r: BuildResult | undefined;
  let threw = '';
  try {
    r = await buildScaffold(dir, { timeoutMs, install: false });
  } catch (e) {
    threw = e instanceof Error ? e.message : String(e);
  }
  const left = await leftBehind(pids);
  const outcome: BuildExpect | undefined = !r ? undefined : r.ok ? 'ok' : (r.failure as BuildExpect);
  const clear =
    outcome !== 'timeout' || /ran past the build's time limit .* and was stopped/.test(r!.reason!);
  const problem = verify?.();
  emit(
    `build ${name}: ${expect}, bounded, nothing left`,
    !threw && outcome === expect && clear && left.length === 0 && !problem,
    threw ||
      `${outcome}: ${(r?.reason ?? '').split('\n')[0]}; left ${left.join(',')}${problem ? `; ${problem}` : ''}`,
  );
}

async function buildFamily(): Promise<void> {
  const pidsOf = (name: string): string => join(ws, 'build', name, 'pids');
  const node = (code: string): string => `node -e ${JSON.stringify(code)}`;
  // Background processes record their pid from the shell too ($!): they may be killed before they run.
  const bg = (n: string, code: string, pre = '', redirect = ''): string =>
    `${pre}${node(code)}${redirect} & echo ns$! >> ${JSON.stringify(pidsOf(n))}`;
  // The shell's own host pid (`$$` is the namespace's in the sandbox; `read` is a builtin, so /proc/self is the shell).
  const selfPid = (n: string): string =>
    `read hp _ < /proc/self/stat; echo $hp >> ${JSON.stringify(pidsOf(n))}`;
  const cases: [string, (n: string) => string, BuildExpect, number, (() => string | undefined)?][] = [
    ['hangs', (n) => workerFolder(n, `${selfPid(n)}; ${node(live(pidsOf(n)))}`), 'timeout', 20_000],
    [
      'ignores-sigterm-and-hangs',
      (n) => workerFolder(n, `${bg(n, live(pidsOf(n), true))}; ${node(live(pidsOf(n), true))}`),
      'timeout',
      20_000,
    ],
    [
      'daemon-setsid-holding-the-pipes',
      (n) => workerFolder(n, bg(n, live(pidsOf(n)), 'setsid ')),
      'ok',
      120_000,
    ],
    [
      'daemon-setsid-quiet',
      (n) => workerFolder(n, bg(n, live(pidsOf(n)), 'setsid ', ' >/dev/null 2>&1 </dev/null')),
      'ok',
      120_000,
    ],
    [
      'children-then-fails',
      (n) => workerFolder(n, `${bg(n, live(pidsOf(n)))}; ${bg(n, live(pidsOf(n), true))}; exit 7`),
      'build',
      120_000,
    ],
    [
      'daemon-then-hangs',
      (n) => workerFolder(n, `${bg(n, live(pidsOf(n), true), 'setsid ')}; ${node(live(pidsOf(n)))}`),
      'timeout',
      20_000,
    ],
    [
      'gyp-expansion-hangs',
      (n) =>
        nativeFolder(
          n,
          `require('fs').appendFileSync(${JSON.stringify(pidsOf(n))}, ${HOST_PID} + '\\n'); for (;;) {}`,
        ),
      'timeout',
      40_000,
    ],
    [
      'gyp-expansion-leaves-a-daemon',
      (n) =>
        nativeFolder(
          n,
          `const c = require('child_process').spawn(process.execPath, ['-e', ${JSON.stringify(live(pidsOf(n)))}], { detached: true, stdio: 'ignore' }); require('fs').appendFileSync(${JSON.stringify(pidsOf(n))}, ${HOST_PID} + '\\nns' + c.pid + '\\n'); c.unref(); console.log('missing.cc');`,
        ),
      'build',
      120_000,
    ],
    // Leaves the session and clears its environment (so it loses the run tag) — only the sandbox's PID
    // namespace ends it.
    [
      'daemon-setsid-cleared-env',
      // The script waits until the daemon has recorded its host pid, so the check cannot pass vacuously.
      (n) =>
        workerFolder(
          n,
          `${bg(n, live(pidsOf(n)), 'setsid env -i PATH="$PATH" ', ' >/dev/null 2>&1 </dev/null')}; until grep -qx '[0-9][0-9]*' ${JSON.stringify(pidsOf(n))}; do sleep 0.05; done`,
        ),
      'ok',
      120_000,
    ],
    // Writes outside the workspace every way it can: the sibling folder, its parent, $HOME, /tmp, and
    // through a symlink it makes inside its own folder. The build still succeeds; nothing lands.
    [
      'writes-outside-the-workspace',
      (n) => workerFolder(n, writeOutside(n).script),
      'ok',
      120_000,
      () => writeOutside('writes-outside-the-workspace').verify(),
    ],
  ];
  await Promise.all(
    cases
      .filter(([n]) => only.test(n))
      .map(([n, make, expect, ms, verify]) => buildCase(n, make(n), expect, ms, verify)),
  );
}

// ---- CLI messages (the issue's "unclear messages" reproducers) ----------------------------------

async function cliFamily(): Promise<void> {
  const { profileCommand } = await import('../../src/cli/profile.js');
  const root = join(ws, 'cli');
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'x', scripts: { start: 'node -e 0' } }));
  const cases: [string, typeof benchCommand, string[], RegExp][] = [
    [
      'bench --n -5',
      benchCommand,
      ['--kernel', 'k', '--variant', 'a=x.js#f', '--n', '-5', '--no-save'],
      /--n must be a positive number, got '-5'/,
    ],
    [
      'profile --npm nosuchscript',
      profileCommand,
      ['--root', root, '--npm', 'nosuchscript'],
      /has no script 'nosuchscript' \(scripts: start\)/,
    ],
    [
      'profile --npm ""',
      profileCommand,
      ['--root', root, '--npm', ''],
      /has no script '' \(scripts: start\)/,
    ],
    [
      'profile of a missing file',
      profileCommand,
      ['--root', root, 'missing.ts'],
      /cannot run missing\.ts: no such file/,
    ],
    [
      'profile of a missing nested file',
      profileCommand,
      ['--root', root, 'a/b/missing.js'],
      /cannot run a\/b\/missing\.js: no such file/,
    ],
    [
      'profile --command with a missing program',
      profileCommand,
      ['--root', root, '--command', 'hotloop-no-such-program-zz'],
      /program 'hotloop-no-such-program-zz' was not found on PATH/,
    ],
  ];
  for (const [what, cmd, args, re] of cases) {
    const name = `cli ${what}: a clear message, said once, no stack`;
    started(name);
    let err = '';
    const ctx = {
      signal: AbortSignal.timeout(120_000),
      stdout: { write: () => true },
      stderr: { write: (t: string) => ((err += t), true) },
    } as unknown as CliContext;
    let code: number;
    try {
      code = await cmd.run(args, ctx);
    } catch (e) {
      code = 1;
      err += e instanceof Error ? e.message : String(e);
    }
    const m = err.match(new RegExp(re.source, 'g')) ?? [];
    emit(
      name,
      code !== 0 &&
        m.length === 1 &&
        !/\n\s+at /.test(err) &&
        !/ambiguous|Could not (bundle|resolve)|ENAMETOOLONG/.test(err),
      `rc ${code}: ${err.slice(0, 200)}`,
    );
  }
}

async function main(): Promise<void> {
  const family = process.argv[4];
  if (family === 'cli') await cliFamily();
  if (family === 'bench-tree') await benchFamily();
  if (family === 'build-tree') await buildFamily();
  process.stderr.write('done\n');
}
void main();
