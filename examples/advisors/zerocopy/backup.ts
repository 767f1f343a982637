// The zero-copy advisor's example, part 1: a backup that reads every file whole into a Buffer only to
// write it out again. `hotloop advise examples/advisors/zerocopy` suggests copyFile (the kernel
// copies; the bytes never cross into JS).
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Copies every file of `srcDir` into `dstDir` (which must exist); returns the names copied. */
export async function backupAll(srcDir: string, dstDir: string): Promise<string[]> {
  const names = (await readdir(srcDir)).sort();
  for (const name of names) {
    const data = await readFile(join(srcDir, name));
    await writeFile(join(dstDir, name), data);
  }
  return names;
}
