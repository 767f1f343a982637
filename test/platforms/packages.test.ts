// `npm run package` and what users install: the platform VSIXs — each carries its platform's addon
// and nothing else native, the arm64 addon (cross-compiled here) loads and passes the kernel
// library's tests in an arm64 Node under qemu-user, the universal VSIX runs the kernels on wasm —
// and the `hotloop` CLI from `npm pack`, installed into an empty folder. Slow (a production build, a
// cross build and an emulated test run): its own suite, one file so the steps run in order.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadKernels } from '../../native/index.js';

const root = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
const out = join(root, 'out');
const TARGETS = ['linux-x64', 'linux-arm64', 'universal'] as const;
const scratch = mkdtempSync(join(tmpdir(), 'hotloop-vsix-'));

function unzip(vsix: string, dest: string): string {
  const r = spawnSync('unzip', ['-q', '-o', vsix, '-d', dest], { encoding: 'utf8' });
  assert.equal(r.status, 0, `unzip ${vsix}: ${r.stderr}`);
  return join(dest, 'extension');
}

function files(dir: string, rel = ''): string[] {
  return readdirSync(join(dir, rel), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(dir, join(rel, e.name)) : [join(rel, e.name)],
  );
}

describe('npm run package: one VSIX per platform', () => {
  const ext = new Map<string, string>();
  before(() => {
    const r = spawnSync('npm', ['run', 'package'], { cwd: root, encoding: 'utf8', stdio: 'inherit' });
    assert.equal(r.status, 0, 'npm run package failed');
    for (const t of TARGETS) ext.set(t, unzip(join(out, `hotloop-${t}.vsix`), join(scratch, t)));
  });
  after(() => {
    rmSync(scratch, { recursive: true, force: true });
  });

  for (const t of TARGETS) {
    test(`${t}: the manifest's platform, only its own addon, the wasm fallback`, () => {
      const dir = ext.get(t)!;
      const manifest = spawnSync('unzip', ['-p', join(out, `hotloop-${t}.vsix`), 'extension.vsixmanifest'], {
        encoding: 'utf8',
      }).stdout;
      const platform = /TargetPlatform="([^"]+)"/.exec(manifest)?.[1];
      assert.equal(platform, t === 'universal' ? undefined : t);
      const addons = files(dir).filter((f) => f.endsWith('.node'));
      assert.deepEqual(
        addons,
        t === 'universal' ? [] : [join('native', 'prebuilds', t, 'hotloop_kernels.napi.node')],
      );
      assert.ok(existsSync(join(dir, 'native', 'build', 'wasm', 'kernels.wasm')), 'kernels.wasm is shipped');
      assert.ok(existsSync(join(dir, 'dist', 'engine.js')) && existsSync(join(dir, 'dist', 'extension.js')));
    });
  }

  test('linux-x64: the shipped addon is what the loader picks here', () => {
    const k = loadKernels({ root: ext.get('linux-x64')!, requireNative: true });
    assert.equal(k.info().backend, 'native');
    assert.equal(
      k.info().path,
      join(ext.get('linux-x64')!, 'native', 'prebuilds', 'linux-x64', 'hotloop_kernels.napi.node'),
    );
    assert.equal(k.sum(Float64Array.from([1, 2, 3.5])), 6.5);
  });

  test('universal: no addon, so the kernel library says wasm and computes on it', () => {
    const k = loadKernels({ root: ext.get('universal')! });
    assert.equal(k.info().backend, 'wasm', JSON.stringify(k.tried));
    assert.equal(k.sum(Float64Array.from([1, 2, 3.5])), 6.5);
    assert.ok(
      k.tried.some((a) => a.backend === 'native' && !a.ok),
      'the addon was looked for first',
    );
  });

  test('linux-arm64: the shipped addon loads in arm64 Node under qemu and passes the kernel tests', () => {
    const r = spawnSync(
      process.execPath,
      [join(root, 'native', 'scripts', 'cross.mjs'), 'test', '--extension', ext.get('linux-arm64')!],
      { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
    process.stdout.write(r.stdout.replace(/^(ℹ|#) /gm, '  arm64 $1 '));
    process.stderr.write(r.stderr);
    const pass = Number(/^# pass (\d+)$/m.exec(r.stdout)?.[1] ?? 0);
    const fail = Number(/^# fail (\d+)$/m.exec(r.stdout)?.[1] ?? -1);
    assert.match(r.stdout, /"arch":"arm64".*"simd":"neon".*"backend":"native"/);
    assert.equal(fail, 0, 'arm64 kernel tests failed');
    assert.ok(pass > 0, 'arm64 ran no kernel test');
    assert.doesNotMatch(r.stderr, /ran no test/);
    assert.equal(r.status, 0);
  });

  test('the CLI from `npm pack`, installed into an empty folder, analyses a workspace as the repository does', () => {
    const packed = spawnSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', scratch], {
      cwd: root,
      encoding: 'utf8',
    });
    assert.equal(packed.status, 0, packed.stderr);
    const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
    const paths = info!.files.map((f) => f.path);
    for (const want of [
      'dist/cli.js',
      'dist/engine.js',
      'native/build/wasm/kernels.wasm',
      'native/prebuilds/linux-x64/hotloop_kernels.napi.node',
      'native/prebuilds/linux-arm64/hotloop_kernels.napi.node',
    ])
      assert.ok(paths.includes(want), `${want} is in the package`);
    assert.deepEqual(
      paths.filter((p) => /^(src|test|corpus|bench)\//.test(p)),
      [],
      'no sources or tests in the package',
    );
    const app = join(scratch, 'app');
    mkdirSync(app);
    writeFileSync(
      join(app, 'package.json'),
      JSON.stringify({ name: 'app', version: '1.0.0', private: true }),
    );
    const inst = spawnSync(
      'npm',
      ['install', join(scratch, info!.filename), '--prefer-offline', '--no-audit', '--no-fund'],
      { cwd: app, encoding: 'utf8' },
    );
    assert.equal(inst.status, 0, inst.stderr);
    const ws = join(scratch, 'workspace');
    cpSync(join(root, 'examples'), ws, {
      recursive: true,
      filter: (src) => !src.includes('node_modules'),
    });
    const npx = spawnSync('npx', ['--no-install', 'hotloop', 'analyze', ws, '--json'], {
      cwd: app,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    assert.equal(npx.status, 0, npx.stderr);
    const repo = spawnSync(process.execPath, [join(root, 'dist', 'cli.js'), 'analyze', ws, '--json'], {
      cwd: app,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    assert.equal(repo.status, 0, repo.stderr);
    const last = (out: string) => JSON.parse(out.trim().split('\n').pop()!) as unknown;
    const fromPack = last(npx.stdout);
    assert.ok(JSON.stringify(fromPack).includes('translatable'), 'the packed CLI found loops');
    assert.deepEqual(fromPack, last(repo.stdout));
  });
});
