// The file names that appear in ids and facts.
import { relative, resolve, sep } from 'node:path';

/** `file` relative to `rootDir` (with `/`), or as given when there is no root. */
export function displayName(abs: string, given: string, rootDir: string | undefined): string {
  const name = rootDir ? relative(resolve(rootDir), abs) : given;
  return name.split(sep).join('/');
}
