// A private copy of what the extension ships (the .vscodeignore allow-list) plus the in-host suite.
// The tree is shared with people rebuilding dist/ at any moment; testing and packaging a snapshot
// keeps a run from reading half-written bundles (vsce once failed with "file data stream has
// unexpected number of bytes" while another build rewrote dist/).
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
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

/** Copies the shipped files of `root` into `dir` (with out/test/suite); returns `dir`. */
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
    const release = join(native, 'build', 'Release');
    if (existsSync(release))
      for (const f of readdirSync(release).filter((f) => f.endsWith('.node')))
        copy(join('build', 'Release', f));
  }
  cpSync(join(root, 'out', 'test', 'suite'), join(dir, 'out', 'test', 'suite'), { recursive: true });
  return dir;
}

/** Lets the snapshot resolve the dev-only packages the suite needs (mocha); call after packaging. */
export function linkNodeModules(root, dir) {
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
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
  const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)]
    .map((m) => m[1])
    .filter((p) => !/^[a-z]+:/.test(p));
  if (images.length === 0) return ['(the README shows no image: the check would pass vacuously)'];
  return images.filter((p) => !existsSync(join(installed, p)));
}
