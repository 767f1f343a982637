// The tuned-JS target's folder end to end: `hotloop scaffold --target js` writes plain JavaScript
// (+ .d.ts) with no dependencies and no tsconfig; its README's commands (a copy to dist/, then the
// check against original.js) pass; `buildScaffold` builds it without installing anything and a
// changed original fails its check; `hotloop apply` rewrites a TS and a JS file to call it (a loop
// extracted from its function), the applied code gives the original's results bit for bit under
// HOTLOOP_STRICT=1 on number[] and Float64Array, and undo restores the files byte for byte.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { scaffoldCommand } from '../../src/cli/scaffold.js';
import { buildScaffold, detectScaffold } from '../../src/core/scaffold/build/index.js';
import { applyFile, undoApply } from '../../src/core/apply/engine.js';

const SUM =
  'export function sum(xs: Float64Array): number {\n  let s = 0;\n  for (let i = 0; i < xs.length; i++) s += xs[i];\n  return s;\n}\n';

const SPREAD = [
  'export const calls = [];',
  '',
  'export function spread(xs, k) {',
  '  if (xs.length === 0) return 0;',
  '  let acc = 0;',
  '  for (let i = 0; i < xs.length; i++) {',
  '    const d = xs[i] - 0.5;',
  '    acc += d * d * k;',
  '  }',
  '  calls.push(acc);',
  '  return Math.sqrt(acc / xs.length);',
  '}',
  '',
].join('\n');

const TS_SPREAD = SPREAD.replace('spread(xs, k)', 'spread(xs: number[], k: number): number').replace(
  'calls = []',
  'calls: number[] = []',
);

const sink = (fn: (s: string) => void): NodeJS.WritableStream =>
  ({
    write: (s: string) => {
      fn(s);
      return true;
    },
  }) as unknown as NodeJS.WritableStream;

function workspace(): string {
  return mkdtempSync(join(tmpdir(), 'hl-js-'));
}

type Mod = Record<string, (...a: unknown[]) => unknown>;

async function strictImport(path: string): Promise<Mod> {
  return (await import(`${pathToFileURL(path).href}?v=${Date.now()}`)) as Mod;
}

describe('the js target folder', () => {
  test('hotloop scaffold --target js → plain JS + .d.ts, README commands pass, no install, no tsconfig', async () => {
    const root = workspace();
    try {
      mkdirSync(join(root, 'src'));
      writeFileSync(join(root, 'src', 'sum.ts'), SUM);
      let err = '';
      const code = await scaffoldCommand.run(
        [join(root, 'src', 'sum.ts'), '--target', 'js', '--root', root],
        {
          signal: new AbortController().signal,
          stdout: sink(() => {}),
          stderr: sink((s) => {
            err += s;
          }),
        },
      );
      assert.equal(code, 0, err);
      const dir = join(root, 'hotloop', 'sum-js');
      const files = readdirSync(dir).sort();
      assert.deepEqual(files, [
        'README.md',
        'build.mjs',
        'check.d.ts',
        'check.js',
        'index.d.ts',
        'index.js',
        'locate.d.ts',
        'locate.js',
        'original.d.ts',
        'original.js',
        'package.json',
      ]);
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        scripts: Record<string, string>;
        dependencies?: object;
      };
      assert.equal(pkg.scripts.build, 'node build.mjs');
      assert.equal(pkg.dependencies, undefined);
      assert.match(
        readFileSync(join(dir, 'index.d.ts'), 'utf8'),
        /export declare function sum\(xs: Float64Array\): number;/,
      );
      assert.doesNotMatch(
        readFileSync(join(dir, 'index.js'), 'utf8'),
        /: Float64Array|: number\b/,
        'types erased',
      );
      const readme = readFileSync(join(dir, 'README.md'), 'utf8');
      const commands = /```sh\n([\s\S]*?)```/.exec(readme)![1]!.trim().split('\n');
      assert.deepEqual(commands, ['npm run build', 'npm run check']);
      for (const c of commands) execFileSync('sh', ['-c', c], { cwd: dir, stdio: 'pipe' });
      assert.match(
        execFileSync('npm', ['run', '--silent', 'check'], { cwd: dir, encoding: 'utf8' }),
        /check: sum matches the original/,
      );
      const detected = detectScaffold(dir);
      assert.equal(detected.ok && detected.kind, 'js');
      const built = await buildScaffold(dir, { sandbox: false });
      assert.ok(built.ok, built.reason);
      assert.equal(built.kind, 'js');
      assert.equal(built.checkPassed, true);
      assert.match(built.steps[0]!.skipped ?? '', /no dependencies|already resolve/);
      // Imported from the folder (as a TS importer's resolver lands) and from dist/ (a JS importer).
      for (const entry of [join(dir, 'index.js'), join(dir, 'dist', 'index.js')]) {
        const mod = await strictImport(entry);
        const typed = Float64Array.from({ length: 1001 }, (_, i) => Math.sin(i) * 1e3);
        const plain = Array.from(typed);
        const want = plain.reduce((a, b) => a + b, 0);
        assert.ok(Object.is(mod.sum!(typed), want));
        assert.ok(Object.is(mod.sum!(plain), want), 'a number[] runs the same code, unconverted');
        assert.ok(Object.is(mod.sum!(typed.subarray(1, 4)), typed[1]! + typed[2]! + typed[3]!));
      }
      // A fast path that disagrees with the original fails the check, saying so.
      const original = join(dir, 'original.js');
      writeFileSync(original, readFileSync(original, 'utf8').replace('return s;', 'return s + 1;'));
      const differs = await buildScaffold(dir, { sandbox: false });
      assert.equal(differs.ok, false);
      assert.equal(differs.failure, 'check');
      assert.match(differs.reason!, /check: sum DIFFERS from the original/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  for (const lang of ['ts', 'js'] as const) {
    test(`hotloop apply --target js on a ${lang} file: an extracted loop runs tuned JS bit for bit; undo restores it`, async () => {
      const root = workspace();
      try {
        writeFileSync(join(root, 'package.json'), '{ "type": "module" }\n');
        mkdirSync(join(root, 'src'));
        const file = join(root, 'src', `s.${lang}`);
        const text = lang === 'ts' ? TS_SPREAD : SPREAD;
        writeFileSync(file, text);
        writeFileSync(join(root, 'src', `orig.${lang}`), text);
        const applied = await applyFile({
          root,
          file,
          loopId: 'spread/0',
          target: 'js',
          outputDir: 'hotloop',
        });
        assert.ok(applied.ok, applied.ok ? '' : applied.reason);
        assert.equal(applied.scaffolded, true);
        const after = readFileSync(file, 'utf8');
        assert.match(
          after,
          new RegExp(`from '\\.\\./hotloop/spread_loop0-js/${lang === 'js' ? 'dist/' : ''}index\\.js'`),
        );
        const dir = join(root, applied.scaffoldDir);
        const built = await buildScaffold(dir, { sandbox: false });
        assert.ok(built.ok, built.reason);
        assert.ok(existsSync(join(dir, 'dist', 'index.js')));
        process.env.HOTLOOP_STRICT = '1';
        try {
          const fast = await strictImport(file);
          const slow = await strictImport(join(root, 'src', `orig.${lang}`));
          for (const n of [0, 1, 2, 7, 64, 1001]) {
            const xs = Array.from({ length: n }, (_, i) => (i % 13 === 5 ? NaN : Math.cos(i) * 10));
            const f64 = Float64Array.from(xs);
            for (const args of [
              [xs, 3],
              [f64, 3],
              [f64.subarray(1), -1],
              [xs, Infinity],
            ] as const) {
              assert.ok(Object.is(fast.spread!(...args), slow.spread!(...args)), `n=${n}`);
            }
          }
        } finally {
          delete process.env.HOTLOOP_STRICT;
        }
        const undone = await undoApply(root);
        assert.ok(undone.ok, undone.ok ? '' : undone.reason);
        assert.equal(readFileSync(file, 'utf8'), text);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    });
  }
});
