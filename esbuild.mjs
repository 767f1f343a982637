// The one build script: extension, lazily loaded engine, CLI, webview (and the e2e suite bundle).
//   node esbuild.mjs               development build (source maps)
//   node esbuild.mjs --production  minified, no source maps
//   node esbuild.mjs --watch       rebuild on change
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { e2eSuiteBuild } from './test/e2e/build.mjs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Options shared by every Node-side bundle. */
const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'info',
  // vscode is provided by the host; webgpu and *.node files are native and loaded at run time.
  external: [
    'vscode',
    'webgpu',
    '*.node',
    'piscina',
    'assemblyscript',
    'assemblyscript/*',
    'playwright-core',
    'mocha',
    'esbuild',
  ],
};

/** @type {esbuild.BuildOptions[]} */
const builds = [
  // Thin activation bundle: must not pull the TypeScript compiler in (activation budget ≤ 100 ms).
  { ...node, entryPoints: { extension: 'src/extension/extension.ts' }, outdir: 'dist' },
  // The engine (TypeScript compiler API included), required lazily by the extension on first use.
  { ...node, entryPoints: { engine: 'src/engine.ts' }, outdir: 'dist' },
  // The benchmark child program (one process per variant), found next to the engine/CLI bundles.
  { ...node, entryPoints: { benchChild: 'src/core/bench/childMain.ts' }, outdir: 'dist' },
  // The CLI over the same engine.
  { ...node, entryPoints: { cli: 'src/cli/main.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } },
  // The results webview: a browser bundle.
  {
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    sourcemap: !production,
    minify: production,
    logLevel: 'info',
    entryPoints: { webview: 'webview-ui/src/main.ts' },
    outdir: 'dist',
    loader: { '.ttf': 'file', '.css': 'css' },
  },
  // The in-host e2e suite (test/e2e/suite/*.e2e.ts), run inside VS Code's extension host.
  e2eSuiteBuild(node),
];

// The bundled TypeScript compiler looks for its lib .d.ts files next to itself (dist/), not in
// node_modules (which the VSIX leaves out): without them every type is unknown to the analysis.
mkdirSync('dist', { recursive: true });
// .vscodeignore ships dist/**: source maps left by an earlier development build would ship too
// (30 MB) and point at code that is no longer there.
if (production) for (const f of readdirSync('dist')) if (f.endsWith('.map')) rmSync(`dist/${f}`);
for (const f of readdirSync('node_modules/typescript/lib')) {
  if (/^lib\..*\.d\.ts$/.test(f)) copyFileSync(`node_modules/typescript/lib/${f}`, `dist/${f}`);
}

if (watch) {
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('[hotloop] watching for changes…');
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
