#!/usr/bin/env node
// `npm run package`: the production bundles, then one VSIX per platform (`vsce package --target`):
//   out/hotloop-linux-x64.vsix    the kernel library's addon built here (native/prebuilds/linux-x64)
//   out/hotloop-linux-arm64.vsix  the addon cross-compiled for arm64 (native/scripts/cross.mjs)
//   out/hotloop-universal.vsix    every other platform: no addon, the kernel library's wasm backend
//                                 (k.info().backend === 'wasm'; README "Platforms")
// Each VSIX carries the wasm build as the fallback; out/hotloop.vsix is a copy of this machine's one.
//   node scripts/package.mjs [--targets linux-x64,linux-arm64,universal] [--skip-build]
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildNative, buildWasm } from '../native/scripts/build.mjs';
import { buildArm64 } from '../native/scripts/cross.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'out');
const ALL = ['linux-x64', 'linux-arm64', 'universal'];
const { values } = parseArgs({
  options: { targets: { type: 'string' }, 'skip-build': { type: 'boolean' } },
});
const targets = values.targets ? values.targets.split(',') : ALL;
for (const t of targets)
  if (!ALL.includes(t)) throw new Error(`unknown target ${t}; known: ${ALL.join(', ')}`);

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
}

const prebuild = (platform) => join('native', 'prebuilds', platform, 'hotloop_kernels.napi.node');

/** Builds what `target` ships: the addon for its platform (none for universal). */
function buildFor(target) {
  if (target === 'linux-x64') {
    if (process.platform !== 'linux' || process.arch !== 'x64')
      throw new Error('the linux-x64 VSIX is built on linux-x64 (its addon is compiled here)');
    const built = buildNative({ stdio: ['ignore', 'inherit', 'inherit'] });
    mkdirSync(dirname(join(root, prebuild('linux-x64'))), { recursive: true });
    copyFileSync(built, join(root, prebuild('linux-x64')));
  } else if (target === 'linux-arm64') buildArm64();
}

/**
 * The ignore file of one VSIX: the repository's .vscodeignore, with the local build's addon left out
 * and only this platform's prebuild let in.
 */
function ignoreFileFor(target) {
  const base = readFileSync(join(root, '.vscodeignore'), 'utf8')
    .split('\n')
    .filter((l) => !/native\/(build\/Release|prebuilds)/.test(l));
  const lines = [...base, '!native/build/wasm/kernels.wasm'];
  if (target !== 'universal') lines.push(`!${prebuild(target)}`);
  const file = join(out, `.vscodeignore-${target}`);
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

mkdirSync(out, { recursive: true });
if (!values['skip-build']) {
  run(process.execPath, ['esbuild.mjs', '--production']);
  buildWasm();
}
const vsce = join(root, 'node_modules', '.bin', 'vsce');
for (const target of targets) {
  buildFor(target);
  const vsix = join(out, `hotloop-${target}.vsix`);
  run(vsce, [
    'package',
    ...(target === 'universal' ? [] : ['--target', target]),
    '--no-dependencies',
    '--no-rewrite-relative-links',
    '--ignoreFile',
    ignoreFileFor(target),
    '-o',
    vsix,
  ]);
  console.log(`[package] ${vsix} (${(statSync(vsix).size / 1e6).toFixed(2)} MB)`);
}
const here = `${process.platform}-${process.arch}`;
const mine = join(out, `hotloop-${ALL.includes(here) ? here : 'universal'}.vsix`);
if (existsSync(mine)) copyFileSync(mine, join(out, 'hotloop.vsix'));
