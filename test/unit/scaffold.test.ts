// The scaffold framework: trust, names and paths, marker headers, existing and read-only files,
// and a generated folder that builds and checks with only the commands of its README.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { analyzeSource } from '../../src/core/analysis/index.js';
import type { Kernel } from '../../src/core/ir/types.js';
import {
  planScaffold,
  writeScaffold,
  MARKER,
  hasMarker,
  UNTRUSTED_REASON,
} from '../../src/core/scaffold/index.js';
import type { ScaffoldRequest, TargetName } from '../../src/core/scaffold/index.js';
import { scaffoldCommand } from '../../src/cli/scaffold.js';
import { REPO } from './scaffoldHarness.js';
import { pathToFileURL } from 'node:url';
import { buildSync, transformSync } from 'esbuild';

const FIXTURE = join(REPO, 'test/fixtures/loops/01-sum-for.ts');

function sumKernel(): Kernel {
  const loop = analyzeSource(FIXTURE, readFileSync(FIXTURE, 'utf8')).loops.find((l) => l.kernel);
  assert.ok(loop?.kernel, 'the sum fixture has a kernel');
  return loop.kernel;
}

function workspace(): string {
  return mkdtempSync(join(tmpdir(), 'hotloop-ws-'));
}

function request(root: string, over: Partial<ScaffoldRequest> = {}): ScaffoldRequest {
  return {
    kernel: sumKernel(),
    target: 'wasm',
    workspaceRoot: root,
    outputDir: 'hotloop',
    workspaceTrusted: true,
    ...over,
  };
}

async function plan(req: ScaffoldRequest) {
  const r = await planScaffold(req);
  assert.ok(r.ok, r.ok ? '' : r.reason);
  return r.plan;
}

describe('scaffold framework', () => {
  test('an untrusted workspace is refused with an explanation', async () => {
    const r = await planScaffold(request(workspace(), { workspaceTrusted: false }));
    assert.ok(!r.ok);
    assert.equal(r.reason, UNTRUSTED_REASON);
    assert.match(UNTRUSTED_REASON, /untrusted workspace/);
  });

  test('path traversal in the output folder, folder name or kernel name is rejected', async () => {
    const root = workspace();
    for (const over of [
      { outputDir: '../outside' },
      { outputDir: '/etc' },
      { folderName: '../../etc' },
      { folderName: 'a/b' },
      { kernel: { ...sumKernel(), name: '../evil' } },
    ]) {
      const r = await planScaffold(request(root, over));
      assert.equal(r.ok, false, `should refuse ${JSON.stringify(over).slice(0, 60)}`);
    }
    assert.equal(existsSync(join(root, '..', 'outside')), false);
  });

  test('every generated file carries the marker; the plan stays inside hotloop/<kernel>-<target>/ (+ the shared hotloop/package.json)', async () => {
    for (const target of ['wasm', 'worker'] as TargetName[]) {
      const root = workspace();
      const p = await plan(request(root, { target }));
      assert.equal(p.dir, join(root, 'hotloop', `sum-${target}`));
      for (const f of p.files) {
        assert.ok(f.path.startsWith(p.dir + sep) || f.path === join(root, 'hotloop', 'package.json'), f.path);
        assert.ok(hasMarker(f.contents), `${f.relative} has the marker`);
        assert.equal(f.action, 'create');
      }
      const pkg = JSON.parse(
        p.files.find((f) => f.relative.endsWith(`sum-${target}/package.json`))!.contents,
      ) as Record<string, string>;
      const shared = JSON.parse(p.files.find((f) => f.relative === 'hotloop/package.json')!.contents) as {
        dependencies: Record<string, string>;
      };
      assert.ok(
        Object.keys(shared.dependencies).includes('typescript'),
        'the toolchain is declared once in hotloop/package.json',
      );
      assert.match(pkg['//']!, new RegExp(MARKER));
      for (const name of ['index.ts', 'original.ts', 'README.md', 'check.ts'])
        assert.ok(
          p.files.some((f) => f.relative.endsWith(name)),
          name,
        );
    }
  });

  test('re-scaffolding updates only Hotloop files; files of the user are kept unless confirmed', async () => {
    const root = workspace();
    const first = await plan(request(root));
    const w = await writeScaffold(first);
    assert.ok(w.ok);
    const again = await plan(request(root));
    assert.ok(again.files.every((f) => f.action === 'unchanged'));
    // An edited generated file (marker kept) is updated; a user's file (marker removed) is a conflict.
    const index = join(first.dir, 'index.ts');
    const readme = join(first.dir, 'README.md');
    writeFileSync(index, readFileSync(index, 'utf8') + '\n// tweak\n');
    writeFileSync(readme, '# my own notes\n');
    const third = await plan(request(root));
    assert.equal(third.files.find((f) => f.path === index)!.action, 'update');
    assert.equal(third.files.find((f) => f.path === readme)!.action, 'conflict');
    const refused = await writeScaffold(third);
    assert.ok(!refused.ok);
    assert.deepEqual(refused.conflicts, ['hotloop/sum-wasm/README.md']);
    assert.equal(readFileSync(readme, 'utf8'), '# my own notes\n', 'the user file is untouched');
    assert.match(readFileSync(index, 'utf8'), /tweak/, 'nothing was written when refused');
    const forced = await writeScaffold(third, { overwriteConflicts: true });
    assert.ok(forced.ok);
    assert.ok(hasMarker(readFileSync(readme, 'utf8')));
    assert.doesNotMatch(readFileSync(index, 'utf8'), /tweak/);
  });

  test('a read-only folder gives a clear error and loses nothing', async () => {
    const root = workspace();
    mkdirSync(join(root, 'hotloop'));
    writeFileSync(join(root, 'hotloop', 'keep.txt'), 'mine');
    chmodSync(join(root, 'hotloop'), 0o555);
    chmodSync(root, 0o755);
    try {
      const p = await plan(request(root));
      let reason: string;
      if (process.getuid?.() === 0) {
        // root writes anywhere: run the write as an unprivileged user to meet a real read-only folder.
        // The writer is bundled into the (world-readable) workspace: the repo itself may not be
        // readable by that user (CI clones into a 0700 temp dir).
        const script = join(root, 'write.cjs');
        buildSync({
          stdin: {
            contents: `import { writeScaffold } from './src/core/scaffold/write.ts';\nwriteScaffold(JSON.parse(process.env.PLAN ?? '')).then((r) => console.log(JSON.stringify(r)));\n`,
            resolveDir: REPO,
            loader: 'ts',
          },
          bundle: true,
          platform: 'node',
          format: 'cjs',
          outfile: script,
          logLevel: 'silent',
        });
        chmodSync(script, 0o644);
        const out = spawnSync(process.execPath, [script], {
          uid: 65534,
          gid: 65534,
          cwd: root,
          env: { ...process.env, PLAN: JSON.stringify(p), HOME: tmpdir() },
          encoding: 'utf8',
        });
        const line = out.stdout.trim().split('\n').at(-1) ?? '';
        assert.ok(line.startsWith('{'), `child failed: ${out.stderr.slice(0, 800)}`);
        const r = JSON.parse(line) as { ok: boolean; reason?: string };
        assert.equal(r.ok, false);
        reason = r.reason ?? '';
      } else {
        const r = await writeScaffold(p);
        assert.ok(!r.ok);
        reason = r.reason;
      }
      assert.match(reason, /not writable/);
      assert.match(reason, /Nothing was written/);
      assert.equal(readFileSync(join(root, 'hotloop', 'keep.txt'), 'utf8'), 'mine');
      assert.equal(existsSync(join(root, 'hotloop', 'sum-wasm')), false);
    } finally {
      chmodSync(join(root, 'hotloop'), 0o755);
    }
  });

  test('the worker target declines a kernel without a parallel loop, with the reason', async () => {
    const scan = analyzeSource(
      join(REPO, 'test/fixtures/loops/08-prefix-sum.ts'),
      readFileSync(join(REPO, 'test/fixtures/loops/08-prefix-sum.ts'), 'utf8'),
    ).loops.find((l) => l.kernel)!.kernel!;
    const r = await planScaffold(request(workspace(), { kernel: scan, target: 'worker' }));
    assert.ok(!r.ok);
    assert.match(r.reason, /parallel/);
  });
});

describe('a generated folder builds and checks with only its README commands', () => {
  for (const target of ['wasm', 'worker'] as const) {
    test(`${target}: hotloop scaffold → README commands → npm run check`, async () => {
      const root = workspace();
      const src = join(root, 'src');
      mkdirSync(src);
      writeFileSync(join(src, 'sum.ts'), readFileSync(FIXTURE, 'utf8'));
      let out = '';
      let err = '';
      const sink = (fn: (s: string) => void) =>
        ({
          write: (s: string) => {
            fn(s);
            return true;
          },
        }) as unknown as NodeJS.WritableStream;
      const code = await scaffoldCommand.run([join(src, 'sum.ts'), '--target', target, '--root', root], {
        signal: new AbortController().signal,
        stdout: sink((s) => {
          out += s;
        }),
        stderr: sink((s) => {
          err += s;
        }),
      });
      assert.equal(code, 0, err);
      assert.match(out, /create\s+hotloop\/sum-/);
      const dir = join(root, 'hotloop', `sum-${target}`);
      const readme = readFileSync(join(dir, 'README.md'), 'utf8');
      const commands = /```sh\n([\s\S]*?)```/.exec(readme)![1]!.trim().split('\n');
      // One toolchain for every folder: installed once in hotloop/ (its package.json), none per folder.
      assert.deepEqual(commands, ['npm install --prefix ..', 'npm run build', 'npm run check']);
      const own = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        dependencies?: object;
        devDependencies?: object;
      };
      assert.equal(
        own.dependencies ?? own.devDependencies,
        undefined,
        'the folder declares no dependencies of its own',
      );
      for (const c of commands) {
        if (c === 'npm install --prefix ..') {
          // No network here: the toolchain's dependencies are all installed in the repo; link them.
          const pkg = JSON.parse(readFileSync(join(dir, '..', 'package.json'), 'utf8')) as {
            dependencies: object;
          };
          for (const dep of Object.keys(pkg.dependencies))
            assert.ok(existsSync(join(REPO, 'node_modules', dep)), dep);
          symlinkSync(join(REPO, 'node_modules'), join(dir, '..', 'node_modules'));
          continue;
        }
        execFileSync('sh', ['-c', c], { cwd: dir, stdio: 'pipe', encoding: 'utf8' });
      }
      assert.match(
        execFileSync('npm', ['run', '--silent', 'check'], { cwd: dir, encoding: 'utf8' }),
        /matches the original/,
      );
      // Imported from its source index.ts (as tsx/vitest resolve it), the wrapper still finds dist/'s build.
      process.env.HOTLOOP_STRICT = '1';
      try {
        const mod = (await import(pathToFileURL(join(dir, 'index.ts')).href)) as Record<
          string,
          (...a: unknown[]) => unknown
        >;
        const xs = Float64Array.from({ length: 100_000 }, (_, i) => i * 0.5);
        assert.equal(
          await mod.sum!(xs),
          xs.reduce((a, b) => a + b, 0),
        );
        if (target === 'wasm') assert.equal(mod.lastCallMode!(), 'copied');
        const close = Object.entries(mod).find(([n]) => n.startsWith('close'));
        if (close) await (close[1] as () => Promise<void>)();
      } finally {
        delete process.env.HOTLOOP_STRICT;
      }
      rmSync(root, { recursive: true, force: true });
    });
  }
});

describe('the wrapper falls back to the original with one warning', () => {
  for (const target of ['wasm', 'worker'] as const) {
    test(`${target}: missing build output → original results, exactly one HOTLOOP_FALLBACK warning`, async () => {
      const root = workspace();
      const p = await plan(request(root, { target, workerInlineBelowOps: 0 }));
      assert.ok((await writeScaffold(p)).ok);
      symlinkSync(join(REPO, 'node_modules'), join(p.dir, 'node_modules'));
      // Compile the TypeScript only (no asc, and no shards.js): the fast path cannot load.
      for (const f of p.files.filter(
        (x) =>
          x.relative.endsWith('.ts') &&
          !x.relative.includes('assembly/') &&
          !x.relative.endsWith('shards.ts'),
      )) {
        writeFileSync(
          f.path.replace(/\.ts$/, '.js'),
          transformSync(f.contents, { loader: 'ts', format: 'esm' }).code,
        );
      }
      writeFileSync(join(p.dir, 'package.json'), '{ "type": "module" }\n');
      const warnings: string[] = [];
      const onWarning = (w: Error & { code?: string }): void => {
        if (w.code === 'HOTLOOP_FALLBACK') warnings.push(w.message);
      };
      process.on('warning', onWarning);
      try {
        const mod = (await import(pathToFileURL(join(p.dir, 'index.js')).href)) as Record<
          string,
          (xs: Float64Array) => number | Promise<number>
        >;
        const xs = Float64Array.from({ length: 1000 }, (_, i) => i * 0.5);
        const want = xs.reduce((a, b) => a + b, 0);
        assert.equal(await mod.sum!(xs), want);
        assert.equal(await mod.sum!(xs), want);
        await new Promise((r) => setTimeout(r, 50));
        assert.equal(warnings.length, 1, warnings.join('\n'));
        assert.match(warnings[0]!, new RegExp(`${target} fast path of sum is not used`));
        // HOTLOOP_STRICT=1 (tests, the folder's own check): the same fallback is an error, never silent.
        process.env.HOTLOOP_STRICT = '1';
        try {
          await assert.rejects(async () => {
            await mod.sum!(xs);
          }, /HOTLOOP_STRICT=1/);
        } finally {
          delete process.env.HOTLOOP_STRICT;
        }
        const close = Object.entries(mod).find(([n]) => n.startsWith('close'));
        if (close) await (close[1] as unknown as () => Promise<void>)();
      } finally {
        process.off('warning', onWarning);
        rmSync(root, { recursive: true, force: true });
      }
    });
  }
});
