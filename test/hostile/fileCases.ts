// Hostile inputs for analyze, scaffold, apply and bench, run in a child of hostile.test.ts inside a
// scratch folder given as argv[2] (the workspace) with a sibling "outside" folder that must stay
// empty. One JSON line per case: {name, ok, detail}.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchCommand } from '../../src/cli/bench.js';
import type { CliContext } from '../../src/cli/command.js';
import { applyTextEdits, inverseTextEdits, planApply, textHash } from '../../src/core/advice/apply.js';
import { analyzePath, analyzeSource } from '../../src/core/analysis/index.js';
import type { Kernel } from '../../src/core/ir/types.js';
import { planScaffold, writeScaffold } from '../../src/core/scaffold/index.js';

const ws = process.argv[2]!;
const outside = process.argv[3]!;
let count = 0;
const emit = (name: string, ok: boolean, detail = ''): void => {
  count++;
  process.stdout.write(`${JSON.stringify({ name, ok, detail })}\n`);
};
const started = (name: string): void => void process.stderr.write(`case ${name}\n`);
const rng =
  (seed: number): (() => number) =>
  () =>
    (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
const GOOD =
  'export function s(a: number[]) { let t = 0; for (let i = 0; i < a.length; i++) t += a[i]; return t; }\n';

function nestedLoops(n: number): string {
  let src = 'export function f(a: number[]) { let s = 0;\n';
  for (let k = 0; k < n; k++) src += `for (let i${k} = 0; i${k} < 2; i${k}++)\n`;
  return `${src}s += a[0];\nreturn s; }\n`;
}

/** name → contents (string or bytes) of generated hostile source files. */
function analyzeFiles(): Map<string, string | Buffer> {
  const m = new Map<string, string | Buffer>();
  for (const d of [1, 2, 4, 8, 12, 16, 17, 20, 24, 27, 30, 40, 64, 100, 500])
    m.set(`loops-${d}.ts`, nestedLoops(d));
  for (const d of [10, 100, 250, 300, 301, 500, 1000, 5000, 20_000, 50_000]) {
    m.set(`parens-${d}.ts`, `export const x = ${'('.repeat(d)}1${')'.repeat(d)};\n`);
    m.set(`arrays-${d}.ts`, `export const x = ${'['.repeat(d)}1${']'.repeat(d)};\n`);
    m.set(`blocks-${d}.ts`, `export function f() { ${'{'.repeat(d)} ${'}'.repeat(d)} }\n`);
    m.set(`unclosed-${d}.ts`, `export const x = ${'('.repeat(d)}1;\n`);
  }
  for (const d of [100, 1000, 5000, 20_000]) {
    m.set(`ifs-${d}.ts`, `export function g(a: number) {\n${'if (a) '.repeat(d)}a++;\n}\n`);
    m.set(`plus-${d}.ts`, `export const z = 1${' + 1'.repeat(d * 10)};\n`);
    m.set(`arrows-${d}.ts`, `export const f = ${'() => '.repeat(d)}1;\n`);
    m.set(`ternary-${d}.ts`, `export const t = (a: number) => ${'a ? '.repeat(d)}1${' : 0'.repeat(d)};\n`);
  }
  for (let s = 0; s < 60; s++) {
    const r = rng(s + 1);
    m.set(`binary-${s}.ts`, Buffer.from(Array.from({ length: 200 + s * 97 }, () => Math.floor(r() * 256))));
    m.set(
      `mixed-${s}.ts`,
      Buffer.concat([
        Buffer.from(GOOD),
        Buffer.from(Array.from({ length: 64 }, () => Math.floor(r() * 256))),
      ]),
    );
  }
  m.set('bom.ts', `\uFEFF${GOOD}`);
  m.set('utf16le.ts', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(GOOD, 'utf16le')]));
  m.set('utf16be.ts', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(GOOD, 'utf16le').swap16()]));
  m.set('latin1.ts', Buffer.from(`// caf\xe9 na\xefve\n${GOOD}`, 'latin1'));
  m.set(
    'bad-utf8.ts',
    Buffer.concat([Buffer.from(GOOD), Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xf0, 0x28, 0x8c, 0xbc])]),
  );
  m.set('nul.ts', `${GOOD}\0\0\0`);
  m.set('crlf.ts', GOOD.replace(/\n/g, '\r\n'));
  m.set('cr.ts', GOOD.replace(/\n/g, '\r'));
  m.set('empty.ts', '');
  m.set('only-comment.ts', '// nothing\n/* nothing */');
  m.set('unterminated-string.ts', 'export const s = "abc');
  m.set('unterminated-template.ts', 'export const s = `abc ${1 + ');
  m.set('unterminated-comment.ts', '/* never closed');
  m.set('long-line.ts', `export const s = "${'x'.repeat(1_000_000)}";\n`);
  m.set(
    'many-loops.ts',
    Array.from({ length: 400 }, (_, i) => GOOD.replace('function s', `function s${i}`)).join(''),
  );
  m.set('big.ts', `export const a = [${'1,'.repeat(1_200_000)}];\n`);
  m.set('huge.ts', `export const a = [${'1,'.repeat(10_000_000)}];\n`);
  m.set('surrogates.ts', `export const s = "\ud800\udfff\ud800";\n${GOOD}`);
  return m;
}

async function analyzeFamily(): Promise<void> {
  const dir = join(ws, 'an');
  mkdirSync(dir, { recursive: true });
  const files = analyzeFiles();
  for (const [name, text] of files) writeFileSync(join(dir, name), text);
  const special: [string, () => void][] = [
    [
      'zero.ts',
      () => {
        symlinkSync('/dev/zero', join(dir, 'zero.ts'));
      },
    ],
    [
      'urandom.ts',
      () => {
        symlinkSync('/dev/urandom', join(dir, 'urandom.ts'));
      },
    ],
    [
      'null.ts',
      () => {
        symlinkSync('/dev/null', join(dir, 'null.ts'));
      },
    ],
    [
      'dangling.ts',
      () => {
        symlinkSync(join(dir, 'nope'), join(dir, 'dangling.ts'));
      },
    ],
    [
      'loop.ts',
      () => {
        symlinkSync(join(dir, 'loop.ts'), join(dir, 'loop.ts'));
      },
    ],
    ['fifo.ts', () => void spawnSync('mkfifo', [join(dir, 'fifo.ts')])],
    [
      'dir.ts',
      () => {
        mkdirSync(join(dir, 'dir.ts'));
      },
    ],
    [
      'unreadable.ts',
      () => {
        writeFileSync(join(dir, 'unreadable.ts'), GOOD);
        chmodSync(join(dir, 'unreadable.ts'), 0o000);
      },
    ],
  ];
  for (const [, make] of special) make();
  started('analyze folder');
  // The folder walk (symlinks and special entries are not followed) plus each special path given explicitly.
  const explicit = special.map(([n]) => join(dir, n)).filter((p) => !/dangling|loop\.ts|dir\.ts/.test(p));
  let out: Awaited<ReturnType<typeof analyzePath>>;
  try {
    out = await analyzePath([dir, ...explicit], { rootDir: dir });
  } catch (e) {
    emit('analyze folder', false, `threw ${String(e)}`);
    return;
  }
  // Issue 19's "done when": both end per file with a diagnostic, and the rest of the folder is analysed.
  const diag = (n: string): string => out.find((x) => x.file === n)?.diagnostics[0]?.message ?? '';
  const good = ['loops-1.ts', 'bom.ts', 'crlf.ts', 'many-loops.ts'].filter(
    (n) => (out.find((x) => x.file === n)?.loops.length ?? 0) > 0,
  );
  emit(
    'analyze folder with 500 nested loops and 50,000 nested parentheses: a diagnostic each, the others analysed',
    /nested 500 deep/.test(diag('loops-500.ts')) &&
      /nested 50000 deep/.test(diag('parens-50000.ts')) &&
      good.length === 4,
    `${diag('loops-500.ts')} | ${diag('parens-50000.ts')} | analysed: ${good.join(', ')}`,
  );
  for (const [name] of [...files, ...special]) {
    const f = out.find((x) => x.file === name);
    if (/dangling|loop\.ts|dir\.ts/.test(name)) {
      emit(`analyze ${name}`, !f || f.diagnostics.length > 0, f ? '' : 'not walked (fine)');
      continue;
    }
    if (name === 'unreadable.ts' && process.getuid?.() === 0) {
      emit(`analyze ${name} (root reads it)`, !!f);
      continue;
    }
    if (!f) {
      emit(`analyze ${name}`, false, 'missing from the results');
      continue;
    }
    const loopsOk =
      !/^(loops-(1|2|4|8|12|16)|bom|crlf|cr|many-loops|latin1|mixed-\d+)\.ts$/.test(name) ||
      f.loops.length > 0;
    const skipOk =
      !/^(zero|urandom|fifo|huge|big|unreadable|parens-(500|1000|5000|20000|50000)|loops-(17|20|24|27|30|40|64|100|500))\.ts$/.test(
        name,
      ) || f.diagnostics.length > 0;
    emit(
      `analyze ${name}`,
      loopsOk && skipOk,
      `${f.loops.length} loops; ${f.diagnostics
        .map((d) => d.message)
        .join(' | ')
        .slice(0, 160)}`,
    );
  }
}

function sumKernel(): Kernel {
  const k = analyzeSource('s.ts', GOOD).loops.find((l) => l.kernel)?.kernel;
  if (!k) throw new Error('no kernel');
  return k;
}

const empty = (d: string): boolean => readdirSync(d).length === 0;

async function scaffoldFamily(): Promise<void> {
  const k = sumKernel();
  const names = [
    '',
    '.',
    '..',
    '../x',
    'a/b',
    'a\\b',
    '/abs',
    'x'.repeat(300),
    'x'.repeat(101),
    '-dash',
    'con',
    'sp ace',
    'ü',
    '$ok',
    '_ok',
    'ok1',
    'new',
    'constructor',
    '__proto__',
    'a'.repeat(100),
  ];
  const outDirs = [
    'hotloop',
    '.',
    '..',
    '../outside',
    '/tmp',
    'a/../..',
    'link-out',
    'link-in',
    'link-out/x',
    'deep/a/b/c',
    'file.txt',
    'dangling',
    '',
    ' ',
  ];
  const targets = ['wasm', 'worker', 'native'] as const;
  let i = 0;
  for (const target of targets) {
    for (const name of names)
      for (const od of outDirs.slice(0, 4))
        await scaffoldCase(
          `scaffold ${target} name '${name.slice(0, 20)}' out '${od}'`,
          { ...k, name },
          target,
          od,
          i++,
        );
    for (const od of outDirs)
      for (const folder of [undefined, 'f', '..', 'link-out', `${k.name}-${target}`])
        await scaffoldCase(
          `scaffold ${target} out '${od}' folder '${folder ?? ''}'`,
          k,
          target,
          od,
          i++,
          folder,
        );
  }
}

async function scaffoldCase(
  name: string,
  kernel: Kernel,
  target: 'wasm' | 'worker' | 'native',
  outputDir: string,
  n: number,
  folderName?: string,
): Promise<void> {
  started(name);
  const root = join(ws, 'sc', String(n));
  mkdirSync(join(root, 'in'), { recursive: true });
  symlinkSync(outside, join(root, 'link-out'));
  symlinkSync(join(root, 'in'), join(root, 'link-in'));
  symlinkSync(join(root, 'nowhere'), join(root, 'dangling'));
  writeFileSync(join(root, 'file.txt'), 'x');
  mkdirSync(join(root, 'hotloop'), { recursive: true });
  symlinkSync(outside, join(root, 'hotloop', 'link-out'));
  try {
    const p = await planScaffold({
      kernel,
      target,
      workspaceRoot: root,
      outputDir,
      workspaceTrusted: true,
      ...(folderName !== undefined ? { folderName } : {}),
    });
    const w = p.ok ? await writeScaffold(p.plan) : undefined;
    const reason = !p.ok ? p.reason : w && !w.ok ? w.reason : '';
    emit(name, empty(outside) && (reason === '' || reason.length > 10), reason.slice(0, 160));
  } catch (e) {
    emit(name, false, `threw ${String(e)}`);
  }
}

function applyFamily(): void {
  const bodies = [
    GOOD,
    `import { x } from './x.js';\n${GOOD}`,
    `// header\n\n${GOOD}`,
    `/** doc */\n${GOOD}`,
  ];
  const prefixes = [
    '',
    '\uFEFF',
    '#!/usr/bin/env node\n',
    '\uFEFF#!/usr/bin/env node\n',
    '\uFEFF// c\n',
    '\n\n',
  ];
  for (const [bi, body] of bodies.entries()) {
    for (const [pi, prefix] of prefixes.entries()) {
      for (const crlf of [false, true]) {
        const name = `apply body ${bi} prefix ${pi} ${crlf ? 'crlf' : 'lf'}`;
        started(name);
        const text = crlf ? (prefix + body).replace(/\r?\n/g, '\r\n') : prefix + body;
        try {
          const loop = analyzeSource('src/s.ts', text).loops.find((l) => l.functionName === 's');
          if (!loop) {
            emit(name, false, 'no loop');
            continue;
          }
          const plan = planApply({
            text,
            fileName: 'src/s.ts',
            loop,
            expectedHash: textHash(text),
            wrapper: {
              importPath: '../hotloop/s-native/index.js',
              exportName: 's',
              target: 'native',
              async: false,
            },
          });
          if (!plan.ok) {
            emit(name, plan.reason.length > 10, plan.reason);
            continue;
          }
          const out = applyTextEdits(text, plan.edits);
          const back = applyTextEdits(out, inverseTextEdits(text, plan.edits));
          const bomOk =
            !text.startsWith('\uFEFF') || (out.indexOf('\uFEFF') === 0 && out.lastIndexOf('\uFEFF') === 0);
          const shebangOk =
            !text.replace(/^\uFEFF/, '').startsWith('#!') || out.replace(/^\uFEFF/, '').startsWith('#!');
          emit(
            name,
            back === text && bomOk && shebangOk,
            `${bomOk ? '' : 'BOM moved '}${shebangOk ? '' : 'shebang moved '}${back === text ? '' : 'inverse differs'}`,
          );
        } catch (e) {
          emit(name, false, `threw ${String(e)}`);
        }
      }
    }
  }
}

async function benchFamily(): Promise<void> {
  const opts = ['--n', '--samples', '--timeout', '--seed', '--max-n', '--calls', '--repeats'];
  const values = ['-5', '0', 'NaN', 'abc', '1e400', '-0', '', '--json', '-1e3', 'Infinity'];
  for (const o of opts) {
    for (const v of values) {
      const name = `bench ${o} '${v}'`;
      started(name);
      let err = '';
      const ctx = {
        signal: AbortSignal.timeout(20_000),
        stdout: { write: () => true },
        stderr: { write: (s: string) => ((err += s), true) },
      } as unknown as CliContext;
      try {
        const code = await benchCommand.run(
          ['--kernel', 'k', '--variant', `a=${join(ws, 'nope.js')}#f`, o, v, '--no-save'],
          ctx,
        );
        emit(name, code !== 0 && err.length > 0 && !/\n\s+at /.test(err), err.slice(0, 160));
      } catch (e) {
        const msg = e instanceof Error ? e.message : String(e);
        emit(name, msg.length > 10 && !/ambiguous/.test(msg), msg.slice(0, 160));
      }
    }
  }
}

async function main(): Promise<void> {
  const only = process.argv[4];
  if (!only || only === 'analyze') await analyzeFamily();
  if (!only || only === 'scaffold') await scaffoldFamily();
  if (!only || only === 'apply') applyFamily();
  if (!only || only === 'bench') await benchFamily();
  process.stderr.write(`done ${count}\n`);
}
void main();
