// Results stored schema-versioned under `<root>/.hotloop/profiles/`, reloaded with the workspace;
// a profile is stale for a file whose text hash changed since it was taken.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { ProfileResult, SourceFileStamp } from './types.js';

export { PROFILES_DIR } from '../paths.js';
import { PROFILES_DIR } from '../paths.js';

export function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Stamps (hashes) of files, given relative to root (or absolute). Unreadable files are skipped. */
export function stampFiles(root: string, files: readonly string[]): SourceFileStamp[] {
  const out: SourceFileStamp[] = [];
  for (const file of new Set(files)) {
    const abs = isAbsolute(file) ? file : join(root, file);
    try {
      out.push({ file, sha256: sha256(readFileSync(abs)) });
    } catch {
      /* gone or unreadable */
    }
  }
  return out;
}

/** Files of a profile whose text changed (or vanished) since the profile was taken. */
export function staleFiles(root: string, result: ProfileResult): string[] {
  return result.sources
    .filter((s) => {
      const abs = isAbsolute(s.file) ? s.file : join(root, s.file);
      if (!existsSync(abs)) return true;
      return sha256(readFileSync(abs)) !== s.sha256;
    })
    .map((s) => s.file);
}

/** Writes a result as `<root>/.hotloop/profiles/<id>.json`; returns the path. */
export function saveProfile(root: string, result: ProfileResult): string {
  const dir = join(root, PROFILES_DIR);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${result.id}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 1)}\n`);
  return file;
}

function isProfileResult(v: unknown): v is ProfileResult {
  const r = v as Partial<ProfileResult> | null;
  return (
    typeof r === 'object' &&
    r !== null &&
    r.schema === 1 &&
    typeof r.id === 'string' &&
    Array.isArray(r.loops) &&
    typeof r.createdAt === 'string'
  );
}

/** Every stored result (newest first); files of another schema version are skipped. */
export function loadProfiles(root: string): ProfileResult[] {
  const dir = join(root, PROFILES_DIR);
  if (!existsSync(dir)) return [];
  const out: ProfileResult[] = [];
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.json')) continue;
    try {
      const data: unknown = JSON.parse(readFileSync(join(dir, name), 'utf8'));
      if (isProfileResult(data)) out.push(data);
    } catch {
      /* a broken file: skip */
    }
  }
  return out.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** The newest stored result, if any. */
export function loadLatestProfile(root: string): ProfileResult | undefined {
  return loadProfiles(root)[0];
}
