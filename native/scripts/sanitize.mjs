#!/usr/bin/env node
// The sanitizer run (suite "sanitizers" of `npm test`): builds the addon with ASan + UBSan into
// native/build/asan (the regular build is untouched), then runs the native test suite against it:
//   LD_PRELOAD=libasan.so (node itself is not instrumented), ASAN_OPTIONS=detect_leaks=0 (V8 keeps
//   allocations alive until exit), HOTLOOP_NATIVE_PATH=<the sanitized .node>, HOTLOOP_REQUIRE_NATIVE=1.
// Any ASan report or UBSan finding aborts the test process (-fno-sanitize-recover=all), so the
// suite fails; the node:test summary is printed as usual and the exit code is non-zero.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildNative } from './build.mjs';

const nativeDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const root = resolve(nativeDir, '..');
const flags = '-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -g';

const libasan = spawnSync('g++', ['-print-file-name=libasan.so'], { encoding: 'utf8' }).stdout.trim();
if (!libasan || !existsSync(libasan)) {
  console.error(
    `[sanitize] libasan.so not found (g++ -print-file-name=libasan.so gave '${libasan}'); install g++ with its sanitizer runtimes`,
  );
  process.exit(1);
}

console.error(`[sanitize] building the addon with ${flags}`);
let addon;
try {
  // Build logs go to stderr so stdout ends with the test summary.
  addon = buildNative({
    buildDir: join(nativeDir, 'build', 'asan'),
    cxxflags: flags,
    ldflags: flags
      .split(' ')
      .filter((f) => f.startsWith('-fsanitize'))
      .join(' '),
    stdio: ['ignore', 2, 2],
  });
} catch (e) {
  console.error(`[sanitize] build failed: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
}

const testDir = join(root, 'test', 'native');
const files = readdirSync(testDir)
  .filter((f) => f.endsWith('.test.ts'))
  .sort()
  .map((f) => join(testDir, f));
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], {
  cwd: root,
  stdio: 'inherit',
  env: {
    ...process.env,
    LD_PRELOAD: libasan,
    ASAN_OPTIONS: 'detect_leaks=0:abort_on_error=1:allow_user_segv_handler=1',
    UBSAN_OPTIONS: 'print_stacktrace=1:halt_on_error=1',
    HOTLOOP_NATIVE_PATH: addon,
    HOTLOOP_REQUIRE_NATIVE: '1',
    HOTLOOP_EXPECT_SANITIZERS: '1',
  },
});
process.exit(r.status ?? 1);
