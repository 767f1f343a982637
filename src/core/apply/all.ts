// `hotloop apply --all`: which scaffold folders may be applied. A folder qualifies only when it is
// built, its own check passes now (run with HOTLOOP_STRICT=1, so a fallback to the original fails
// it), and the newest saved benchmark of its kernel says its target is significantly faster than the
// original. Anything else — never benchmarked, no difference, slower — is skipped with the reason.
// Several folders of one loop (wasm, native, js…) that all win: only the one measured fastest is
// applied (each apply replaces the same function, so a second one would undo the first's choice).
import { readFile, readdir, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadHistory } from '../bench/store.js';
import { detectScaffold } from '../scaffold/build/index.js';
import { runStep } from '../scaffold/build/runStep.js';
import type { TargetName } from '../scaffold/types.js';

export interface Candidate {
  readonly dir: string;
  readonly target: TargetName;
  readonly kernel: string;
  /** Source file relative to the root, and the loop id, from the folder's package.json. */
  readonly file: string;
  readonly loopId: string;
}

export type Selection =
  | { readonly apply: true; readonly candidate: Candidate; readonly why: string; readonly ratio: number }
  | { readonly apply: false; readonly dir: string; readonly why: string };

interface Manifest {
  hotloop?: { target?: TargetName; kernel?: string; source?: { file?: string; loopId?: string } };
}

async function manifest(dir: string): Promise<Candidate | string> {
  let pkg: Manifest;
  try {
    pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as Manifest;
  } catch {
    return 'no readable package.json';
  }
  const h = pkg.hotloop;
  if (!h?.target || !h.kernel || !h.source?.file || !h.source.loopId)
    return 'its package.json does not say which loop it rewrites (scaffolded by an older Hotloop: scaffold it again)';
  return { dir, target: h.target, kernel: h.kernel, file: h.source.file, loopId: h.source.loopId };
}

/** The folder's own check, strict: exit 0 and no fallback. */
async function checkPasses(dir: string, signal?: AbortSignal): Promise<string | undefined> {
  if (!existsSync(join(dir, 'dist', 'check.js')))
    return 'not built (no dist/check.js): run hotloop build first';
  const out = await runStep({
    cmd: process.execPath,
    args: ['dist/check.js'],
    cwd: dir,
    env: { ...process.env, HOTLOOP_STRICT: '1' },
    deadline: performance.now() + 120_000,
    ...(signal ? { signal } : {}),
  });
  return out.code === 0 ? undefined : `its check fails under HOTLOOP_STRICT=1 (exit ${String(out.code)})`;
}

/** When the folder was last built: the newest file under its dist/ (ms since the epoch), or undefined. */
async function builtAt(dir: string): Promise<number | undefined> {
  try {
    const names = await readdir(join(dir, 'dist'));
    const times = await Promise.all(names.map(async (n) => (await stat(join(dir, 'dist', n))).mtimeMs));
    return times.length ? Math.max(...times) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether the newest benchmark of `kernel` shows `target` significantly faster than the original:
 * verdict 'faster' with the whole 95 % CI above 1, measured after the folder's last build (a
 * benchmark of an older build says nothing about this one). Anything else is a reason to skip.
 */
export async function benchWins(
  root: string,
  dir: string,
  kernel: string,
  target: TargetName,
): Promise<string | true> {
  const v = await winningVerdict(root, dir, kernel, target);
  return typeof v === 'string' ? v : true;
}

/** benchWins with the winning verdict's speedup (original ÷ target), to choose between targets of one loop. */
export async function winningVerdict(
  root: string,
  dir: string,
  kernel: string,
  target: TargetName,
): Promise<string | { readonly ratio: number; readonly text: string }> {
  const last = (await loadHistory(root, kernel, 5)).at(-1);
  if (!last)
    return `never benchmarked (run hotloop optimize or hotloop bench first): not applied without a measurement`;
  const v = last.verdicts.find((x) => x.variant === target);
  if (!v)
    return `the last benchmark (${last.id}) has no ${target} variant: not applied without a measurement`;
  const built = await builtAt(dir);
  if (built !== undefined && Date.parse(last.createdAt) < built)
    return `the last benchmark (${last.id}, ${last.createdAt}) is older than the folder's build: benchmark it again`;
  if (v.verdict !== 'faster' || !(v.ci.low > 1))
    return `the last benchmark says: ${v.text} — not applied (only a significant win is)`;
  return { ratio: v.ratio, text: v.text };
}

/**
 * One winner per loop: of the winning folders that rewrite the same loop of the same file, the one
 * with the highest measured speedup is applied; the others are skipped, naming the one chosen.
 */
export function bestPerLoop(picks: readonly Selection[]): Selection[] {
  const best = new Map<string, Selection & { apply: true }>();
  const key = (c: Candidate): string => `${c.file}\0${c.loopId}`;
  for (const p of picks) {
    if (!p.apply) continue;
    const k = key(p.candidate);
    const b = best.get(k);
    if (!b || p.ratio > b.ratio) best.set(k, p);
  }
  return picks.map((p) => {
    if (!p.apply) return p;
    const b = best.get(key(p.candidate))!;
    if (b === p) return p;
    return {
      apply: false,
      dir: p.candidate.dir,
      why: `${p.candidate.target} wins (${p.ratio.toFixed(2)}×) but ${b.candidate.target} measured faster on the same loop (${b.ratio.toFixed(2)}×): only that one is applied`,
    };
  });
}

/** Every scaffold folder under `<root>/<outputDir>`, each with whether `--all` applies it and why. */
export async function selectForAll(
  root: string,
  outputDir: string,
  signal?: AbortSignal,
): Promise<Selection[]> {
  const base = join(root, outputDir);
  let names: string[];
  try {
    names = (await readdir(base, { withFileTypes: true }))
      .filter((d) => d.isDirectory() && d.name !== 'node_modules')
      .map((d) => d.name)
      .sort();
  } catch {
    return [];
  }
  const out: Selection[] = [];
  for (const name of names) {
    const dir = join(base, name);
    if (!detectScaffold(dir).ok) continue;
    const c = await manifest(dir);
    if (typeof c === 'string') {
      out.push({ apply: false, dir, why: c });
      continue;
    }
    const bad = await checkPasses(dir, signal);
    if (bad) {
      out.push({ apply: false, dir, why: bad });
      continue;
    }
    const wins = await winningVerdict(root, dir, c.kernel, c.target);
    if (typeof wins === 'string') {
      out.push({ apply: false, dir, why: wins });
      continue;
    }
    out.push({
      apply: true,
      candidate: c,
      ratio: wins.ratio,
      why: `check passes and the last benchmark shows it faster: ${wins.text}`,
    });
  }
  return bestPerLoop(out);
}
