// The kernel library loader: prebuilt addon → local build → wasm build → TypeScript reference.
// `getKernels()` returns the first backend that loads; `kernels.tried` lists every path tried with
// its error, and `describeLoad()` turns that into a message saying what to do.
//
// Environment: HOTLOOP_BACKEND=native|wasm|ts forces a backend; HOTLOOP_NATIVE_PATH loads that
// .node file only (the sanitizer build); HOTLOOP_REQUIRE_NATIVE=1 throws instead of falling back;
// HOTLOOP_SIMD=<level> picks the addon's SIMD level at load.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { referenceKernels } from './tsBackend.js';
import type { Backend, KernelInfo, Kernels, LoadAttempt } from './types.js';
import { createWasmKernels } from './wasm.js';

export type * from './types.js';
export { ROUTINES } from './types.js';

export interface LoadOptions {
  /** Only this backend (default: the first that loads, in the order above). */
  backend?: Backend;
  /** Load the addon from this file only. */
  nativePath?: string;
  /** Throw instead of falling back when the addon does not load. */
  requireNative?: boolean;
  /** Package root (default: found by walking up from this file to Hotloop's package.json). */
  root?: string;
  /** Environment to read the HOTLOOP_* variables from (default: process.env). */
  env?: Record<string, string | undefined>;
}

/** The Hotloop package root: the nearest folder above `from` with a package.json named "hotloop". */
export function packageRoot(from: string = here()): string {
  for (let d = resolve(from); ; d = dirname(d)) {
    const pj = join(d, 'package.json');
    if (existsSync(pj)) {
      try {
        if ((JSON.parse(readFileSync(pj, 'utf8')) as { name?: string }).name === 'hotloop') return d;
      } catch {
        // unreadable package.json: keep walking up
      }
    }
    if (dirname(d) === d) return process.cwd();
  }
}

function here(): string {
  // CommonJS (tsx, the esbuild bundles in dist/) defines __dirname; fall back to the cwd elsewhere.
  return typeof __dirname === 'string' ? __dirname : process.cwd();
}

interface Addon extends Omit<Kernels, 'backend' | 'tried' | 'info'> {
  info(): Omit<KernelInfo, 'backend'>;
}

function tryAddon(path: string, what: string, tried: LoadAttempt[], req: NodeJS.Require): Addon | undefined {
  if (!existsSync(path)) {
    tried.push({ backend: 'native', what, path, ok: false, error: 'not found' });
    return undefined;
  }
  try {
    const mod = req(path) as Partial<Addon>;
    if (typeof mod.sum !== 'function' || typeof mod.info !== 'function')
      throw new Error('not a Hotloop kernel addon');
    tried.push({ backend: 'native', what, path, ok: true });
    return mod as Addon;
  } catch (e) {
    tried.push({
      backend: 'native',
      what,
      path,
      ok: false,
      error: e instanceof Error ? e.message : String(e),
    });
    return undefined;
  }
}

/** Addon candidates, in order: an explicit path, else the prebuild for this platform, then the local build. */
function nativeCandidates(root: string, nativePath: string | undefined): [string, string][] {
  if (nativePath) return [[resolve(nativePath), 'HOTLOOP_NATIVE_PATH / nativePath']];
  const out: [string, string][] = [];
  const pre = join(root, 'native', 'prebuilds', `${process.platform}-${process.arch}`);
  const files = existsSync(pre)
    ? readdirSync(pre)
        .filter((f) => f.endsWith('.node'))
        .sort()
    : [];
  if (files.length === 0)
    out.push([pre, `prebuilt addon for ${process.platform}-${process.arch} (npm run native:prebuild)`]);
  for (const f of files) out.push([join(pre, f), 'prebuilt addon (prebuildify)']);
  out.push([
    join(root, 'native', 'build', 'Release', 'hotloop_kernels.node'),
    'local build (npm run build:native)',
  ]);
  return out;
}

function nativeKernels(addon: Addon, path: string, tried: LoadAttempt[]): Kernels {
  const k = Object.assign(Object.create(null) as object, addon, {
    backend: 'native' as const,
    tried,
    info: (): KernelInfo => ({ ...addon.info(), backend: 'native', path }),
  });
  return k;
}

/** Loads a fresh kernels object (see LoadOptions); never throws unless native is required. */
export function loadKernels(options: LoadOptions = {}): Kernels {
  const env = options.env ?? process.env;
  const root = options.root ?? packageRoot();
  const backend = options.backend ?? (env.HOTLOOP_BACKEND as Backend | undefined);
  const requireNative = options.requireNative ?? env.HOTLOOP_REQUIRE_NATIVE === '1';
  const tried: LoadAttempt[] = [];
  if (!backend || backend === 'native') {
    const req = createRequire(join(root, 'package.json'));
    for (const [path, what] of nativeCandidates(root, options.nativePath ?? env.HOTLOOP_NATIVE_PATH)) {
      const addon = tryAddon(path, what, tried, req);
      if (addon) return nativeKernels(addon, path, tried);
    }
    if (requireNative || backend === 'native') throw new Error(describeLoad(tried));
  }
  if (!backend || backend === 'wasm') {
    const path = join(root, 'native', 'build', 'wasm', 'kernels.wasm');
    try {
      if (!existsSync(path)) throw new Error('not found (npm run build:wasm)');
      const k = createWasmKernels(readFileSync(path), tried, path);
      tried.push({ backend: 'wasm', what: 'wasm build of the kernels', path, ok: true });
      return k;
    } catch (e) {
      tried.push({
        backend: 'wasm',
        what: 'wasm build of the kernels',
        path,
        ok: false,
        error: e instanceof Error ? e.message : String(e),
      });
      if (backend === 'wasm') throw new Error(describeLoad(tried), { cause: e });
    }
  }
  tried.push({ backend: 'ts', what: 'TypeScript reference implementations', ok: true });
  return referenceKernels(tried);
}

/** Every path tried, its error, and what to do: for logs and error messages. */
export function describeLoad(tried: readonly LoadAttempt[]): string {
  const lines = tried.map(
    (t) =>
      `  ${t.ok ? '✓' : '✗'} ${t.backend}: ${t.what}${t.path ? ` (${t.path})` : ''}${t.error ? ` — ${t.error}` : ''}`,
  );
  const loaded = tried.find((t) => t.ok);
  const head = loaded
    ? `Hotloop kernels: using the ${loaded.backend} backend.`
    : 'Hotloop kernels: no backend loaded.';
  const fix =
    loaded?.backend === 'native'
      ? ''
      : '\nTo get the native backend: run `npm run build:native` (needs g++/make and Python 3; node-gyp uses the local Node headers), or install a prebuilt package for this platform (npm run native:prebuild).';
  return `${head}\nTried:\n${lines.join('\n')}${fix}`;
}

let cached: Kernels | undefined;

/** The process-wide kernels object (loaded on first use). */
export function getKernels(): Kernels {
  cached ??= loadKernels();
  return cached;
}
