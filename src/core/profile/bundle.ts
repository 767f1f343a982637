// TypeScript (and JS) targets run as an esbuild bundle with a linked source map, so profile lines map
// back to the original `.ts` lines. ESM when the package says so (or .mts/.mjs).
// esbuild: our own (a dev install), else the workspace's node_modules; with neither (the extension
// installed from the VSIX ships no node_modules) the files are transpiled one by one with the
// TypeScript compiler the engine holds (transpile.ts). Plain bundles are cached by the content hash
// of their inputs, so profiling the same program again does not bundle it again.
import { createHash, randomUUID } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, extname, join, parse, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as EsbuildApi from 'esbuild';
import type { Plugin } from 'esbuild';
import { transpileEntry } from './transpile.js';

type Esbuild = typeof EsbuildApi;

export interface BundleRequest {
  readonly entry: string;
  readonly outDir: string;
  /** Optional source rewrite (the shapes pass): returns new text for a file, or undefined to keep it. */
  readonly transform?: (file: string, text: string) => string | undefined;
  /** Workspace root: where a workspace esbuild is looked for and the transpiled mirror goes (default: the entry's folder). */
  readonly root?: string;
  /** 'auto' (default): esbuild if one loads, else TypeScript; 'typescript' forces the fallback. */
  readonly bundler?: 'auto' | 'typescript';
  /** Reuse a bundle whose inputs are unchanged (default true; never for a transform). */
  readonly cache?: boolean;
}

export interface Bundle {
  readonly file: string;
  readonly format: 'cjs' | 'esm';
  /** What made it. */
  readonly via: 'esbuild' | 'workspace esbuild' | 'typescript';
  /** Reused from the cache. */
  readonly cached?: boolean;
  /** A directory made for this run that the caller removes once the profile is attributed. */
  readonly cleanupDir?: string;
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
        const loader =
          ext.startsWith('t') || ext.startsWith('mt') || ext.startsWith('ct')
            ? ext.endsWith('x')
              ? 'tsx'
              : 'ts'
            : ext.endsWith('x')
              ? 'jsx'
              : 'js';
        return { contents: out, loader };
      });
    },
  };
}

let ownEsbuild: Promise<Esbuild | undefined> | undefined;

/** esbuild: ours when it loads, else the workspace's; undefined when neither does. */
export async function loadEsbuild(
  root: string,
): Promise<{ esbuild: Esbuild; via: Bundle['via'] } | undefined> {
  ownEsbuild ??= import('esbuild').then(
    (m): Esbuild => (m as { default?: Esbuild }).default ?? m,
    () => undefined,
  );
  const own = await ownEsbuild;
  if (own) return { esbuild: own, via: 'esbuild' };
  try {
    const path = createRequire(join(root, 'package.json')).resolve('esbuild');
    const m = (await import(pathToFileURL(path).href)) as Esbuild & { default?: Esbuild };
    return { esbuild: m.default ?? m, via: 'workspace esbuild' };
  } catch {
    return undefined;
  }
}

// Per user and private: a bundle from the cache is run, so nobody else may be able to write there.
const uid = process.getuid?.();
const CACHE_DIR = join(tmpdir(), `hotloop-bundles${uid === undefined ? '' : `-${uid}`}`);

function cacheDirUsable(): boolean {
  try {
    mkdirSync(CACHE_DIR, { recursive: true, mode: 0o700 });
    const st = statSync(CACHE_DIR);
    return uid === undefined || (st.uid === uid && (st.mode & 0o022) === 0);
  } catch {
    return false;
  }
}

interface Manifest {
  readonly file: string;
  readonly inputs: Record<string, string>;
}

const hashFile = (p: string): string | undefined => {
  try {
    return createHash('sha1').update(readFileSync(p)).digest('hex');
  } catch {
    return undefined;
  }
};

function cachedBundle(manifestPath: string): string | undefined {
  try {
    const m = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
    if (!existsSync(m.file) || !existsSync(`${m.file}.map`)) return undefined;
    for (const [p, h] of Object.entries(m.inputs)) if (hashFile(p) !== h) return undefined;
    return m.file;
  } catch {
    return undefined;
  }
}

/** Old bundles of this entry (over 10 minutes, so no run still reads them) go. */
function pruneCache(key: string, keep: string): void {
  const limit = Date.now() - 10 * 60_000;
  for (const name of readdirSync(CACHE_DIR)) {
    const p = join(CACHE_DIR, name);
    if (!name.startsWith(`${key}-`) || p === keep) continue;
    try {
      if (statSync(p).mtimeMs < limit) rmSync(p, { recursive: true, force: true });
    } catch {
      /* another run pruned it */
    }
  }
}

/** Bundles `entry` into `outDir`; throws esbuild's message (with file:line) when the code does not build. */
export async function bundleEntry(req: BundleRequest): Promise<Bundle> {
  const format = moduleFormat(req.entry);
  const root = req.root ?? dirname(req.entry);
  const loaded = req.bundler === 'typescript' ? undefined : await loadEsbuild(root);
  if (!loaded) {
    const t = transpileEntry({
      entry: req.entry,
      root,
      format,
      ...(req.transform ? { transform: req.transform } : {}),
    });
    return { file: t.file, format, via: 'typescript', cleanupDir: t.dir };
  }
  const { esbuild, via } = loaded;
  const useCache = (req.cache ?? true) && !req.transform && cacheDirUsable();
  const key = createHash('sha1')
    .update(JSON.stringify([resolve(req.entry), format, process.versions.node, esbuild.version]))
    .digest('hex')
    .slice(0, 16);
  const manifestPath = join(CACHE_DIR, `${key}.json`);
  if (useCache) {
    const hit = cachedBundle(manifestPath);
    if (hit) return { file: hit, format, via, cached: true };
  }
  const outDir = useCache ? join(CACHE_DIR, `${key}-${randomUUID().slice(0, 8)}`) : req.outDir;
  const file = join(outDir, `${parse(req.entry).name}.${format === 'esm' ? 'mjs' : 'cjs'}`);
  let metafile: { inputs: Record<string, unknown> } | undefined;
  try {
    const result = await esbuild.build({
      entryPoints: [req.entry],
      outfile: file,
      bundle: true,
      platform: 'node',
      target: `node${process.versions.node.split('.')[0] ?? '20'}`,
      format,
      sourcemap: 'linked',
      sourcesContent: false,
      logLevel: 'silent',
      metafile: useCache,
      // Native addons and optional heavy deps are loaded at run time from the workspace.
      external: ['*.node'],
      // ESM bundles that contain CommonJS dependencies need a require().
      ...(format === 'esm'
        ? {
            banner: {
              js: "import { createRequire as __hlCreateRequire } from 'node:module'; const require = __hlCreateRequire(import.meta.url);",
            },
          }
        : {}),
      plugins: req.transform ? [transformPlugin(req.transform)] : [],
    });
    metafile = result.metafile;
  } catch (err) {
    const errors = (err as { errors?: { text: string; location?: { file: string; line: number } | null }[] })
      .errors;
    const first = errors?.[0];
    const where = first?.location ? ` (${first.location.file}:${first.location.line})` : '';
    throw new Error(
      `Could not bundle ${req.entry} for profiling: ${first?.text ?? (err instanceof Error ? err.message : String(err))}${where}. Fix the build error or profile the project's own build (a "script" target).`,
      { cause: err },
    );
  }
  if (useCache && metafile) {
    const inputs: Record<string, string> = {};
    for (const p of Object.keys(metafile.inputs)) {
      const abs = resolve(process.cwd(), p.replace(/^[a-z-]+:/, ''));
      const h = hashFile(abs);
      if (h) inputs[abs] = h;
    }
    try {
      const tmp = `${manifestPath}.${randomUUID().slice(0, 8)}`;
      writeFileSync(tmp, JSON.stringify({ file, inputs } satisfies Manifest));
      renameSync(tmp, manifestPath);
      pruneCache(key, outDir);
    } catch {
      /* no cache this time */
    }
  }
  return { file, format, via };
}
