// Imported .cpuprofile files, stored results (schema, reload, staleness), the shapes pass and the CLI.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importProfile, profileTarget } from '../../src/core/profile/index.js';
import { parseCpuProfile } from '../../src/core/profile/cpuprofile.js';
import {
  loadLatestProfile,
  loadProfiles,
  saveProfile,
  stampFiles,
  staleFiles,
} from '../../src/core/profile/store.js';
import type { ProfileResult } from '../../src/core/profile/types.js';
import { fixtureRoot, hotLine, hotLoop } from './profileHelpers.js';

function emptyResult(id: string, createdAt: string, sources: ProfileResult['sources']): ProfileResult {
  return {
    schema: 1,
    id,
    createdAt,
    label: 'x',
    source: 'run',
    intervalUs: 1000,
    totalMs: 1,
    shares: { user: 1, dependency: 0, node: 0, gc: 0, idle: 0, program: 0 },
    verdict: { kind: 'cpu-bound', cpuShare: 1, gcShare: 0, idleShare: 0, advice: '' },
    loops: [],
    functions: [],
    lines: {},
    threads: [],
    children: [],
    sources,
    warnings: [],
  };
}

describe('profile import, store, shapes', { concurrency: 2 }, () => {
  test('imports a node --cpu-prof profile (and the js-debug wrapper) and attributes it to the loop', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotloop-import-'));
    try {
      execFileSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, join(fixtureRoot, 'plain.js')], {
        env: { ...process.env, HOTLOOP_FIXTURE_ROUNDS: '400' },
        stdio: 'ignore',
      });
      const file = join(
        dir,
        readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))!,
      );
      const result = await importProfile(file, { root: fixtureRoot });
      assert.equal(result.source, 'import');
      assert.equal(result.loops[0]?.loopId, hotLoop(result, 'plain.js')?.loopId);
      assert.equal(result.loops[0]?.range.start.line, hotLine('plain.js'));
      const wrapped = join(dir, 'wrapped.json');
      writeFileSync(wrapped, JSON.stringify({ profile: JSON.parse(readFileSync(file, 'utf8')) as unknown }));
      const again = await importProfile(wrapped, { root: fixtureRoot });
      const [firstAgain] = again.loops;
      assert.equal(firstAgain?.range.start.line, hotLine('plain.js'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a file that is not a CPU profile gets a clear error', () => {
    assert.throws(() => parseCpuProfile('{"hello":1}', 'x.json'), /not a V8 CPU profile/);
    assert.throws(() => parseCpuProfile('nope', 'y.cpuprofile'), /not JSON/);
  });

  test('results are stored schema-versioned, reloaded newest first, stale once the file changes', () => {
    const root = mkdtempSync(join(tmpdir(), 'hotloop-store-'));
    try {
      writeFileSync(join(root, 'a.ts'), 'for (;;) {}\n');
      const sources = stampFiles(root, ['a.ts', 'gone.ts']);
      assert.deepEqual(
        sources.map((s) => s.file),
        ['a.ts'],
      );
      saveProfile(root, emptyResult('old', '2026-01-01T00:00:00.000Z', sources));
      saveProfile(root, emptyResult('new', '2026-02-01T00:00:00.000Z', sources));
      writeFileSync(
        join(root, '.hotloop', 'profiles', 'other-schema.json'),
        JSON.stringify({ schema: 99, id: 'z' }),
      );
      assert.deepEqual(
        loadProfiles(root).map((r) => r.id),
        ['new', 'old'],
      );
      const latest = loadLatestProfile(root)!;
      assert.deepEqual(staleFiles(root, latest), []);
      writeFileSync(join(root, 'a.ts'), 'for (;;) { break; }\n');
      assert.deepEqual(staleFiles(root, latest), ['a.ts']);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('shapes pass: trip counts and array kinds/lengths of the top loops, with its overhead', async () => {
    const result = await profileTarget(
      { kind: 'file', file: 'sequential.ts' },
      { root: fixtureRoot, shapes: true, env: { HOTLOOP_FIXTURE_ROUNDS: '40' } },
    );
    const loop = hotLoop(result, 'sequential.ts');
    assert.ok(loop?.shape, JSON.stringify(result.loops.map((l) => [l.loopId, l.shape])));
    assert.equal(loop.shape.iterations, 250_000 * 40);
    assert.equal(loop.shape.entries, 40);
    assert.deepEqual(
      loop.shape.arrays.find((a) => a.name === 'xs'),
      { name: 'xs', kind: 'Float64Array', minLength: 250_000, maxLength: 250_000 },
    );
    assert.ok(loop.iterationsPerSecond! > 1e5, String(loop.iterationsPerSecond));
    assert.ok(result.shapesOverhead! > 0.2 && result.shapesOverhead! < 20, String(result.shapesOverhead));
  });

  test('CLI: hotloop profile prints the hot loop and the verdict; --json is the result', () => {
    const out = execFileSync(
      process.execPath,
      [
        '--import',
        'tsx',
        join(import.meta.dirname, '..', '..', 'src', 'cli', 'main.ts'),
        'profile',
        '--root',
        fixtureRoot,
        '--no-save',
        '--json',
        'plain.js',
      ],
      { encoding: 'utf8', env: { ...process.env, HOTLOOP_FIXTURE_ROUNDS: '400' } },
    );
    const result = JSON.parse(out) as ProfileResult;
    assert.equal(result.loops[0]?.range.start.line, hotLine('plain.js'));
    const bad = (() => {
      try {
        execFileSync(
          process.execPath,
          [
            '--import',
            'tsx',
            join(import.meta.dirname, '..', '..', 'src', 'cli', 'main.ts'),
            'profile',
            '--bogus',
          ],
          { encoding: 'utf8', stdio: 'pipe' },
        );
        return 0;
      } catch (err) {
        return (err as { status: number }).status;
      }
    })();
    assert.equal(bad, 2);
  });
});
