// bench:corpus — the analysis on real code: every library of corpus/ (fetched by
// scripts/corpus-fetch.mjs, pinned by version + integrity) is analysed as `hotloop analyze` does, its
// loops are matched to the hand labels of corpus/<lib>/LOOPS.json, and every translatable outermost
// loop's kernel is planned (not written) for each scaffold target. Prints a table per lib and the
// false negatives grouped by reason code; with --json the last line is one JSON object of figures
// (a ratio with nothing to divide — no kernel labels, no translatable loop — is 1 there, '—' here).
//   npm run bench:corpus [-- --json] [-- --lib NAME]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { analyzePath, analyzeSource, tsVersion } from '../src/core/analysis/index.js';
import type { FileAnalysis, LoopFacts } from '../src/core/analysis/types.js';
import { expandPaths } from '../src/core/analysis/walk.js';
import { planScaffold, targetNames } from '../src/core/scaffold/index.js';
import type { LibFigures, LoopLabel, PlanOutcome } from './corpusMetrics.js';
import {
  corpusFigures,
  groupFalseNegatives,
  libFigures,
  loopLine,
  outermostTranslatable,
  parseLoopsFile,
} from './corpusMetrics.js';

const REPO = resolve(import.meta.dirname, '..');
const CORPUS = join(REPO, 'corpus');

interface LibSpec {
  readonly dir: string;
  readonly name: string;
  readonly version: string;
  readonly integrity: string;
  readonly analyze: readonly string[];
}

function readLibs(only: readonly string[]): LibSpec[] {
  return readdirSync(CORPUS, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && existsSync(join(CORPUS, e.name, 'lib.json')))
    .map((e) => ({
      dir: e.name,
      ...(JSON.parse(readFileSync(join(CORPUS, e.name, 'lib.json'), 'utf8')) as Omit<LibSpec, 'dir'>),
    }))
    .filter((l) => only.length === 0 || only.includes(l.dir) || only.includes(l.name))
    .sort((a, b) => a.dir.localeCompare(b.dir));
}

const packageDir = (lib: LibSpec): string => join(CORPUS, '.cache', lib.dir, 'package');

/** Runs scripts/corpus-fetch.mjs for the libs whose extracted copy is missing or stale. */
function fetchIfNeeded(libs: readonly LibSpec[]): void {
  const stale = libs.filter((l) => {
    const stamp = join(CORPUS, '.cache', l.dir, '.hotloop-integrity');
    return (
      !existsSync(packageDir(l)) || !existsSync(stamp) || readFileSync(stamp, 'utf8').trim() !== l.integrity
    );
  });
  if (stale.length === 0) return;
  const r = spawnSync(
    process.execPath,
    [join(REPO, 'scripts', 'corpus-fetch.mjs'), ...stale.map((l) => l.dir)],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  if (r.status !== 0) throw new Error(`scripts/corpus-fetch.mjs failed (exit ${r.status ?? r.signal})`);
}

/** Analyses a lib like `hotloop analyze`; when that throws, file by file to name the files that crash. */
async function analyzeLib(lib: LibSpec, crashed: string[]): Promise<FileAnalysis[]> {
  const root = packageDir(lib);
  const paths = lib.analyze.map((p) => join(root, p));
  let files: FileAnalysis[];
  try {
    files = await analyzePath(paths, { rootDir: root });
  } catch (err) {
    crashed.push(`${lib.dir}: ${err instanceof Error ? err.message : String(err)}`);
    files = [];
    for (const file of await expandPaths(paths).catch(() => [])) {
      try {
        files.push(...(await analyzePath([file], { rootDir: root })));
      } catch (e) {
        crashed.push(
          `${lib.dir} ${file.slice(root.length + 1)}: ${e instanceof Error ? e.message : String(e)}`,
        );
      }
    }
  }
  for (const f of files) {
    for (const d of f.diagnostics)
      if (d.message.startsWith('internal analysis error')) crashed.push(`${lib.dir} ${f.file}: ${d.message}`);
  }
  return files;
}

/** Plans (writes nothing) each target until one accepts the loop's kernel. */
async function planLoop(l: LoopFacts, workspaceRoot: string): Promise<PlanOutcome> {
  if (!l.kernel) return { ok: false, reason: 'translatable, but the facts carry no kernel' };
  const reasons = new Map<string, string[]>();
  const fail = (target: string, reason: string): void => {
    reasons.set(reason, [...(reasons.get(reason) ?? []), target]);
  };
  for (const target of targetNames()) {
    try {
      const r = await planScaffold({
        kernel: l.kernel,
        target,
        workspaceRoot,
        outputDir: 'hotloop',
        workspaceTrusted: true,
        cuda: false,
        source: { file: l.file, line: loopLine(l), loopId: l.id },
      });
      if (r.ok) return { ok: true, target };
      fail(target, r.reason);
    } catch (err) {
      fail(target, `planScaffold threw ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return {
    ok: false,
    reason: [...reasons].map(([reason, targets]) => `${targets.join(', ')}: ${reason}`).join(' | '),
  };
}

async function runLib(lib: LibSpec, crashed: string[], workspaceRoot: string): Promise<LibFigures> {
  const loopsFile = join(CORPUS, lib.dir, 'LOOPS.json');
  const labels: readonly LoopLabel[] = existsSync(loopsFile)
    ? parseLoopsFile(JSON.parse(readFileSync(loopsFile, 'utf8')), loopsFile).loops
    : [];
  const t0 = performance.now();
  const files = await analyzeLib(lib, crashed);
  const seconds = (performance.now() - t0) / 1000;
  const plans = new Map<string, PlanOutcome>();
  for (const l of outermostTranslatable(files)) plans.set(l.id, await planLoop(l, workspaceRoot));
  return libFigures(lib.dir, labels, files, plans, seconds);
}

const pct = (x: number): string => `${(100 * x).toFixed(0)} %`;

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const lines = rows.map((r) =>
    r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '),
  );
  lines.splice(1, 0, widths.map((w) => '─'.repeat(w)).join('  '));
  return lines.join('\n');
}

function report(per: readonly LibFigures[]): string {
  const rows = [
    [
      'lib',
      'loops',
      'kernel',
      'trap',
      'oos',
      'inner',
      'recalled',
      'recall',
      'traps T',
      'transl.',
      'plans ok',
      'agree',
      'unlab.',
      's',
    ],
  ];
  for (const l of per) {
    rows.push([
      l.lib,
      `${l.loops}`,
      `${l.labels.kernel}`,
      `${l.labels.trap}`,
      `${l.labels['out-of-scope']}`,
      `${l.labels.inner}`,
      `${l.recalled}`,
      l.kernel_labels ? pct(l.recall) : '—',
      `${l.traps_translatable}`,
      `${l.translatable}`,
      `${l.planned_ok}`,
      l.translatable ? pct(l.agreement) : '—',
      `${l.unlabelled.length}`,
      l.seconds.toFixed(2),
    ]);
  }
  const out = [table(rows), ''];
  for (const l of per) {
    const extra = [
      ...l.false_negatives.map(
        (f) => `  missed   ${f.file}:${f.line} ${f.function} — ${f.code}${f.reason ? `: ${f.reason}` : ''}`,
      ),
      ...l.traps_translatable_list.map((t) => `  TRAP     ${t} is called translatable with no warning`),
      ...l.plan_failures.map((p) => `  no plan  ${p.loop} — ${p.reason}`),
      ...l.unlabelled.map((u) => `  unlabelled ${u}`),
      ...l.unmatched_labels.map((u) => `  label matches no loop the analysis reports: ${u}`),
    ];
    if (extra.length) out.push(`${l.lib}:`, ...extra, '');
  }
  const groups = groupFalseNegatives(per);
  out.push(
    `false negatives by reason (${groups.reduce((a, g) => a + g.count, 0)} kernel-labelled loops not called translatable):`,
  );
  for (const g of groups) {
    out.push(`  ${String(g.count).padStart(3)}  ${g.code}`);
    for (const r of g.reasons.slice(0, 12))
      out.push(`        ${String(r.count).padStart(3)}  ${r.reason || '(no reason)'}   e.g. ${r.loops[0]}`);
    if (g.reasons.length > 12) out.push(`             … ${g.reasons.length - 12} more distinct reasons`);
  }
  const planGroups = new Map<string, string[]>();
  for (const l of per) {
    for (const p of l.plan_failures) {
      const shape = [
        ...new Set(
          p.reason
            .replace(/[\w$]+_loop\d+/g, '<kernel>')
            .replace(/'[^']*'/g, "'…'")
            .replace(
              /body for [\w$]+((?: (?:if|else))* [\w$]+ =)?/g,
              (_m, assign?: string) => `body for <i>${assign ? ' <x> =' : ''}`,
            )
            .split('; '),
        ),
      ].join('; ');
      planGroups.set(shape, [...(planGroups.get(shape) ?? []), `${l.lib} ${p.loop}`]);
    }
  }
  if (planGroups.size) {
    out.push('', 'translatable loops whose scaffold does not plan, by reason:');
    for (const [shape, loops] of [...planGroups].sort((a, b) => b[1].length - a[1].length)) {
      out.push(`  ${String(loops.length).padStart(3)}  ${shape}   e.g. ${loops[0]}`);
    }
  }
  return out.join('\n');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const only = args.flatMap((a, k) => (args[k - 1] === '--lib' ? [a] : []));
  const libs = readLibs(only);
  if (libs.length === 0)
    throw new Error(`no corpus/<lib>/lib.json${only.length ? ` for ${only.join(', ')}` : ''}`);
  fetchIfNeeded(libs);
  const crashed: string[] = [];
  const workspaceRoot = mkdtempSync(join(tmpdir(), 'hotloop-corpus-'));
  const per: LibFigures[] = [];
  // Load the TypeScript compiler and its lib files once, so the first lib's seconds are its own.
  analyzeSource(
    join(workspaceRoot, 'warmup.ts'),
    'export function f(a: Float64Array): number { let s = 0; for (let i = 0; i < a.length; i++) s += a[i]; return s; }\n',
  );
  try {
    for (const lib of libs) per.push(await runLib(lib, crashed, workspaceRoot));
  } finally {
    rmSync(workspaceRoot, { recursive: true, force: true });
  }
  const figures = corpusFigures(per, crashed);
  const load = loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
  console.log(
    `real-code corpus: ${figures.libs} libs, ${figures.loops} loops, TypeScript ${tsVersion}, Node ${process.version}, load average ${load}\n`,
  );
  console.log(report(per));
  console.log(
    `\nrecall ${figures.recalled}/${figures.kernel_labels} = ${figures.recall.toFixed(3)}; traps called translatable ${figures.traps_translatable};` +
      ` agreement ${figures.agreement.toFixed(3)} of ${figures.translatable} translatable; crashed ${crashed.length ? crashed.join('; ') : 'none'};` +
      ` max ${figures.max_lib_seconds.toFixed(2)} s per lib; unlabelled ${figures.unlabelled}; labels matching no loop ${figures.unmatched_labels}`,
  );
  if (json)
    console.log(
      JSON.stringify({
        ...figures,
        date: new Date().toISOString(),
        load_average: loadavg().map((x) => Number(x.toFixed(2))),
        false_negative_reasons: groupFalseNegatives(per),
      }),
    );
}

main().catch((err: unknown) => {
  console.error(`bench:corpus: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
