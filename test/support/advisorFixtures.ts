// What the advisors' fixture tests share (io, zero-copy, layout, hashing, columnar): the fixture
// names of a folder, golden files (a mismatch writes `.actual`; UPDATE_GOLDENS=1 accepts it), the
// findings of a fixture checked against its `.golden.json`, and strict type-checking of rewrites.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const root = join(import.meta.dirname, '..', '..');

export type FixtureKind = 'positive' | 'negative';

/** The fixture files of `dir/kind` (letters only before the extension: not goldens or rewrites). */
export function fixtureNames(dir: string, kind: FixtureKind, pattern = /^[a-zA-Z]+\.(ts|js)$/): string[] {
  return readdirSync(join(dir, kind)).filter((f) => pattern.test(f));
}

/** Compares with a golden; a mismatch writes `.actual` beside it (UPDATE_GOLDENS=1 accepts it). */
export function golden(path: string, actual: string): void {
  const expected = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  if (process.env.UPDATE_GOLDENS === '1') writeFileSync(path, actual);
  else if (expected === actual) rmSync(`${path}.actual`, { force: true });
  else {
    writeFileSync(`${path}.actual`, actual);
    assert.fail(
      `${relative(root, path)} ${expected === undefined ? 'does not exist' : 'differs'}; wrote .actual`,
    );
  }
}

/** `analyse(kind, name)`: the fixture's text and findings, the findings' summary checked against its golden. */
export function fixtureAnalyser<F>(
  dir: string,
  advise: (path: string, text: string) => F[],
  summary: (f: F) => unknown,
): (kind: FixtureKind, name: string) => { text: string; findings: F[] } {
  return (kind, name) => {
    const path = join(dir, kind, name);
    const text = readFileSync(path, 'utf8');
    const findings = advise(path, text);
    golden(path.replace(/\.(ts|js)$/, '.golden.json'), `${JSON.stringify(findings.map(summary), null, 2)}\n`);
    return { text, findings };
  };
}

/** Diagnostics of `files` under strict + noUncheckedIndexedAccess (Node ESM, ES2023, @types/node by default). */
export function strictDiagnostics(files: readonly string[], options: ts.CompilerOptions = {}): string[] {
  const program = ts.createProgram(files, {
    strict: true,
    noUncheckedIndexedAccess: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2023.d.ts'],
    types: ['node'],
    ...options,
  });
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}
