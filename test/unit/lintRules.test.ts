// The boundaries the lint config enforces (eslint.config.mjs), checked on snippets: the engine is the
// extension's only door, the webview takes the protocol and the format module, commands go through
// the registry, and src/core never imports vscode. Each rule is shown to fire and to let the allowed form pass.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ESLint } from 'eslint';

const root = new URL('../..', import.meta.url).pathname;
// Under CI=true typescript-eslint builds each typed program once from the files on disk ("single
// run"), so a snippet linted as an existing file would be parsed as that file's disk text.
process.env.TSESTREE_SINGLE_RUN = 'false';
const eslint = new ESLint({ cwd: root });

/** Rule ids (or the message of a rule-less one, e.g. a parse error) that linting `code` as `file` reports. */
async function ruleIds(file: string, code: string): Promise<string[]> {
  let [r] = await eslint.lintText(code, { filePath: `${root}${file}` });
  // A fatal message means the snippet was not linted at all (the typed parser could not build its
  // program): lint it once more with a fresh instance, so the rules below are what gets tested.
  if (r?.messages.some((m) => m.fatal))
    [r] = await new ESLint({ cwd: root }).lintText(code, { filePath: `${root}${file}` });
  return (r?.messages ?? []).map((m) => m.ruleId ?? `${m.fatal ? 'fatal: ' : ''}${m.message}`);
}

/** Asserts `rule` is among `ids`, showing what was reported otherwise. */
function fires(ids: readonly string[], rule: string): void {
  assert.ok(ids.includes(rule), `expected ${rule}; reported: ${JSON.stringify(ids)}`);
}

test('src/extension: value import of an engine module fails, type import and allowlisted modules pass', async () => {
  const file = 'src/extension/commandIds.ts';
  fires(
    await ruleIds(
      file,
      "import { planScaffold } from './../core/scaffold/plan.js';\nexport const f = planScaffold;\n",
    ),
    '@typescript-eslint/no-restricted-imports',
  );
  assert.deepEqual(
    await ruleIds(
      file,
      "import type { ScaffoldPlan } from '../core/scaffold/types.js';\nexport type P = ScaffoldPlan;\n",
    ),
    [],
  );
  assert.deepEqual(
    await ruleIds(file, "import { pct } from '../core/format.js';\nexport const f = pct;\n"),
    [],
  );
  fires(
    await ruleIds(file, "import { analyzePath } from '../engine.js';\nexport const f = analyzePath;\n"),
    '@typescript-eslint/no-restricted-imports',
  );
});

test('src/extension: registering a command outside the registry fails', async () => {
  const code =
    "import * as vscode from 'vscode';\nexport const d = vscode.commands.registerCommand('hotloop.x', () => 1);\n";
  fires(await ruleIds('src/extension/commandIds.ts', code), 'no-restricted-syntax');
});

test('webview-ui: only the protocol and src/core/format.js as values', async () => {
  const file = 'webview-ui/src/theme.ts';
  fires(
    await ruleIds(
      file,
      "import { median } from '../../src/core/bench/stats.js';\nexport const f = median;\n",
    ),
    '@typescript-eslint/no-restricted-imports',
  );
  assert.deepEqual(
    await ruleIds(file, "import { fmtRatio } from '../../src/core/format.js';\nexport const f = fmtRatio;\n"),
    [],
  );
});

test('src/core never imports vscode', async () => {
  fires(
    await ruleIds(
      'src/core/format.ts',
      "import * as vscode from 'vscode';\nexport const v = vscode.version;\n",
    ),
    'no-restricted-imports',
  );
});

test('format: `npm run lint` runs prettier --check, which fails on an unformatted file and passes a formatted one', async () => {
  const { readFileSync } = await import('node:fs');
  const prettier = await import('prettier');
  const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { scripts: Record<string, string> };
  assert.match(pkg.scripts.lint ?? '', /prettier --check \./);
  const file = `${root}src/core/format.ts`;
  // The file is one `prettier --check .` looks at (not under .prettierignore), with the repo's config.
  const info = await prettier.getFileInfo(file, { ignorePath: `${root}.prettierignore` });
  assert.equal(info.ignored, false);
  const config = await prettier.resolveConfig(file);
  assert.equal(config?.printWidth, 110);
  const options = { ...config, filepath: file };
  const formatted = 'export const f = (a: number): string => `${a}`;\n';
  assert.equal(await prettier.check(formatted, options), true);
  const unformatted = 'export const f = (a:number):string=>`${a}`\n';
  assert.equal(await prettier.check(unformatted, options), false);
  // Past printWidth (110) the line must break; double quotes become single ones.
  const long = `export const s = ${JSON.stringify('x'.repeat(60))} + ${JSON.stringify('y'.repeat(60))};\n`;
  assert.equal(await prettier.check(long, options), false);
  assert.equal(await prettier.check(await prettier.format(long, options), options), true);
});
