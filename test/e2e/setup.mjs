#!/usr/bin/env node
// Idempotent install of the e2e test host: Debian's chromium (driven by playwright-core), and
// code-server 4.100.3 (= VS Code 1.100.3, the last one on Node 20) into the git-ignored .vscode-host/.
// A second run only checks `code-server --version` and `dpkg -s` (a second or two).
// See /work/shared/recipes/vscode-host.md (variant A) for why each step is there.
//   node test/e2e/setup.mjs            install what is missing
//   node test/e2e/setup.mjs --force    reinstall code-server
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureApt } from '../../scripts/ensure-apt.mjs';

export const CODE_SERVER_VERSION = '4.100.3';
const root = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
export const hostDir = join(root, '.vscode-host');
export const codeServerBin = join(hostDir, 'node_modules', '.bin', 'code-server');
// @vscode/ripgrep (a code-server dependency) downloads `rg` from GitHub in its postinstall; this
// machine has no GitHub, so we seed its download cache with Debian's rg.
const RIPGREP_CACHE = 'vscode-ripgrep-cache-1.15.11';
const RIPGREP_ASSET = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';

/** The installed code-server version, or undefined when it is missing or broken. */
export function installedVersion() {
  if (!existsSync(codeServerBin)) return undefined;
  // Its first start writes a default config.yaml: keep that out of HOME.
  const xdg = join(hostDir, 'tmp', 'xdg');
  const env = { ...process.env, XDG_CONFIG_HOME: xdg, XDG_DATA_HOME: xdg, XDG_CACHE_HOME: xdg };
  const r = spawnSync(codeServerBin, ['--version'], { encoding: 'utf8', timeout: 30_000, env });
  return r.status === 0 ? /^(\d+\.\d+\.\d+) /m.exec(r.stdout)?.[1] : undefined;
}

function run(cmd, args, opts) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal}); see the output above`);
  }
}

/** Makes sure chromium and code-server are installed; returns the seconds each step took. */
export function setup({ force = false } = {}) {
  const times = {};
  let t = Date.now();
  // chromium: the browser; libkrb5-dev: headers for code-server's kerberos module; ripgrep: see above.
  const installed = ensureApt(['chromium', 'libkrb5-dev', 'ripgrep']);
  times.apt = (Date.now() - t) / 1000;
  if (installed.length)
    console.log(`[e2e setup] apt installed ${installed.join(' ')} in ${times.apt.toFixed(0)} s`);

  if (!force && installedVersion() === CODE_SERVER_VERSION) return times;
  t = Date.now();
  console.log(
    `[e2e setup] installing code-server@${CODE_SERVER_VERSION} into .vscode-host/ (builds native modules; ~2 min cold)`,
  );
  if (force) rmSync(join(hostDir, 'node_modules'), { recursive: true, force: true });
  const tmp = join(hostDir, 'tmp');
  const cache = join(tmp, RIPGREP_CACHE);
  mkdirSync(cache, { recursive: true });
  writeFileSync(join(hostDir, 'package.json'), '{ "private": true }\n');
  const rg = spawnSync('sh', ['-c', 'command -v rg'], { encoding: 'utf8' }).stdout.trim();
  if (!rg) throw new Error('ripgrep (rg) is not on PATH although apt installed it');
  copyFileSync(rg, join(tmp, 'rg'));
  run('tar', ['czf', join(cache, RIPGREP_ASSET), '-C', tmp, 'rg']);
  run(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--no-save',
      '--loglevel=error',
      `code-server@${CODE_SERVER_VERSION}`,
    ],
    {
      cwd: hostDir,
      env: {
        ...process.env,
        TMPDIR: tmp,
        // code-server's postinstall refuses to run as root without this (npm 11 dropped --unsafe-perm).
        npm_config_unsafe_perm: 'true',
        // node-pty's postinstall runs `npx node-gyp`; this machine's npmrc says yes=false.
        npm_config_yes: 'true',
      },
    },
  );
  const v = installedVersion();
  if (v !== CODE_SERVER_VERSION)
    throw new Error(`code-server --version gave ${v ?? 'nothing'} after the install`);
  times.codeServer = (Date.now() - t) / 1000;
  console.log(`[e2e setup] code-server ${v} installed in ${times.codeServer.toFixed(0)} s`);
  return times;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const t0 = Date.now();
  setup({ force: process.argv.includes('--force') });
  console.log(`[e2e setup] ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
