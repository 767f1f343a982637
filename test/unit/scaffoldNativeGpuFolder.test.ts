// A native and a GPU scaffold made by `hotloop scaffold` build and check with only the commands of
// their README (the native one also under AddressSanitizer + UBSan), and both wrappers keep the
// original's signature (sync for native, a Promise for GPU).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { scaffoldCommand } from '../../src/cli/scaffold.js';
import { REPO, nodeDir } from './nativeBuild.js';

const FIXTURE = join(REPO, 'test/fixtures/loops/01-sum-for.ts');

function sink(fn: (s: string) => void): NodeJS.WritableStream {
  return {
    write: (s: string) => {
      fn(s);
      return true;
    },
  } as unknown as NodeJS.WritableStream;
}

describe('native and gpu scaffolds build and check with only their README commands', () => {
  for (const target of ['native', 'gpu'] as const) {
    test(`${target}: hotloop scaffold → README commands`, async () => {
      const root = mkdtempSync(join(tmpdir(), `hotloop-${target}-folder-`));
      try {
        mkdirSync(join(root, 'src'));
        writeFileSync(join(root, 'src/sum.ts'), readFileSync(FIXTURE, 'utf8'));
        let err = '';
        const code = await scaffoldCommand.run(
          [join(root, 'src/sum.ts'), '--target', target, '--root', root],
          {
            signal: new AbortController().signal,
            stdout: sink(() => undefined),
            stderr: sink((s) => {
              err += s;
            }),
          },
        );
        assert.equal(code, 0, err);
        const dir = join(root, 'hotloop', `sum-${target}`);
        const readme = readFileSync(join(dir, 'README.md'), 'utf8');
        const commands = /```sh\n([\s\S]*?)```/.exec(readme)![1]!.trim().split('\n');
        const expected =
          target === 'native'
            ? ['npm install --prefix ..', 'npm run build', 'npm run check', 'npm run sanitize']
            : ['npm install --prefix ..', 'npm run build', 'npm run check'];
        assert.deepEqual(commands, expected);
        if (target === 'gpu') assert.match(readme, /f32/, 'the README states the precision');
        const env = { ...process.env, npm_config_nodedir: nodeDir() };
        for (const c of commands) {
          if (c.startsWith('npm install')) {
            // No network needed: every dependency of the shared toolchain (the folder's parent,
            // hotloop/package.json) is installed in the repo; link them there.
            const at = c.includes('--prefix ..') ? dirname(dir) : dir;
            const pkg = JSON.parse(readFileSync(join(at, 'package.json'), 'utf8')) as {
              dependencies?: object;
              devDependencies?: object;
            };
            for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }))
              assert.ok(existsSync(join(REPO, 'node_modules', dep)), dep);
            if (!existsSync(join(at, 'node_modules')))
              symlinkSync(join(REPO, 'node_modules'), join(at, 'node_modules'));
            continue;
          }
          const log = execFileSync('sh', ['-c', `${c} 2>&1`], {
            cwd: dir,
            encoding: 'utf8',
            env,
            maxBuffer: 1 << 26,
          });
          if (c === 'npm run check') assert.match(log, /matches the original/, log);
          if (c === 'npm run sanitize') assert.match(log, /ASan \+ UBSan clean/, log);
        }
        if (target === 'native') {
          assert.ok(
            existsSync(join(dir, 'build/Release/kernel.node')),
            'the normal addon is back after the sanitizer run',
          );
          const index = readFileSync(join(dir, 'index.ts'), 'utf8');
          assert.match(index, /export function sum\(xs: Float64Array\): number/);
          assert.match(index, /export async function sumAsync\(xs: Float64Array\): Promise<number>/);
        } else {
          assert.match(
            readFileSync(join(dir, 'index.ts'), 'utf8'),
            /export async function sum\(xs: Float64Array\): Promise<number>/,
          );
        }
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    });
  }
});

test('a native scaffold of a kernel the bundled library already has offers the library routine instead', async () => {
  const { analyzeSource } = await import('../../src/core/analysis/index.js');
  const { nativeEmitter } = await import('../../src/core/scaffold/native/emit.js');
  const { libraryRoutineFor } = await import('../../src/core/scaffold/native/library.js');
  const file = join(REPO, 'examples/src/sensorStats.ts');
  const loops = analyzeSource(file, readFileSync(file, 'utf8')).loops.filter((l) => l.kernel);
  const byName = new Map(loops.map((l) => [l.kernel!.name, l.kernel!]));
  assert.equal(libraryRoutineFor(byName.get('sum')!), 'sum(xs)');
  const variance = [...byName.values()].find((k) => k.name.toLowerCase().includes('variance'));
  assert.ok(
    variance && /^variance\(/.test(libraryRoutineFor(variance) ?? ''),
    `variance matches: ${variance ? libraryRoutineFor(variance) : 'no kernel'}`,
  );
  const r = nativeEmitter.emit(byName.get('sum')!, { exportName: 'sum' });
  assert.ok(r.ok && r.notes.some((n) => n.includes('kernels.sum(xs)')));
  // A kernel that is not a library routine gets no such offer.
  const [other] = (await import('../support/kernelGen.js')).generateKernels({
    seed: 3,
    count: 1,
    patterns: ['stencil'],
  });
  assert.equal(libraryRoutineFor(other!), undefined);
});
