#!/usr/bin/env node
// `npm test`: every suite, in order, failing on the first red one; ends with one summary line
// "N passed, N failed" summed over the node:test suites. `npm test -- unit native` runs a subset.
// Suites install what they need themselves (apt packages, the VS Code test host) idempotently.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ensureApt } from './ensure-apt.mjs';

const root = new URL('..', import.meta.url).pathname;

/** Test files under a folder (recursively), sorted for a stable order. */
function testFiles(dir) {
  const out = [];
  const walk = (d) => {
    if (!existsSync(d)) return;
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.test\.(ts|mjs|js)$/.test(name)) out.push(p);
    }
  };
  walk(join(root, dir));
  return out;
}

const nodeTest = (dir, extra = []) => [
  'node',
  ['--import', 'tsx', '--test', '--test-concurrency=2', ...extra, ...testFiles(dir)],
];

/**
 * Unit test files that build or run real things for minutes (compilers, fuzzing hundreds of kernels,
 * profiling child processes): `npm test` runs them as the "heavy" suite; `npm run test:unit` (the
 * inner loop) leaves them out. Every name must exist, so a rename cannot silently drop a file.
 */
const HEAVY = [
  'irFuzz.test.ts',
  'profileAccuracy.test.ts',
  'profileRun.test.ts',
  'scaffold.test.ts',
  'scaffoldCorpus.test.ts',
  'scaffoldCuda.test.ts',
  'scaffoldFuzz.test.ts',
  'scaffoldGpu.test.ts',
  'scaffoldGpuShapes.test.ts',
  'scaffoldNative.test.ts',
  'scaffoldNativeGpuFolder.test.ts',
  'benchRunner.test.ts',
  'scaffoldBuild.test.ts',
  'profileBeforeAfter.test.ts',
  'optimize.test.ts',
  'adviceWorker.test.ts',
  'adviceApply.test.ts',
  'optimizeExamples.test.ts',
  'optimizeLibrary.test.ts',
  'optimizeWorkload.test.ts',
  'captureInputs.test.ts',
  'optimizeCorpusLib.test.ts',
  'benchGpu.test.ts',
].map((f) => join(root, 'test/unit', f));
for (const f of HEAVY)
  if (!existsSync(f)) throw new Error(`scripts/test.mjs: heavy test ${f} does not exist`);
const unitTest = (heavy) => [
  'node',
  [
    '--import',
    'tsx',
    '--test',
    '--test-concurrency=2',
    ...testFiles('test/unit').filter((f) => HEAVY.includes(f) === heavy),
  ],
];

/** The suites, in the order `npm test` runs them. `counted` suites print node:test summaries. */
const suites = [
  { name: 'build', cmd: ['node', ['esbuild.mjs']] },
  { name: 'typecheck', cmd: ['npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']] },
  { name: 'typecheck-webview', cmd: ['npx', ['tsc', '--noEmit', '-p', 'webview-ui/tsconfig.json']] },
  { name: 'lint', cmd: ['npx', ['eslint', '.']] },
  { name: 'format', cmd: ['npx', ['prettier', '--check', '.', '--log-level', 'warn']] },
  { name: 'unit', cmd: unitTest(false), counted: true },
  { name: 'heavy', cmd: unitTest(true), counted: true },
  { name: 'native', cmd: nodeTest('test/native'), counted: true },
  { name: 'sanitizers', cmd: ['node', ['native/scripts/sanitize.mjs']], counted: true },
  { name: 'hostile', cmd: nodeTest('test/hostile'), counted: true },
  // A real redis-server (Debian package, installed by the suite) and BullMQ worker processes.
  { name: 'cluster', cmd: nodeTest('test/cluster'), counted: true },
  { name: 'webview', cmd: nodeTest('test/webview'), counted: true },
  { name: 'e2e', cmd: ['node', ['test/e2e/run.mjs']], counted: true },
  // The smoke subset against the newest code-server on npm (offline: the newest one installed before).
  {
    name: 'e2e-latest',
    cmd: ['node', ['test/e2e/run.mjs', '--code-server', 'latest', '--smoke']],
    counted: true,
  },
  // `npm run package` (production bundles: last, so no suite runs on them by accident), the
  // linux-x64 / linux-arm64 / universal VSIXs, and the arm64 addon's kernel tests under qemu-user.
  { name: 'platforms', cmd: nodeTest('test/platforms'), counted: true },
];

const wanted = process.argv.slice(2);
const selected = wanted.length ? suites.filter((s) => wanted.includes(s.name)) : suites;
if (wanted.length && selected.length !== wanted.length) {
  console.error(`unknown suite in: ${wanted.join(' ')}; known: ${suites.map((s) => s.name).join(' ')}`);
  process.exit(2);
}

// The build sandbox (bubblewrap) is part of the product on Linux: every suite runs with it, and the
// hostile suite checks that build steps cannot write outside the workspace.
if (process.platform === 'linux') {
  try {
    ensureApt(['bubblewrap']);
  } catch (err) {
    console.warn(`[test] could not install bubblewrap (${err.message}); builds run without the sandbox`);
  }
}

let passed = 0;
let failed = 0;
const started = Date.now();
for (const suite of selected) {
  const [cmd, args] = suite.cmd;
  const t0 = Date.now();
  console.log(`\n=== ${suite.name}: ${cmd} ${args.map((a) => a.replace(root, '')).join(' ')}`);
  if (suite.cmd[1].length === 0) {
    console.error(`=== ${suite.name}: no test files`);
    process.exit(1);
  }
  const code = await new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let tail = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      tail = (tail + chunk.toString()).slice(-4000);
    });
    const forward = (sig) => child.kill(sig);
    process.on('SIGINT', forward).on('SIGTERM', forward);
    child.on('close', (c, sig) => {
      process.off('SIGINT', forward).off('SIGTERM', forward);
      if (suite.counted) {
        const p = /^(?:# |ℹ )pass (\d+)$/m.exec(tail) ?? /^(\d+) passed, \d+ failed/m.exec(tail);
        const f = /^(?:# |ℹ )fail (\d+)$/m.exec(tail) ?? /^\d+ passed, (\d+) failed/m.exec(tail);
        passed += Number(p?.[1] ?? 0);
        failed += Number(f?.[1] ?? 0);
      }
      resolve(c ?? (sig ? 1 : 0));
    });
  });
  console.log(
    `=== ${suite.name}: ${code === 0 ? 'ok' : `FAILED (exit ${code})`} in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
  if (code !== 0) {
    console.log(`\ntests: ${passed} passed, ${Math.max(failed, 1)} failed`);
    process.exit(code || 1);
  }
}
console.log(`\nall suites green in ${((Date.now() - started) / 1000).toFixed(0)} s`);
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
