// Scaffold path safety (issue 19): symbolic links must not carry a scaffold out of the workspace,
// and an over-long kernel name is a clear refusal instead of a raw ENAMETOOLONG.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { analyzeSource } from '../../src/core/analysis/index.js';
import type { Kernel } from '../../src/core/ir/types.js';
import { planScaffold, writeScaffold } from '../../src/core/scaffold/index.js';
import type { ScaffoldRequest } from '../../src/core/scaffold/index.js';
import { REPO } from './scaffoldHarness.js';

const FIXTURE = join(REPO, 'test/fixtures/loops/01-sum-for.ts');
const base = mkdtempSync(join(tmpdir(), 'hl-scaffold-safety-'));
after(() => {
  rmSync(base, { recursive: true, force: true });
});

function sumKernel(): Kernel {
  const loop = analyzeSource(FIXTURE, readFileSync(FIXTURE, 'utf8')).loops.find((l) => l.kernel);
  assert.ok(loop?.kernel);
  return loop.kernel;
}

function setup(name: string): { root: string; outside: string } {
  const root = join(base, name, 'ws');
  const outside = join(base, name, 'outside');
  mkdirSync(root, { recursive: true });
  mkdirSync(outside, { recursive: true });
  return { root, outside };
}

async function attempt(req: ScaffoldRequest): Promise<string> {
  const r = await planScaffold(req);
  if (!r.ok) return r.reason;
  const w = await writeScaffold(r.plan);
  return w.ok ? 'written' : w.reason;
}

describe('scaffold path safety', () => {
  const req = (root: string, over: Partial<ScaffoldRequest> = {}): ScaffoldRequest => ({
    kernel: sumKernel(),
    target: 'wasm',
    workspaceRoot: root,
    outputDir: 'hotloop',
    workspaceTrusted: true,
    ...over,
  });

  test('outputDir that is a symlink to a folder outside: refused, nothing written outside', async () => {
    const { root, outside } = setup('out-link');
    symlinkSync(outside, join(root, 'linkout'));
    const why = await attempt(req(root, { outputDir: 'linkout' }));
    assert.match(why, /outside the workspace .*symbolic link/);
    assert.deepEqual(readdirSync(outside), []);
  });

  test('a symlink at hotloop/<kernel>-<target> pointing outside: refused', async () => {
    const { root, outside } = setup('folder-link');
    mkdirSync(join(root, 'hotloop'));
    symlinkSync(outside, join(root, 'hotloop', `${sumKernel().name}-wasm`));
    const why = await attempt(req(root));
    assert.match(why, /outside the workspace/);
    assert.deepEqual(readdirSync(outside), []);
  });

  test('a symlink inside the workspace to another workspace folder is fine', async () => {
    const { root } = setup('inner-link');
    mkdirSync(join(root, 'real'));
    symlinkSync(join(root, 'real'), join(root, 'alias'));
    assert.equal(await attempt(req(root, { outputDir: 'alias' })), 'written');
    assert.ok(readdirSync(join(root, 'real')).length > 0);
  });

  test('a 300-character kernel name is refused with a clear message', async () => {
    const { root } = setup('long-name');
    const k = sumKernel();
    const why = await attempt(req(root, { kernel: { ...k, name: `k${'x'.repeat(299)}` } }));
    assert.match(why, /kernel name is 300 characters long; use at most 100/);
  });
});
