// "Benchmark…" without arguments: pick the talk table or a benchmark spec that a scaffold (or the
// user) wrote as `hotloop/<kernel>/bench.json` (a BenchSpec with module paths relative to that file).
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import * as vscode from 'vscode';
import type { BenchSpec } from '../../core/bench/types.js';

/** Reads a bench.json, resolving variant module paths against its folder. */
export async function readSpecFile(file: string): Promise<BenchSpec> {
  const spec = JSON.parse(await readFile(file, 'utf8')) as BenchSpec;
  if (!Array.isArray(spec.variants) || typeof spec.kernel !== 'string' || typeof spec.n !== 'number') {
    throw new Error(`${file} is not a benchmark spec (needs kernel, n, args, variants)`);
  }
  const dir = dirname(file);
  return {
    ...spec,
    args: spec.args,
    variants: spec.variants.map((v: BenchSpec['variants'][number]) => ({
      ...v,
      module: v.module.startsWith('builtin:') || isAbsolute(v.module) ? v.module : resolve(dir, v.module),
    })),
  };
}

export async function pickBenchSpec(root: string | undefined): Promise<BenchSpec | 'talk' | undefined> {
  const files = root
    ? await vscode.workspace.findFiles('hotloop/*/bench.json', '**/node_modules/**', 200)
    : [];
  type Item = vscode.QuickPickItem & { readonly pick: 'talk' | vscode.Uri };
  const items: Item[] = [
    {
      label: '$(table) Reproduce the Python-vs-C table',
      description: 'sum, mean, var, std of 5,000 numbers × 100,000 calls',
      pick: 'talk',
    },
    ...files.map((f): Item => ({
      label: `$(dashboard) ${vscode.workspace.asRelativePath(f)}`,
      description: 'scaffolded variants',
      pick: f,
    })),
  ];
  const choice = await vscode.window.showQuickPick(items, {
    title: 'Hotloop: Benchmark…',
    placeHolder: files.length
      ? 'What to benchmark'
      : 'No hotloop/*/bench.json yet: scaffold a rewrite first, or run the talk table',
  });
  if (!choice) return undefined;
  return choice.pick === 'talk' ? 'talk' : readSpecFile(choice.pick.fsPath);
}
