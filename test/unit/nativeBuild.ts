// Building a generated addon in a test: node-gyp from the repo, the installed Node's headers (no
// download), both cores. Shared by the native scaffold tests.
import { execFile } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Kernel } from '../../src/core/ir/types.js';
import { nativeEmitter } from '../../src/core/scaffold/native/emit.js';

export const REPO = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

/** The C++ the native emitter writes for a kernel (src/kernel.cc); throws when it declines. */
export function kernelCc(k: Kernel): string {
  const r = nativeEmitter.emit(k, { exportName: k.name });
  if (!r.ok) throw new Error(`the native emitter declined ${k.name}: ${r.reason}`);
  return r.files.find((f) => f.path === 'src/kernel.cc')!.contents;
}

/** The prefix whose include/node holds node_api.h (node-gyp must not try to download headers). */
export function nodeDir(): string {
  return dirname(dirname(realpathSync(process.execPath)));
}

/** `node-gyp rebuild` in `dir` (extra gyp args after `--`); throws with the compiler output on failure. */
export async function buildAddon(dir: string, gypArgs: readonly string[] = []): Promise<void> {
  const args = [
    join(REPO, 'node_modules/node-gyp/bin/node-gyp.js'),
    'rebuild',
    `--nodedir=${nodeDir()}`,
    `--jobs=${cpus().length}`,
  ];
  if (gypArgs.length) args.push('--', ...gypArgs);
  try {
    await run(process.execPath, args, { cwd: dir, maxBuffer: 1 << 26 });
  } catch (err) {
    const e = err as { stderr?: string; stdout?: string; message: string };
    throw new Error(`node-gyp failed in ${dir}:\n${(e.stderr ?? '').slice(-6000) || e.message}`, {
      cause: err,
    });
  }
}
