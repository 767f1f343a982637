// The shared command line of `hotloop profile` and `hotloop compare`.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { DEFAULT_INTERVAL_US } from '../../src/core/profile/index.js';
import { parsedOrExit, parseRunArgs } from '../../src/cli/runArgs.js';
import type { OwnOption, RunArgs } from '../../src/cli/runArgs.js';

const none: OwnOption = () => false;

describe('CLI run arguments', () => {
  test('a file with its own arguments after --, and the common options', () => {
    const p = parseRunArgs(
      ['--root', 'ws', '--interval', '500', '--timeout', '9', '--json', 'main.ts', '--', 'a', '--b'],
      none,
    ) as RunArgs;
    assert.deepEqual(p, {
      root: resolve('ws'),
      interval: 500,
      timeoutS: 9,
      json: true,
      verbose: false,
      target: { kind: 'file', file: 'main.ts', args: ['a', '--b'] },
    });
    assert.equal((parseRunArgs(['x.js'], none) as RunArgs).interval, DEFAULT_INTERVAL_US);
  });

  test('--script, --npm, and --command only where the command allows it', () => {
    assert.deepEqual((parseRunArgs(['--script', 's.js', '--', '1'], none) as RunArgs).target, {
      kind: 'script',
      file: 's.js',
      args: ['1'],
    });
    assert.deepEqual((parseRunArgs(['--npm', 'bench'], none) as RunArgs).target, {
      kind: 'npm',
      script: 'bench',
      args: [],
    });
    assert.deepEqual(
      (parseRunArgs(['--verbose', '--command', 'make', '-j2', '--', 'x'], none, { command: true }) as RunArgs)
        .target,
      { kind: 'command', command: ['make', '-j2', 'x'] },
    );
    assert.equal(parseRunArgs(['--command', 'make'], none), 'unknown option --command');
    assert.equal(
      parseRunArgs(['--command'], none, { command: true }),
      '--command needs the program and its arguments',
    );
  });

  test('bad usage is a message, not a throw', () => {
    assert.equal(parseRunArgs(['--root'], none), '--root needs a value');
    assert.equal(parseRunArgs(['--bogus'], none), 'unknown option --bogus');
    assert.equal(
      parseRunArgs(['a.ts', 'b.ts'], none),
      "unexpected argument b.ts (pass the target's own arguments after --)",
    );
    assert.equal(
      parseRunArgs(['--interval', '0', 'a.ts'], none),
      '--interval and --timeout must be positive numbers',
    );
    assert.equal(
      parseRunArgs(['--timeout', 'soon', 'a.ts'], none),
      '--interval and --timeout must be positive numbers',
    );
  });

  test("a command's own options come first and may take a value", () => {
    const seen: string[] = [];
    const own: OwnOption = (name, value) => {
      if (name === '--runs') {
        seen.push(`runs=${value()}`);
        return true;
      }
      if (name === '--flag') {
        seen.push('flag');
        return true;
      }
      return false;
    };
    const p = parseRunArgs(['--runs', '7', '--flag', 'm.ts'], own) as RunArgs;
    assert.deepEqual(seen, ['runs=7', 'flag']);
    assert.equal(p.target?.kind, 'file');
    assert.equal(parseRunArgs(['--runs'], own), '--runs needs a value');
  });

  test('--help prints the help (0); a usage error prints it to stderr (2)', () => {
    const out: string[] = [];
    const err: string[] = [];
    const ctx = {
      signal: new AbortController().signal,
      stdout: { write: (s: string) => out.push(s) },
      stderr: { write: (s: string) => err.push(s) },
    } as never;
    const parse = (a: readonly string[]): RunArgs | string => parseRunArgs(a, none);
    assert.equal(parsedOrExit('profile', 'HELP\n', ['x.ts', '-h'], ctx, parse), 0);
    assert.deepEqual(out, ['HELP\n']);
    assert.equal(parsedOrExit('profile', 'HELP\n', ['--nope'], ctx, parse), 2);
    assert.deepEqual(err, ['hotloop profile: unknown option --nope\n\nHELP\n']);
    assert.equal((parsedOrExit('profile', 'HELP\n', ['x.ts'], ctx, parse) as RunArgs).target?.kind, 'file');
  });
});
