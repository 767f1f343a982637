// One toolchain install per workspace: the scaffold folders' build tools (asc, tsc, node-gyp, piscina…)
// are declared once in `<outputDir>/package.json` and installed once into `<outputDir>/node_modules`,
// which every folder below resolves from (Node's and npm's lookup walks up), instead of one
// node_modules of 43–128 MB per folder. Never the workspace's own package.json (outputDir '.'),
// never a package.json of the user's there (no marker): then each folder keeps its own dependencies.
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { hasMarker, withMarker } from './marker.js';
import type { PlannedFile } from './types.js';

interface ToolchainJson {
  readonly hotloop?: { readonly toolchain?: boolean };
  readonly dependencies?: Record<string, string>;
}

/**
 * The planned `<outputDir>/package.json` holding `deps` merged with what is declared there already,
 * or undefined when the folders must keep their own dependencies.
 */
export async function planToolchain(
  root: string,
  folderDir: string,
  deps: Readonly<Record<string, string>>,
): Promise<PlannedFile | undefined> {
  const base = dirname(folderDir);
  if (resolve(base) === resolve(root)) return undefined;
  const path = join(base, 'package.json');
  let existing: ToolchainJson = {};
  let text: string | undefined;
  try {
    text = await readFile(path, 'utf8');
    existing = JSON.parse(text) as ToolchainJson;
  } catch (err) {
    if (text !== undefined || (err as NodeJS.ErrnoException).code !== 'ENOENT') return undefined;
  }
  if (text !== undefined && (!hasMarker(text) || existing.hotloop?.toolchain !== true)) return undefined;
  const merged = { ...deps, ...existing.dependencies };
  const contents = withMarker(
    'package.json',
    JSON.stringify(
      {
        name: 'hotloop-toolchain',
        private: true,
        description:
          'Build tools shared by the Hotloop scaffold folders here: `npm install` once in this folder.',
        hotloop: { toolchain: true },
        dependencies: merged,
      },
      null,
      2,
    ) + '\n',
    'toolchain of the scaffolds',
  );
  return {
    path,
    relative: relative(root, path).split(sep).join('/'),
    contents,
    role: 'build',
    action: text === undefined ? 'create' : text === contents ? 'unchanged' : 'update',
  };
}
