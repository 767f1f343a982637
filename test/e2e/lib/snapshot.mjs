// A private copy of what the extension ships (the .vscodeignore allow-list), packaged into the VSIX
// in a build folder of its own; the harness extension that carries the in-host suite; README checks.
// The tree is shared with people rebuilding dist/ at any moment; testing and packaging a snapshot
// keeps a run from reading half-written bundles (vsce once failed with "file data stream has
// unexpected number of bytes" while another build rewrote dist/).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Top-level entries the VSIX may contain (see .vscodeignore), copied when present. */
const SHIPPED = [
  'package.json',
  'README.md',
  'CHANGELOG.md',
  'LICENSE',
  '.vscodeignore',
  'dist',
  'media',
  'docs',
];

/** Copies the shipped files of `root` into `dir`; returns `dir`. */
export function snapshotExtension(root, dir) {
  mkdirSync(dir, { recursive: true });
  for (const name of SHIPPED) {
    // Source maps: 30 MB of a development build that the production VSIX does not have; leaving
    // them out halves the time vsce takes.
    const filter = (src) => !src.endsWith('.map');
    if (existsSync(join(root, name))) cpSync(join(root, name), join(dir, name), { recursive: true, filter });
  }
  // native/: the loader and the built addons only (native/build also holds ~30 MB of intermediates).
  const native = join(root, 'native');
  if (existsSync(native)) {
    const copy = (rel) => {
      mkdirSync(dirname(join(dir, 'native', rel)), { recursive: true });
      cpSync(join(native, rel), join(dir, 'native', rel), { recursive: true });
    };
    if (existsSync(join(native, 'index.js'))) copy('index.js');
    if (existsSync(join(native, 'prebuilds'))) copy('prebuilds');
    // The kernel library's wasm build: the fallback every VSIX ships (scripts/package.mjs).
    if (existsSync(join(native, 'build', 'wasm', 'kernels.wasm')))
      copy(join('build', 'wasm', 'kernels.wasm'));
    const release = join(native, 'build', 'Release');
    if (existsSync(release))
      for (const f of readdirSync(release).filter((f) => f.endsWith('.node')))
        copy(join('build', 'Release', f));
  }
  return dir;
}

/**
 * The test harness: a development extension of its own (`hotloop-e2e.harness`, no code, no
 * node_modules: mocha is bundled into the suite) whose only job is to carry the in-host suite as
 * extensionTestsPath. Hotloop itself is the copy installed from the VSIX; the harness never makes it
 * resolvable from anywhere else. Returns `dir`.
 */
export function buildHarness(root, dir) {
  mkdirSync(dir, { recursive: true });
  const hotloop = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const manifest = {
    name: 'harness',
    publisher: 'hotloop-e2e',
    version: '0.0.0',
    private: true,
    engines: { vscode: hotloop.engines.vscode },
  };
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  cpSync(join(root, 'out', 'test', 'suite'), join(dir, 'out', 'test', 'suite'), { recursive: true });
  return dir;
}

/** The entry names of a VSIX (a zip), through `unzip -Z1`. */
export function vsixEntries(vsix) {
  const r = spawnSync('unzip', ['-Z1', vsix], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`unzip -Z1 ${vsix} failed: ${r.stderr || r.error}`);
  return r.stdout.split('\n').filter(Boolean);
}

/**
 * The README's relative images (`![…](path)`) that the VSIX lacks: vsce stores the extension under
 * `extension/` and the README as `extension/readme.md`.
 */
export function missingReadmeImagesInVsix(vsix) {
  const entries = new Set(vsixEntries(vsix));
  const readmeEntry = [...entries].find((e) => /^extension\/readme\.md$/i.test(e));
  if (!readmeEntry) return ['README.md (the VSIX has no extension/readme.md)'];
  const r = spawnSync('unzip', ['-p', vsix, readmeEntry], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const images = readmeImages(r.stdout);
  if (images.length === 0) return ['(the README shows no image: the check would pass vacuously)'];
  return images.filter((p) => !entries.has(`extension/${p.replace(/^\.\//, '')}`));
}

/** Relative image links of a README (`![alt](path)`; absolute URLs left out). */
function readmeImages(readme) {
  return [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)]
    .map((m) => m[1])
    .filter((p) => !/^[a-z]+:/.test(p));
}

/**
 * The images the installed README shows (relative `![…](path)` links; the VSIX is packaged with
 * --no-rewrite-relative-links, so the details page resolves them in the install folder) that the
 * install folder lacks.
 */
export function missingReadmeImages(installed) {
  // vsce stores the README as readme.md.
  const name = readdirSync(installed).find((f) => /^readme\.md$/i.test(f));
  if (!name) return ['README.md (the installed extension has no README)'];
  const readme = readFileSync(join(installed, name), 'utf8');
  const images = readmeImages(readme);
  if (images.length === 0) return ['(the README shows no image: the check would pass vacuously)'];
  return images.filter((p) => !existsSync(join(installed, p)));
}
