// TypeScript (and JS) targets run as an esbuild bundle with a linked source map in a temp dir, so
// profile lines map back to the original `.ts` lines. ESM when the package says so (or .mts/.mjs).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, join, parse } from 'node:path';
import type { Plugin } from 'esbuild';

export interface BundleRequest {
  readonly entry: string;
  readonly outDir: string;
  /** Optional source rewrite (the shapes pass): returns new text for a file, or undefined to keep it. */
  readonly transform?: (file: string, text: string) => string | undefined;
}

export interface Bundle {
  readonly file: string;
  readonly format: 'cjs' | 'esm';
}

/** Nearest package.json `type` decides the module format, like Node does. */
function moduleFormat(entry: string): 'cjs' | 'esm' {
  const ext = extname(entry);
  if (ext === '.mts' || ext === '.mjs') return 'esm';
  if (ext === '.cts' || ext === '.cjs') return 'cjs';
  let dir = dirname(entry);
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        return (JSON.parse(readFileSync(pkg, 'utf8')) as { type?: string }).type === 'module' ? 'esm' : 'cjs';
      } catch {
        return 'cjs';
      }
    }
    const up = dirname(dir);
    if (up === dir) return 'cjs';
    dir = up;
  }
}

function transformPlugin(transform: NonNullable<BundleRequest['transform']>): Plugin {
  return {
    name: 'hotloop-shapes',
    setup(build) {
      build.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, (args) => {
        if (/[\\/]node_modules[\\/]/.test(args.path)) return undefined;
        const text = readFileSync(args.path, 'utf8');
        const out = transform(args.path, text);
        if (out === undefined) return undefined;
        const ext = extname(args.path).slice(1);
        const loader = ext.startsWith('t') || ext.startsWith('mt') || ext.startsWith('ct') ? (ext.endsWith('x') ? 'tsx' : 'ts') : ext.endsWith('x') ? 'jsx' : 'js';
        return { contents: out, loader };
      });
    },
  };
}

/** Bundles `entry` into `outDir`; throws esbuild's message (with file:line) when the code does not build. */
export async function bundleEntry(req: BundleRequest): Promise<Bundle> {
  const esbuild = await import('esbuild');
  const format = moduleFormat(req.entry);
  const file = join(req.outDir, `${parse(req.entry).name}.${format === 'esm' ? 'mjs' : 'cjs'}`);
  try {
    await esbuild.build({
      entryPoints: [req.entry],
      outfile: file,
      bundle: true,
      platform: 'node',
      target: `node${process.versions.node.split('.')[0] ?? '20'}`,
      format,
      sourcemap: 'linked',
      sourcesContent: false,
      logLevel: 'silent',
      // Native addons and optional heavy deps are loaded at run time from the workspace.
      external: ['*.node'],
      // ESM bundles that contain CommonJS dependencies need a require().
      ...(format === 'esm' ? { banner: { js: "import { createRequire as __hlCreateRequire } from 'node:module'; const require = __hlCreateRequire(import.meta.url);" } } : {}),
      plugins: req.transform ? [transformPlugin(req.transform)] : [],
    });
  } catch (err) {
    const errors = (err as { errors?: { text: string; location?: { file: string; line: number } | null }[] }).errors;
    const first = errors?.[0];
    const where = first?.location ? ` (${first.location.file}:${first.location.line})` : '';
    throw new Error(`Could not bundle ${req.entry} for profiling: ${first?.text ?? (err instanceof Error ? err.message : String(err))}${where}. Fix the build error or profile the project's own build (a "script" target).`, { cause: err });
  }
  return { file, format };
}
