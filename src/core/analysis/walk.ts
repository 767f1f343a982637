// Walking folders for analysable files: skips node_modules, build output, hidden folders,
// `.gitignore`d paths, Hotloop's own scaffold folders and the caller's exclude globs.
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import { hasMarker } from '../scaffold/marker.js';
import { isAnalysableFile } from './ts.js';

const skippedDirs = new Set(['node_modules', 'dist', 'out', 'build', 'coverage']);

/** True when `d` is a folder Hotloop scaffolded (its `original.ts` carries the marker): not workspace code. */
async function isScaffoldFolder(d: string): Promise<boolean> {
  try {
    return hasMarker((await readFile(join(d, 'original.ts'), 'utf8')).slice(0, 2000));
  } catch {
    return false;
  }
}

/** A glob (`**`, `*`, `?`) as a regular expression over `/`-separated relative paths. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let k = 0; k < glob.length; k++) {
    const ch = glob[k]!;
    if (ch === '*' && glob[k + 1] === '*') {
      k++;
      if (glob[k + 1] === '/') {
        k++;
        re += '(?:.*/)?';
      } else re += '.*';
    } else if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else re += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

interface IgnoreRule {
  readonly re: RegExp;
  readonly negate: boolean;
  readonly dirOnly: boolean;
}

/** Parses a .gitignore (the common subset: globs, `/`-anchored, `dir/`, `!negation`). */
export function parseGitignore(text: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const negate = line.startsWith('!');
    if (negate) line = line.slice(1);
    const dirOnly = line.endsWith('/');
    if (dirOnly) line = line.slice(0, -1);
    const anchored = line.startsWith('/') || line.slice(0, -1).includes('/');
    if (line.startsWith('/')) line = line.slice(1);
    rules.push({ re: globToRegExp(anchored ? line : `**/${line}`), negate, dirOnly });
  }
  return rules;
}

function ignored(rules: readonly IgnoreRule[], rel: string, isDir: boolean): boolean {
  let out = false;
  for (const r of rules) if ((!r.dirOnly || isDir) && r.re.test(rel)) out = !r.negate;
  return out;
}

export interface WalkOptions {
  readonly exclude?: readonly string[];
  readonly signal?: AbortSignal;
}

/** Every analysable file under `dir` (sorted), honouring `.gitignore` files on the way down. */
export async function walkFolder(dir: string, options: WalkOptions = {}): Promise<string[]> {
  const excludes = (options.exclude ?? []).map(globToRegExp);
  const out: string[] = [];
  const visit = async (d: string, rules: readonly { base: string; rules: IgnoreRule[] }[]): Promise<void> => {
    options.signal?.throwIfAborted();
    if (d !== dir && (await isScaffoldFolder(d))) return;
    let local = rules;
    try {
      const gi = await readFile(join(d, '.gitignore'), 'utf8');
      local = [...rules, { base: d, rules: parseGitignore(gi) }];
    } catch {
      /* no .gitignore here */
    }
    const entries = (await readdir(d, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      const full = join(d, e.name);
      const isDir = e.isDirectory();
      if (isDir && (skippedDirs.has(e.name) || e.name.startsWith('.'))) continue;
      const rel = relative(dir, full).split(sep).join('/');
      if (excludes.some((re) => re.test(rel) || re.test(`${rel}/`) || (isDir && re.test(`${rel}/x`))))
        continue;
      if (local.some((g) => ignored(g.rules, relative(g.base, full).split(sep).join('/'), isDir))) continue;
      if (isDir) await visit(full, local);
      else if (e.isFile() && isAnalysableFile(e.name)) out.push(full);
    }
  };
  await visit(dir, []);
  return out;
}

/** Expands files and folders into analysable files; throws a clear error for a missing path. */
export async function expandPaths(paths: readonly string[], options: WalkOptions = {}): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    let st;
    try {
      st = await stat(p);
    } catch {
      throw new Error(`cannot read ${p}: no such file or folder`);
    }
    if (st.isDirectory()) out.push(...(await walkFolder(p, options)));
    else if (isAnalysableFile(basename(p))) out.push(p);
    else
      throw new Error(
        `${p} is not a TypeScript or JavaScript file (.ts, .tsx, .mts, .cts, .js, .jsx, .mjs, .cjs)`,
      );
  }
  return [...new Set(out)];
}
