// Writing a planned scaffold without loss: every target folder is checked for writability before
// anything is written, user files (no marker) are only replaced when the caller confirms, and each
// file goes through a temporary file + rename, so a failure never leaves a half-written file.
import { access, constants, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { checkRealPath } from './names.js';
import type { PlannedFile, ScaffoldPlan } from './types.js';

export interface WriteOptions {
  /** Replace files of the user's (no Hotloop marker) that the plan marks as conflicts. */
  readonly overwriteConflicts?: boolean;
}

export type WriteResult =
  | { readonly ok: true; readonly written: readonly string[]; readonly skipped: readonly string[] }
  | { readonly ok: false; readonly reason: string; readonly conflicts?: readonly string[] };

/** The nearest existing ancestor of `path` (the folder `mkdir -p` would create into). */
async function nearestExisting(path: string): Promise<string> {
  for (let p = path; ; p = dirname(p)) {
    try {
      await stat(p);
      return p;
    } catch {
      if (dirname(p) === p) return p;
    }
  }
}

async function writable(files: readonly PlannedFile[]): Promise<string | undefined> {
  const dirs = new Set(files.map((f) => dirname(f.path)));
  for (const d of dirs) {
    const at = await nearestExisting(d);
    try {
      await access(at, constants.W_OK);
      const s = await stat(at);
      if (!s.isDirectory()) return `${at} is a file, not a folder`;
    } catch {
      return `${at} is not writable (read-only folder or no permission)`;
    }
  }
  for (const f of files) {
    if (f.action === 'create') continue;
    try {
      await access(f.path, constants.W_OK);
    } catch {
      return `${f.path} is read-only`;
    }
  }
  return undefined;
}

/** Writes the plan's files; refuses (writing nothing) on unconfirmed conflicts or unwritable folders. */
export async function writeScaffold(plan: ScaffoldPlan, opts: WriteOptions = {}): Promise<WriteResult> {
  const conflicts = plan.files.filter((f) => f.action === 'conflict');
  if (conflicts.length && !opts.overwriteConflicts) {
    return {
      ok: false,
      reason: `${conflicts.length} file(s) in ${plan.dir} exist without Hotloop's marker (your files); nothing was written. Confirm overwriting them (--force), or choose another folder.`,
      conflicts: conflicts.map((f) => f.relative),
    };
  }
  const todo = plan.files.filter((f) => f.action !== 'unchanged');
  for (const f of todo) {
    const root = resolve(f.path, ...f.relative.split('/').map(() => '..'));
    const escape = await checkRealPath(root, f.path);
    if (escape)
      return { ok: false, reason: `cannot scaffold into ${plan.dir}: ${escape}. Nothing was written.` };
  }
  const problem = await writable(todo);
  if (problem)
    return {
      ok: false,
      reason: `cannot scaffold into ${plan.dir}: ${problem}. Nothing was written; make it writable or set hotloop.scaffold.outputDir to another folder.`,
    };
  const written: string[] = [];
  for (const f of todo) {
    const tmp = `${f.path}.hotloop-tmp-${process.pid}`;
    try {
      await mkdir(dirname(f.path), { recursive: true });
      await writeFile(tmp, f.contents, 'utf8');
      await rename(tmp, f.path);
      written.push(f.relative);
    } catch (err) {
      await rm(tmp, { force: true }).catch(() => undefined);
      const why = err instanceof Error ? err.message : String(err);
      return {
        ok: false,
        reason: `writing ${f.relative} failed (${why}); ${written.length} file(s) were written before it, the others are untouched.`,
      };
    }
  }
  return {
    ok: true,
    written,
    skipped: plan.files.filter((f) => f.action === 'unchanged').map((f) => f.relative),
  };
}
