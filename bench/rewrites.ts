// bench:rewrites — do the rewrites win on real code, with the library's own tests still green? For
// every corpus library whose package ships its tests (bench/rewritesLibs.ts), in a temporary copy
// with its test runner installed: the unmodified tests first (baseline), then for every outermost
// translatable loop and target: `hotloop scaffold` → `hotloop build` → `hotloop apply` → the
// library's own tests under HOTLOOP_STRICT=1 with bench/rewritesProbe.cjs preloaded (which proves the
// rewrite ran: calls that reached the wrapper, and calls the wrapper says ran the original) → a
// benchmark of the rewrite against the original on the argument lists the tests passed
// (bench/rewritesTime.cjs, interleaved rounds, paired bootstrap CI) → `hotloop apply --undo`, and
// the file must be back byte for byte. The last line with --json is one JSON object of figures.
//   npm run bench:rewrites [-- --json] [-- --lib NAME]… [-- --targets wasm,native] [-- --max-loops N]
//     [-- --loop ID]… (only loops whose id ends with ID, e.g. `dsp.js#FFT/2`: a development run, not the figures)
//   npm run bench:rewrites -- --merge run1.json run2.json… [--json]   (pools the rows of earlier runs)
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { analyzePath } from '../src/core/analysis/index.js';
import { bootstrapPairedRatioCI } from '../src/core/bench/stats.js';
import { outermostTranslatable } from './corpusMetrics.js';
import { LIB_TESTS, type LibTests } from './rewritesLibs.js';
import { figures, printTable, type LoopResult } from './rewritesFigures.js';
import {
  CORPUS,
  REPO,
  exercised,
  hotloop,
  prepareCopy,
  readProbes,
  run,
  runBench,
  runTests,
  shareToolchain,
  typecheck,
  typedArg,
  type LibJson,
  type Timed,
} from './rewritesSteps.js';

async function oneLoop(
  spec: LibTests,
  benchLines: readonly string[] | undefined,
  work: string,
  loop: { id: string; file: string; kernel: string; typed: boolean; arrays: boolean; ran: boolean },
  target: string,
  log: (s: string) => void,
): Promise<LoopResult> {
  const res: LoopResult = {
    lib: spec.dir,
    loop: loop.id,
    target,
    typed: loop.typed,
    typed_declared: loop.typed,
    typed_at_call: false,
    ran: loop.ran,
    stage: 'scaffold',
    built: false,
    applied: false,
    tests_pass: null,
    calls: 0,
    bench_calls: 0,
    bench_script: null,
    fallback_calls: 0,
    fallback_warnings: 0,
    silent_fallback: false,
    typecheck: 'n/a',
    speedup: null,
    ci: null,
    win: false,
    speedup_typed: null,
    ci_typed: null,
    win_typed: false,
    original_typed_ratio: null,
    mode: null,
    mode_typed: null,
    bench_size: null,
    bench_mix: null,
    undo_exact: null,
    why: '',
  };
  const fail = (why: string): LoopResult => ({
    ...res,
    why: why.trim().split('\n').slice(-3).join(' | ').slice(0, 400),
  });
  const sc = await hotloop(['scaffold', loop.file, '--loop', loop.id, '--target', target, '--json'], work);
  if (sc.code !== 0) return fail(`scaffold: ${sc.out}`);
  const folder = join(work, 'hotloop', `${loop.kernel}-${target}`);
  if (!existsSync(folder)) return fail(`scaffold wrote no ${folder}`);
  // Whether it can be applied at all, before spending a build on it.
  res.stage = 'apply';
  const dry = await hotloop(['apply', loop.file, '--loop', loop.id, '--target', target, '--dry-run'], work);
  if (dry.code !== 0) return fail(`apply: ${dry.out}`);
  if (!loop.ran) {
    res.stage = 'tests';
    return {
      ...res,
      why: 'the tests never run this loop (V8 coverage of the unmodified tests): not exercised, not built',
    };
  }
  shareToolchain(work, 'before');
  res.stage = 'build';
  log(`  build ${loop.kernel}-${target}`);
  const b = await hotloop(['build', folder, '--timeout', '400'], work);
  if (b.code !== 0) return fail(`build: ${b.out}`);
  res.built = true;
  shareToolchain(work, 'after');
  res.stage = 'apply';
  const before = readFileSync(join(work, loop.file));
  const a = await hotloop(['apply', loop.file, '--loop', loop.id, '--target', target], work);
  if (a.code !== 0) return fail(`apply: ${a.out}`);
  res.applied = true;
  res.stage = 'tests';
  const probeDir = join(work, '.hotloop-probe', `${loop.kernel}-${target}`);
  rmSync(probeDir, { recursive: true, force: true });
  const t = await runTests(spec, work, {
    HOTLOOP_STRICT: '1',
    HOTLOOP_PROBE_DIR: probeDir,
    NODE_OPTIONS:
      `${process.env.NODE_OPTIONS ?? ''} --require ${join(REPO, 'bench', 'rewritesProbe.cjs')}`.trim(),
  });
  res.tests_pass = t.code === 0;
  // The library's own bench scripts, the same way: the workload, and their output must not change.
  const benchDir = `${probeDir}-bench`;
  rmSync(benchDir, { recursive: true, force: true });
  if (benchLines && res.tests_pass) {
    const bn = await runBench(spec, work, {
      HOTLOOP_STRICT: '1',
      HOTLOOP_PROBE_DIR: benchDir,
      NODE_OPTIONS:
        `${process.env.NODE_OPTIONS ?? ''} --require ${join(REPO, 'bench', 'rewritesProbe.cjs')}`.trim(),
    });
    res.bench_script =
      bn.code !== 0 ? 'fails' : bn.lines.join('\n') === benchLines.join('\n') ? 'same' : 'differs';
    if (res.bench_script === 'fails') res.why = `the bench script fails: ${bn.out.slice(-300)}`;
    if (res.bench_script === 'differs')
      res.why = `the bench script's output differs: ${bn.lines.join(' | ').slice(0, 200)} (was ${benchLines.join(' | ').slice(0, 200)})`;
  }
  const pt = readProbes(probeDir, loop.kernel);
  const pb = readProbes(benchDir, loop.kernel);
  const p = {
    calls: pt.calls + pb.calls,
    fallbacks: pt.fallbacks + pb.fallbacks,
    warnings: pt.warnings + pb.warnings,
    samples: [...pt.samples, ...pb.samples],
  };
  res.calls = p.calls;
  res.bench_calls = pb.calls;
  res.fallback_calls = p.fallbacks;
  res.fallback_warnings = p.warnings;
  // Green tests whose calls reached the wrapper and ran the original (or warned that it did): a
  // silent fallback. Tests that never call the function are "not exercised", counted apart.
  res.silent_fallback = res.tests_pass && p.calls > 0 && (p.fallbacks > 0 || p.warnings > 0);
  res.typed_at_call = loop.arrays && p.samples.length > 0 && p.samples.every((s) => s.args.every(typedArg));
  res.typed = res.typed_declared || res.typed_at_call;
  res.typecheck = await typecheck(work);
  if (!res.tests_pass) res.why = `tests fail: ${t.out.slice(-400)}`;
  else if (p.calls === 0) res.why = 'the tests never call the rewritten function (not exercised)';
  else if (pt.calls === 0)
    res.why = `${res.why} only the bench script calls the rewritten function (the tests do not)`.trim();
  res.stage = 'bench';
  if (res.tests_pass && res.bench_script !== 'fails' && p.samples.length) {
    const samples = join(probeDir, 'samples.json');
    writeFileSync(samples, JSON.stringify(p.samples));
    const tm = await run(
      [process.execPath, join(REPO, 'bench', 'rewritesTime.cjs'), folder, loop.kernel, samples],
      work,
      { HOTLOOP_STRICT: '1' },
      300,
    );
    const line = tm.out.trim().split('\n').at(-1) ?? '';
    try {
      const m = JSON.parse(line) as Timed | { skip: string };
      if ('skip' in m) throw new Error(m.skip);
      const { ratio, ci } = bootstrapPairedRatioCI(m.original, m.rewrite);
      res.speedup = ratio;
      res.ci = [ci.low, ci.high];
      res.bench_size = m.size;
      res.bench_mix = m.mix;
      res.win = ratio >= 1.2 && ci.low > 1 && m.agree;
      const typed = bootstrapPairedRatioCI(m.original, m.typed);
      res.speedup_typed = typed.ratio;
      res.ci_typed = [typed.ci.low, typed.ci.high];
      res.win_typed = typed.ratio >= 1.2 && typed.ci.low > 1 && m.agree_typed;
      res.original_typed_ratio = bootstrapPairedRatioCI(m.original_typed, m.original).ratio;
      res.mode = m.mode;
      res.mode_typed = m.mode_typed;
      if (!m.agree)
        res.why = `${res.why} the rewrite's result differs from the original's on the recorded input`.trim();
      if (!m.agree_typed)
        res.why = `${res.why} the rewrite's result on the typed data differs from the original's`.trim();
    } catch (err) {
      const skip = err instanceof Error && !(err instanceof SyntaxError) ? err.message : undefined;
      res.why =
        `${res.why} ${skip ? `not benchmarked: ${skip}` : `benchmark failed: ${tm.out.slice(-300)}`}`.trim();
    }
  }
  res.stage = 'undo';
  const u = await hotloop(['apply', '--undo'], work);
  res.undo_exact = u.code === 0 && readFileSync(join(work, loop.file)).equals(before);
  if (!res.undo_exact) res.why = `${res.why} undo did not restore the file: ${u.out.slice(-200)}`.trim();
  res.stage = 'done';
  return res;
}

async function benchLib(
  spec: LibTests,
  root: string,
  targets: readonly string[],
  maxLoops: number,
  log: (s: string) => void,
  loopIds: readonly string[] = [],
): Promise<{ results: LoopResult[]; skipped?: string }> {
  const lib = JSON.parse(readFileSync(join(CORPUS, spec.dir, 'lib.json'), 'utf8')) as LibJson;
  const work = join(root, spec.dir);
  log(`${spec.dir}: copy + install ${spec.install.join(' ') || '(nothing)'}`);
  const bad = await prepareCopy(spec, work);
  if (bad) return { results: [], skipped: bad };
  const base = await runTests(spec, work, {});
  if (base.code !== 0) return { results: [], skipped: `the unmodified tests fail: ${base.out.slice(-300)}` };
  let benchLines: string[] | undefined;
  if (spec.bench?.length) {
    const bb = await runBench(spec, work, {});
    if (bb.code === 0) benchLines = bb.lines;
    else log(`${spec.dir}: its bench script fails unmodified, left out: ${bb.out.slice(-300)}`);
  }
  const ran = await exercised(spec, work);
  const files = await analyzePath(
    lib.analyze.map((p) => join(work, p)),
    { rootDir: work },
  );
  const loops = outermostTranslatable(files)
    .filter((l) => l.kernel && (loopIds.length === 0 || loopIds.some((id) => l.id.endsWith(id))))
    .slice(0, maxLoops)
    .map((l) => ({
      id: l.id,
      file: l.file,
      kernel: l.kernel!.name,
      typed:
        l.kernel!.params.some((p) => p.kind === 'array') &&
        l.kernel!.params.every((p) => p.kind !== 'array' || p.container === 'typed'),
      arrays: l.kernel!.params.some((p) => p.kind === 'array'),
      ran: ran(l.file, l.range.start.line, l.range.start.character),
    }));
  log(`${spec.dir}: baseline tests pass; ${loops.length} translatable loop(s)`);
  const results: LoopResult[] = [];
  for (const loop of loops) {
    for (const target of targets) {
      const r = await oneLoop(spec, benchLines, work, loop, target, log);
      log(
        `  ${loop.id} ${target}: ${r.stage}${r.applied ? ', applied' : ''}${r.tests_pass === null ? '' : r.tests_pass ? ', tests pass' : ', TESTS FAIL'}, calls ${r.calls}${r.speedup ? `, ${r.speedup.toFixed(2)}× [${r.ci![0].toFixed(2)}, ${r.ci![1].toFixed(2)}]` : ''}${r.why ? ` — ${r.why.slice(0, 160)}` : ''}`,
      );
      results.push(r);
    }
  }
  return { results };
}

/** Rows of earlier runs' closing lines (`--merge a.json b.json`): the last JSON line of each file; a lib in a later file replaces its rows from earlier ones. */
function mergedRows(files: readonly string[]): {
  rows: LoopResult[];
  libs: Set<string>;
  targets: Set<string>;
  loads: unknown[];
} {
  const rows: LoopResult[] = [];
  const libs = new Set<string>();
  const targets = new Set<string>();
  const loads: unknown[] = [];
  for (const f of files) {
    const line = readFileSync(f, 'utf8').trim().split('\n').at(-1) ?? '';
    const j = JSON.parse(line) as {
      per_loop: LoopResult[];
      lib_names?: string[];
      targets: string[];
      load_average: unknown;
      started?: string;
    };
    // A lib measured again in a later file: its rows there replace the earlier ones.
    const again = new Set(j.per_loop.map((r) => r.lib));
    for (let i = rows.length - 1; i >= 0; i--) if (again.has(rows[i]!.lib)) rows.splice(i, 1);
    rows.push(...j.per_loop);
    for (const l of j.lib_names ?? j.per_loop.map((r) => r.lib)) libs.add(l);
    for (const t of j.targets) targets.add(t);
    loads.push({ file: f, started: j.started ?? null, load_average: j.load_average });
  }
  return { rows, libs, targets, loads };
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    options: {
      json: { type: 'boolean' },
      lib: { type: 'string', multiple: true },
      targets: { type: 'string' },
      'max-loops': { type: 'string' },
      loop: { type: 'string', multiple: true },
      keep: { type: 'boolean' },
      merge: { type: 'boolean' },
    },
    allowPositionals: true,
  });
  if (values.merge) {
    const m = mergedRows(positionals);
    printTable(m.rows);
    const out = {
      libs: m.libs.size,
      lib_names: [...m.libs],
      targets: [...m.targets],
      runs: m.loads,
      ...figures(m.rows),
    };
    if (values.json) process.stdout.write(`${JSON.stringify(out)}\n`);
    return;
  }
  const targets = (values.targets ?? 'wasm').split(',').filter(Boolean);
  const maxLoops = Number(values['max-loops'] ?? 50);
  const only = values.lib ?? [];
  const specs = LIB_TESTS.filter((s) => only.length === 0 || only.includes(s.dir));
  const root = join(tmpdir(), `hotloop-rewrites-${process.pid}`);
  mkdirSync(root, { recursive: true });
  const log = (s: string): void => void process.stderr.write(`${s}\n`);
  const load0 = loadavg();
  const started = new Date().toISOString();
  log(
    `bench:rewrites — ${specs.length} libs, targets ${targets.join(',')}, load average ${load0.map((x) => x.toFixed(2)).join(' ')}, work in ${root}`,
  );
  const all: LoopResult[] = [];
  const skipped: Record<string, string> = {};
  for (const spec of specs) {
    const r = await benchLib(spec, root, targets, maxLoops, log, values.loop ?? []);
    if (r.skipped) {
      skipped[spec.dir] = r.skipped;
      log(`${spec.dir}: skipped — ${r.skipped}`);
    }
    all.push(...r.results);
  }
  if (!values.keep) rmSync(root, { recursive: true, force: true });
  printTable(all);
  const out = {
    libs: specs.length - Object.keys(skipped).length,
    lib_names: specs.filter((s) => !skipped[s.dir]).map((s) => s.dir),
    skipped,
    targets,
    started,
    finished: new Date().toISOString(),
    load_average: [load0, loadavg()].map((l) => l.map((x) => Number(x.toFixed(2)))),
    ...figures(all),
  };
  if (values.json) process.stdout.write(`${JSON.stringify(out)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(
    `bench:rewrites: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exitCode = 1;
});
