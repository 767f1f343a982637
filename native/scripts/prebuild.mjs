#!/usr/bin/env node
// `npm run prebuild`: builds the addon for this platform with the local Node headers and stores it
// where node-gyp-build and native/index.ts look for prebuilds:
//   native/prebuilds/<platform>-<arch>/hotloop_kernels.napi.node
// (N-API: one binary serves every Node / Electron with Node-API ≥ 8.) Run it on each CI platform.
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildNative } from './build.mjs';

const nativeDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const built = buildNative();
const dir = join(nativeDir, 'prebuilds', `${process.platform}-${process.arch}`);
mkdirSync(dir, { recursive: true });
const dest = join(dir, 'hotloop_kernels.napi.node');
copyFileSync(built, dest);
console.log(`[prebuild] ${dest}`);
