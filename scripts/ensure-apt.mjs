#!/usr/bin/env node
// Idempotently make sure Debian packages are installed: `node scripts/ensure-apt.mjs chromium ripgrep`.
// Also importable: `await ensureApt(['chromium'])`. Runs `apt-get update` only when something is missing.
// Serialised with flock so parallel suites don't fight over the dpkg lock.
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';

/** Installs the missing ones among `packages`; throws with apt's output when that fails. */
export function ensureApt(packages) {
  const missing = packages.filter((p) => spawnSync('dpkg', ['-s', p], { stdio: 'ignore' }).status !== 0);
  if (missing.length === 0) return [];
  const run = (args) => {
    const r = spawnSync('flock', ['/tmp/hotloop-apt.lock', 'apt-get', ...args], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (r.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed (exit ${r.status}); are you root?`);
  };
  console.log(`[ensure-apt] installing: ${missing.join(' ')}`);
  run(['update', '-qq']);
  run(['install', '-y', '-qq', '--no-install-recommends', ...missing]);
  return missing;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  ensureApt(process.argv.slice(2));
}
