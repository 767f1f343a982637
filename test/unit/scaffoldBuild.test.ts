// Building scaffold folders with Hotloop itself (core/scaffold/build): a real native scaffold builds
// and its check passes; a missing compiler, missing dependencies, a C++ syntax error and no WebGPU
// adapter each give a clear result; aborting kills the whole build. One native folder is reused:
// the abort stops its first build part-way, then it builds for real, then it gets a syntax error.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  appendFileSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeSource } from '../../src/core/analysis/index.js';
import { planScaffold, writeScaffold } from '../../src/core/scaffold/index.js';
import type { TargetName } from '../../src/core/scaffold/index.js';
import { buildScaffold, detectScaffold, which } from '../../src/core/scaffold/build/index.js';
import { buildCommand } from '../../src/cli/build.js';
import { REPO } from './nativeBuild.js';

const FIXTURE = join(REPO, 'test/fixtures/loops/01-sum-for.ts');
let root = '';

/** Writes a scaffold of the fixture's sum loop (no CUDA flavour) and returns its folder. */
async function scaffold(target: TargetName): Promise<string> {
  const file = join(root, 'src/sum.ts');
  const loop = analyzeSource(file, readFileSync(file, 'utf8'), { rootDir: root }).loops.find(
    (l) => l.kernel,
  )!;
  const planned = await planScaffold({
    kernel: loop.kernel!,
    target,
    workspaceRoot: root,
    outputDir: 'hotloop',
    workspaceTrusted: true,
    cuda: false,
  });
  assert.ok(planned.ok, planned.ok ? '' : planned.reason);
  const written = await writeScaffold(planned.plan);
  assert.ok(written.ok);
  return planned.plan.dir;
}

interface Proc {
  pid: number;
  pgid: number;
  ppid: number;
  comm: string;
}
function processes(): Proc[] {
  // Zombies (state Z) have exited: an orphan's zombie waits for PID 1, which reaps lazily in some containers.
  return execFileSync('ps', ['-eo', 'pid=,pgid=,ppid=,stat=,comm='], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.trim())
    .flatMap((l) => {
      const [pid, pgid, ppid, stat, ...comm] = l.trim().split(/\s+/);
      return stat?.startsWith('Z')
        ? []
        : [{ pid: Number(pid), pgid: Number(pgid), ppid: Number(ppid), comm: comm.join(' ') }];
    });
}

function sink(fn: (s: string) => void): NodeJS.WritableStream {
  return {
    write: (s: string) => {
      fn(s);
      return true;
    },
  } as unknown as NodeJS.WritableStream;
}

before(() => {
  // Under a folder whose node_modules is the repo's: every dependency resolves, no `npm install`.
  root = mkdtempSync(join(tmpdir(), 'hotloop-build-'));
  mkdirSync(join(root, 'src'));
  writeFileSync(join(root, 'src/sum.ts'), readFileSync(FIXTURE, 'utf8'));
  symlinkSync(join(REPO, 'node_modules'), join(root, 'node_modules'));
});
after(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('building a native scaffold with buildScaffold', () => {
  let dir = '';
  before(async () => {
    dir = await scaffold('native');
  });

  test('the folder is recognised; other folders are refused with what to do', async () => {
    const found = detectScaffold(dir);
    assert.ok(found.ok);
    assert.equal(found.kind, 'native');
    assert.equal(found.kernel, 'sum');
    assert.ok(found.dependencies.includes('node-gyp'));
    const r = await buildScaffold(join(root, 'src'));
    assert.equal(r.ok, false);
    assert.equal(r.failure, 'not-a-scaffold');
    assert.match(r.reason!, /not a Hotloop scaffold folder \(no package\.json\).*Scaffold rewrite/);
    let err = '';
    assert.equal(
      await buildCommand.run([join(root, 'src')], {
        signal: new AbortController().signal,
        stdout: sink(() => undefined),
        stderr: sink((s) => {
          err += s;
        }),
      }),
      1,
    );
    assert.match(err, /not a Hotloop scaffold folder/);
    assert.equal(
      await buildCommand.run([], {
        signal: new AbortController().signal,
        stdout: sink(() => undefined),
        stderr: sink(() => undefined),
      }),
      2,
    );
  });

  test('without a C++ compiler on PATH: the clear prerequisite message, nothing runs', async () => {
    // A PATH with only node and npm (the compiler stays installed).
    const bin = mkdtempSync(join(tmpdir(), 'hotloop-bin-'));
    try {
      symlinkSync(realpathSync(process.execPath), join(bin, 'node'));
      symlinkSync(realpathSync(which('npm', process.env)!), join(bin, 'npm'));
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        PATH: bin,
        CXX: undefined,
        PYTHON: undefined,
        npm_config_python: undefined,
      };
      const r = await buildScaffold(dir, { env });
      assert.equal(r.ok, false);
      assert.equal(r.failure, 'prerequisites');
      assert.match(
        r.reason!,
        /a C\+\+ compiler \(g\+\+, c\+\+ or clang\+\+\), make, python3 are not on PATH/,
      );
      assert.match(r.reason!, /install build-essential \(apt install g\+\+ make python3\)/);
      assert.deepEqual(r.steps, []);
      assert.ok(!existsSync(join(dir, 'build')), 'nothing was built');
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });

  test('missing dependencies with install disabled: names them and says to run npm install', async () => {
    const bare = mkdtempSync(join(tmpdir(), 'hotloop-bare-'));
    try {
      // The folder and its shared toolchain (../package.json), without any node_modules.
      mkdirSync(join(bare, 'k'));
      for (const f of ['package.json', 'README.md']) copyFileSync(join(dir, f), join(bare, 'k', f));
      copyFileSync(join(dir, '..', 'package.json'), join(bare, 'package.json'));
      const r = await buildScaffold(join(bare, 'k'), { install: false });
      assert.equal(r.failure, 'prerequisites');
      assert.match(
        r.reason!,
        /node-addon-api, node-gyp-build, node-gyp, .* are not installed for .*node-gyp among them.*run `npm install` in .*hotloop-bare-\w+ \(the toolchain shared/,
      );
    } finally {
      rmSync(bare, { recursive: true, force: true });
    }
  });

  test('abort kills the build mid-compile and leaves no process behind', async () => {
    const controller = new AbortController();
    let group: number | undefined;
    let compiling: string[] = [];
    let output = '';
    const r = await buildScaffold(dir, {
      signal: controller.signal,
      onOutput: (text) => {
        output += text;
        if (group !== undefined || !/CXX\(target\)/.test(output)) return;
        // make has started the compiler: note the build's process group and what runs in it, then abort.
        const ps = processes();
        group = ps.find((p) => p.ppid === process.pid && p.pgid === p.pid)?.pgid;
        compiling = ps.filter((p) => p.pgid === group).map((p) => p.comm);
        controller.abort();
      },
    });
    assert.ok(group !== undefined, `the compile started (output: ${output.slice(-500)})`);
    assert.ok(
      compiling.some((c) => /make|g\+\+|cc1plus/.test(c)),
      `make or the compiler ran in the build's group: ${compiling.join(', ')}`,
    );
    assert.equal(r.ok, false);
    assert.equal(r.failure, 'cancelled');
    assert.equal(r.steps.at(-1)!.code, null);
    assert.deepEqual(
      processes().filter((p) => p.pgid === group),
      [],
      'no process of the build is left',
    );
  });

  test('a real build: the addon compiles, the check matches the original', async () => {
    let output = '';
    const started: string[] = [];
    const r = await buildScaffold(dir, {
      onOutput: (t) => {
        output += t;
      },
      onStep: (s) => started.push(s.args.join(' ')),
    });
    assert.ok(r.ok, r.reason);
    assert.equal(r.kind, 'native');
    assert.equal(r.checkPassed, true);
    assert.equal(r.fallback, undefined);
    // The scaffold's prebuildify script is not npm's "prebuild" hook: the addon compiles once, no prebuilds/.
    assert.deepEqual(
      r.steps.map((s) => [s.args.join(' '), s.code]),
      [
        ['install', null],
        ['run build', 0],
        ['run check', 0],
      ],
    );
    assert.match(r.steps[0]!.skipped!, /dependencies already resolve from .*node_modules/);
    assert.deepEqual(started, ['run build', 'run check']);
    assert.match(output, /CXX\(target\)/, 'compiler output is streamed');
    assert.equal(output.match(/CXX\(target\)/g)!.length, 1, 'compiled once');
    assert.ok(!existsSync(join(dir, 'prebuilds')), 'prebuildify did not run');
    assert.match(output, /check: sum matches the original/);
    assert.ok(existsSync(join(dir, 'build/Release/kernel.node')));
  });

  test("a C++ syntax error fails with the compiler's error line in the message", async () => {
    appendFileSync(join(dir, 'src/kernel.cc'), '\nstatic int hotloop_broken( { return 0; }\n');
    const r = await buildScaffold(dir);
    assert.equal(r.ok, false);
    assert.equal(r.failure, 'build');
    assert.equal(r.checkPassed, undefined);
    assert.match(
      r.reason!,
      /^npm run build in .* failed \(exit code \d+\)\.\nThe compiler said:\n {2}\S*kernel\.cc:\d+:\d+: error: /,
    );
    assert.match(r.reason!, /Last lines of the output:/);
    assert.deepEqual(
      r.steps.map((s) => s.args[1] ?? s.args[0]),
      ['install', 'build'],
      'the check does not run after a failed build',
    );
  });
});

test('a GPU scaffold: a build past its time limit is stopped; without a WebGPU adapter it builds and says its check ran the original JavaScript; a differing check fails', async (t) => {
  const dir = await scaffold('gpu');
  // Past its time limit a build is stopped and says so.
  const late = await buildScaffold(dir, { timeoutMs: 1 });
  assert.equal(late.failure, 'timeout');
  assert.match(late.reason!, /npm run build ran past the build's time limit \(1 ms\) and was stopped/);
  const r = await buildScaffold(dir, { env: { ...process.env, HOTLOOP_WEBGPU_BACKEND: 'off' } });
  assert.ok(r.ok, r.reason);
  assert.equal(r.kind, 'gpu');
  assert.equal(r.checkPassed, true);
  assert.match(r.fallback!, /no WebGPU device/);
  assert.ok(
    r.warnings.some((w) => /No WebGPU adapter here, so the check ran the original JavaScript/.test(w)),
    r.warnings.join('\n'),
  );
  // A fast path that disagrees with the original (here: the original changed) fails the check, saying so.
  const original = join(dir, 'original.ts');
  const text = readFileSync(original, 'utf8');
  const changed = text.replace(/return ([^;]+);(?![\s\S]*return )/, 'return ($1) + 1;');
  assert.notEqual(changed, text);
  writeFileSync(original, changed);
  const differs = await buildScaffold(dir);
  if (differs.fallback) {
    t.diagnostic(`no WebGPU adapter on this machine (${differs.fallback}): the shaders cannot disagree`);
    return;
  }
  assert.equal(differs.ok, false);
  assert.equal(differs.failure, 'check');
  assert.equal(differs.checkPassed, false);
  assert.match(
    differs.reason!,
    /^npm run check \(the gpu build gives other results than the original on the recorded inputs\) failed \(exit code 1\)\.[\s\S]*check: sum DIFFERS from the original/,
  );
});
