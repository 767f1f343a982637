// Names and paths of a scaffold: everything the user or a kernel supplies is checked here, so a
// name like `../../etc` can never place a file outside the workspace's output folder.
import { statSync } from 'node:fs';
import { lstat, realpath } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const FOLDER = /^[A-Za-z0-9_$][A-Za-z0-9_$.-]*$/;

/** A reason the kernel name cannot be used, or undefined when it is a plain identifier. */
export function checkKernelName(name: string): string | undefined {
  if (name.length > 100)
    return `kernel name is ${name.length} characters long; use at most 100 (it names files and a folder, and file systems refuse names over 255 bytes)`;
  if (!IDENT.test(name))
    return `kernel name '${name}' is not a plain identifier (letters, digits, _ and $): it is used as a function and folder name`;
  return undefined;
}

/** A reason the folder name cannot be used (separators, `..`, hidden names), or undefined. */
export function checkFolderName(name: string): string | undefined {
  if (name.length > 200) return `folder name is ${name.length} characters long; use at most 200`;
  if (!FOLDER.test(name) || name.includes('..')) {
    return `folder name '${name}' must be a single plain name (letters, digits, '_', '-', '.'; no '/', '\\' or '..')`;
  }
  return undefined;
}

/**
 * The absolute output folder for `outputDir` (relative to `root`) and `folder`, or a reason it is
 * refused: absolute paths and `..` that would leave the workspace are rejected.
 */
export function resolveOutputDir(
  root: string,
  outputDir: string,
  folder: string,
): { ok: true; dir: string } | { ok: false; reason: string } {
  const bad = checkFolderName(folder);
  if (bad) return { ok: false, reason: bad };
  if (isAbsolute(outputDir))
    return {
      ok: false,
      reason: `hotloop.scaffold.outputDir '${outputDir}' must be relative to the workspace folder`,
    };
  const base = resolve(root, outputDir);
  const rel = relative(resolve(root), base);
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
    return {
      ok: false,
      reason: `hotloop.scaffold.outputDir '${outputDir}' leaves the workspace folder; use a folder inside it (default 'hotloop')`,
    };
  }
  const dir = resolve(base, folder);
  // An existing file where a folder must be (outputDir 'README.md') is a refusal, not ENOTDIR later.
  for (let p = dir; p.length > resolve(root).length; p = dirname(p)) {
    try {
      if (!statSync(p).isDirectory())
        return {
          ok: false,
          reason: `${relative(resolve(root), p) || p} is a file, not a folder; set hotloop.scaffold.outputDir to a folder`,
        };
    } catch {
      /* not there yet: created when written */
    }
  }
  return { ok: true, dir };
}

/** A reason a generated file's relative path is unsafe (absolute, `..`, backslashes), or undefined. */
export function checkFilePath(path: string): string | undefined {
  if (
    isAbsolute(path) ||
    path.includes('\\') ||
    path.split('/').some((s) => s === '..' || s === '' || s === '.')
  ) {
    return `generated file path '${path}' must be relative, with '/' separators and no '.'/'..' segments`;
  }
  return undefined;
}

const leaves = (rel: string): boolean => rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel);

/**
 * A reason writing `path` would leave `root` through a symbolic link, or undefined: the file must
 * not itself be a link, and its nearest existing folder must resolve (realpath) inside the real
 * workspace root. Names are checked by resolveOutputDir; this catches `hotloop -> /outside` links.
 */
export async function checkRealPath(root: string, path: string): Promise<string | undefined> {
  const realRoot = await realpath(root).catch(() => resolve(root));
  try {
    if ((await lstat(path)).isSymbolicLink())
      return `${path} is a symbolic link; Hotloop does not write through links (remove it or choose another folder)`;
  } catch {
    /* does not exist yet */
  }
  for (let q = dirname(path); ; q = dirname(q)) {
    let real: string;
    try {
      real = await realpath(q);
    } catch {
      if (dirname(q) === q) return undefined;
      continue;
    }
    return leaves(relative(realRoot, real))
      ? `${q} resolves to ${real}, outside the workspace ${realRoot} (a symbolic link); choose a folder inside the workspace`
      : undefined;
  }
}
