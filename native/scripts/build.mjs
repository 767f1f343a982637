#!/usr/bin/env node
// Builds the kernel library: the addon with node-gyp against the LOCAL Node headers (never a
// download) and the wasm fallback with AssemblyScript. Run by `npm ci` (the `install` script).
//   node native/scripts/build.mjs            addon + wasm
//   node native/scripts/build.mjs native     addon only   (--debug, --build-dir=DIR, --cxxflags=...)
//   node native/scripts/build.mjs wasm       wasm only
// HOTLOOP_SKIP_NATIVE=1 skips the addon (the loader then falls back to wasm, then TypeScript).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const nativeDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const root = resolve(nativeDir, '..');

/** The prefix whose include/node holds node_api.h, for node-gyp's --nodedir. */
export function localNodeDir() {
  const candidates = [
    dirname(dirname(realpathSync(process.execPath))),
    process.env.npm_config_nodedir,
    '/usr',
    '/usr/local',
  ];
  for (const c of candidates) if (c && existsSync(join(c, 'include', 'node', 'node_api.h'))) return c;
  throw new Error(
    `Node's headers (include/node/node_api.h) were not found next to ${process.execPath} nor in npm's nodedir; ` +
      'install the Node development headers (e.g. the nodejs package with headers, or the official tarball) or set npm_config_nodedir.',
  );
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
}

/**
 * Builds the addon. With `buildDir`, builds a copy of binding.gyp + src there (e.g. the sanitizer
 * build, the cross build), so the regular native/build stays untouched. `arch` + `nodedir` + `env`
 * (CC/CXX/…) cross-compile (see cross.mjs). Returns the path of the .node file.
 */
export function buildNative({
  buildDir,
  cxxflags = '',
  ldflags = '',
  debug = false,
  stdio = 'inherit',
  arch,
  nodedir,
  env: extraEnv = {},
} = {}) {
  const gyp = join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
  let cwd = nativeDir;
  let configure = true;
  if (buildDir) {
    cwd = resolve(buildDir);
    mkdirSync(cwd, { recursive: true });
    const gypFile = join(cwd, 'binding.gyp');
    const same =
      existsSync(gypFile) &&
      readFileSync(gypFile, 'utf8') === readFileSync(join(nativeDir, 'binding.gyp'), 'utf8');
    // Same binding.gyp and flags already configured: let make rebuild only what changed.
    configure = !(same && existsSync(join(cwd, 'build', 'Makefile')));
    cpSync(join(nativeDir, 'binding.gyp'), gypFile, { preserveTimestamps: true });
    rmSync(join(cwd, 'src'), { recursive: true, force: true });
    cpSync(join(nativeDir, 'src'), join(cwd, 'src'), { recursive: true, preserveTimestamps: true });
  }
  const env = {
    ...process.env,
    CXXFLAGS: cxxflags,
    CFLAGS: cxxflags,
    LDFLAGS: ldflags,
    NODE_PATH: join(root, 'node_modules'),
    ...extraEnv,
  };
  const args = [
    gyp,
    ...(configure ? ['configure'] : []),
    'build',
    `--nodedir=${nodedir ?? localNodeDir()}`,
    ...(arch ? [`--arch=${arch}`] : []),
    '-j',
    'max',
  ];
  if (debug) args.push('--debug');
  run(process.execPath, args, { cwd, env, stdio });
  return join(cwd, 'build', debug ? 'Debug' : 'Release', 'hotloop_kernels.node');
}

export function buildWasm() {
  const out = join(nativeDir, 'build', 'wasm');
  mkdirSync(out, { recursive: true });
  const asc = join(root, 'node_modules', 'assemblyscript', 'bin', 'asc.js');
  run(
    process.execPath,
    [
      asc,
      join(nativeDir, 'wasm', 'assembly', 'kernels.ts'),
      '-O3',
      '--runtime',
      'stub',
      '--enable',
      'simd',
      '--noAssert',
      '-o',
      join(out, 'kernels.wasm'),
    ],
    { cwd: root },
  );
  return join(out, 'kernels.wasm');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const what = process.argv[2] ?? 'all';
  try {
    if ((what === 'all' || what === 'native') && process.env.HOTLOOP_SKIP_NATIVE !== '1')
      console.log(`[native] built ${buildNative()}`);
    if (what === 'all' || what === 'wasm') console.log(`[native] built ${buildWasm()}`);
  } catch (e) {
    console.error(`[native] ${e instanceof Error ? e.message : e}`);
    console.error(
      '[native] the kernel loader falls back to wasm, then TypeScript; set HOTLOOP_SKIP_NATIVE=1 to skip the addon build.',
    );
    process.exit(1);
  }
}
