#!/usr/bin/env node
// Fetches the real-code corpus: for every corpus/<lib>/lib.json, `npm pack <name>@<version>` into
// corpus/.cache/ (gitignored), checks the tarball against the pinned sha512 integrity and extracts it
// to corpus/.cache/<lib>/package/. Idempotent: a lib whose extracted copy carries the same integrity
// stamp is left alone, and a tarball already there with the right integrity is not downloaded again.
//   node scripts/corpus-fetch.mjs [--corpus DIR] [lib…]
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const STAMP = '.hotloop-integrity';

/** sha512 integrity string (`sha512-<base64>`) of a file, as npm writes it. */
export function integrityOf(file) {
  return `sha512-${createHash('sha512').update(readFileSync(file)).digest('base64')}`;
}

/** The libs of a corpus folder: every `<dir>/<lib>/lib.json`, parsed and checked. */
export function corpusLibs(corpusDir) {
  const out = [];
  for (const e of readdirSync(corpusDir, { withFileTypes: true })) {
    if (!e.isDirectory() || e.name.startsWith('.')) continue;
    const file = join(corpusDir, e.name, 'lib.json');
    if (!existsSync(file)) continue;
    const lib = JSON.parse(readFileSync(file, 'utf8'));
    for (const key of ['name', 'version', 'integrity']) {
      if (typeof lib[key] !== 'string' || !lib[key])
        throw new Error(`${file}: "${key}" must be a non-empty string`);
    }
    if (!/^sha512-[A-Za-z0-9+/]+=*$/.test(lib.integrity))
      throw new Error(
        `${file}: "integrity" must be sha512-… (npm view ${lib.name}@${lib.version} dist.integrity)`,
      );
    if (!/^\d+\.\d+\.\d+(?:[-+][\w.-]+)?$/.test(lib.version))
      throw new Error(`${file}: "version" must be exact, not a range (got ${lib.version})`);
    out.push({ dir: e.name, ...lib });
  }
  return out.sort((a, b) => a.dir.localeCompare(b.dir));
}

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.error) throw new Error(`${cmd} ${args.join(' ')}: ${r.error.message}`);
  if (r.status !== 0)
    throw new Error(
      `${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr.trim().split('\n').slice(-5).join('\n')}`,
    );
  return r.stdout;
}

/** Where a lib's extracted package lives. */
export function packageDir(corpusDir, lib) {
  return join(corpusDir, '.cache', lib.dir, 'package');
}

/** Fetches one lib unless its extracted copy is already there with the pinned integrity. */
export function fetchLib(corpusDir, lib, log = () => {}) {
  const cache = join(corpusDir, '.cache');
  const libDir = join(cache, lib.dir);
  const stamp = join(libDir, STAMP);
  if (
    existsSync(stamp) &&
    readFileSync(stamp, 'utf8').trim() === lib.integrity &&
    existsSync(packageDir(corpusDir, lib))
  )
    return 'cached';
  mkdirSync(cache, { recursive: true });
  const scoped = lib.name.startsWith('@') ? lib.name.slice(1).replace('/', '-') : lib.name;
  const tgz = join(cache, `${scoped}-${lib.version}.tgz`);
  if (!existsSync(tgz) || integrityOf(tgz) !== lib.integrity) {
    log(`npm pack ${lib.name}@${lib.version}`);
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const out = JSON.parse(
      run(
        npm,
        ['pack', `${lib.name}@${lib.version}`, '--json', '--ignore-scripts', '--pack-destination', cache],
        cache,
      ),
    );
    const made = join(cache, out[0].filename);
    if (made !== tgz) throw new Error(`npm pack wrote ${made}, expected ${tgz}`);
  }
  const got = integrityOf(tgz);
  if (got !== lib.integrity) {
    rmSync(tgz, { force: true });
    throw new Error(
      `${lib.name}@${lib.version}: integrity mismatch (pinned ${lib.integrity}, got ${got}); the tarball was removed`,
    );
  }
  rmSync(libDir, { recursive: true, force: true });
  mkdirSync(libDir, { recursive: true });
  run('tar', ['-xzf', tgz, '-C', libDir, '--no-same-owner'], cache);
  if (!existsSync(packageDir(corpusDir, lib))) throw new Error(`${tgz} has no package/ folder`);
  writeFileSync(stamp, `${lib.integrity}\n`);
  return 'fetched';
}

/** Fetches every lib of the corpus (or the named ones); returns what was done per lib. */
export function fetchCorpus(corpusDir = join(REPO, 'corpus'), only = [], log = () => {}) {
  const libs = corpusLibs(corpusDir).filter(
    (l) => only.length === 0 || only.includes(l.dir) || only.includes(l.name),
  );
  return libs.map((lib) => ({ lib: lib.dir, result: fetchLib(corpusDir, lib, log) }));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  let corpusDir = join(REPO, 'corpus');
  const only = [];
  for (let k = 0; k < args.length; k++) {
    if (args[k] === '--corpus') corpusDir = resolve(args[++k] ?? '');
    else only.push(args[k]);
  }
  try {
    for (const r of fetchCorpus(corpusDir, only, (m) => console.log(m))) console.log(`${r.lib}: ${r.result}`);
  } catch (err) {
    console.error(`corpus-fetch: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}
