// `hotloop scaffold`: write a worker or wasm rewrite of one translatable loop into the workspace
// (default `hotloop/<kernel>-<target>/`), with a preview (--dry-run) and without overwriting files
// of the user's unless --force.
import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { analyzeSource } from '../core/analysis/index.js';
import type { LoopFacts } from '../core/analysis/types.js';
import type { Kernel } from '../core/ir/types.js';
import { defaultSettings } from '../core/settings.js';
import { planScaffold, targetNames, writeScaffold } from '../core/scaffold/index.js';
import { hasNvcc } from '../core/scaffold/gpu/nvcc.js';
import type { TargetName } from '../core/scaffold/index.js';
import type { CliCommand } from './command.js';

const HELP = `usage:
  hotloop scaffold FILE --target js|wasm|worker|native|gpu [--loop ID | --function NAME] [options]
  hotloop scaffold --kernel KERNEL.json --target js|wasm|worker|native|gpu [options]

Writes <out>/<kernel>-<target>/ (kernel source, build files, README, original.ts, index.ts wrapper).
Files Hotloop generated before are updated; files of yours are never overwritten without --force.

options:
  --target T     ${targetNames().join(' | ')}
  --loop ID      the loop id from \`hotloop analyze\` (e.g. src/stats.ts#variance/0)
  --function F   the first translatable loop of function F
  --root DIR     workspace root (default: the current folder)
  --out DIR      output folder relative to the root (default: ${defaultSettings['scaffold.outputDir']})
  --dry-run      print the plan, write nothing
  --force        overwrite files without Hotloop's marker
  --json         print the plan/result as JSON
`;

function pickLoop(
  loops: readonly LoopFacts[],
  id: string | undefined,
  fn: string | undefined,
): LoopFacts | string {
  const candidates = loops.filter((l) => l.kernel);
  const list = (): string =>
    candidates.map((l) => `  ${l.id}  (${l.verdict.translatable ? l.verdict.pattern : ''})`).join('\n') ||
    '  (none)';
  if (id)
    return (
      candidates.find((l) => l.id === id) ?? `no translatable loop '${id}'; translatable loops:\n${list()}`
    );
  if (fn)
    return (
      candidates.find((l) => l.functionName === fn) ??
      `no translatable loop in function '${fn}'; translatable loops:\n${list()}`
    );
  if (candidates.length === 1) return candidates[0]!;
  return `${candidates.length ? 'several' : 'no'} translatable loops; pick one with --loop ID:\n${list()}`;
}

export const scaffoldCommand: CliCommand = {
  name: 'scaffold',
  summary: 'scaffold a worker or wasm rewrite of a loop',
  async run(argv, ctx) {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        target: { type: 'string' },
        loop: { type: 'string' },
        function: { type: 'string' },
        kernel: { type: 'string' },
        root: { type: 'string' },
        out: { type: 'string' },
        'dry-run': { type: 'boolean' },
        force: { type: 'boolean' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      ctx.stdout.write(HELP);
      return 0;
    }
    const target = values.target;
    if (!target || !targetNames().includes(target as TargetName) || (!positionals[0] && !values.kernel)) {
      ctx.stderr.write(HELP);
      return 2;
    }
    const root = resolve(values.root ?? '.');
    let kernel: Kernel;
    let source: { file: string; line: number; loopId: string } | undefined;
    if (values.kernel) {
      kernel = JSON.parse(await readFile(values.kernel, 'utf8')) as Kernel;
    } else {
      const file = resolve(positionals[0]!);
      const analysis = analyzeSource(file, await readFile(file, 'utf8'), { rootDir: root });
      const loop = pickLoop(analysis.loops, values.loop, values.function);
      if (typeof loop === 'string') {
        ctx.stderr.write(`hotloop scaffold: ${loop}\n`);
        return 1;
      }
      kernel = loop.kernel!;
      source = {
        file: relative(root, file).split('\\').join('/'),
        line: loop.range.start.line + 1,
        loopId: loop.id,
      };
    }
    const planned = await planScaffold({
      kernel,
      target: target as TargetName,
      workspaceRoot: root,
      outputDir: values.out ?? defaultSettings['scaffold.outputDir'],
      workspaceTrusted: true,
      source,
      cuda: target === 'gpu' && hasNvcc(),
    });
    if (!planned.ok) {
      ctx.stderr.write(`hotloop scaffold: ${planned.reason}\n`);
      return 1;
    }
    const plan = planned.plan;
    const summary = plan.files.map((f) => `  ${f.action.padEnd(9)} ${f.relative}`).join('\n');
    if (values['dry-run']) {
      ctx.stdout.write(
        values.json
          ? `${JSON.stringify({ dir: plan.dir, files: plan.files.map(({ relative: r, action }) => ({ path: r, action })), notes: plan.notes })}\n`
          : `${summary}\n`,
      );
      return 0;
    }
    const result = await writeScaffold(plan, { overwriteConflicts: values.force ?? false });
    if (!result.ok) {
      ctx.stderr.write(
        `hotloop scaffold: ${result.reason}\n${(result.conflicts ?? []).map((c) => `  conflict  ${c}\n`).join('')}`,
      );
      return 1;
    }
    if (values.json)
      ctx.stdout.write(
        `${JSON.stringify({ dir: plan.dir, written: result.written, skipped: result.skipped, notes: plan.notes })}\n`,
      );
    else {
      const rel = relative(process.cwd(), plan.dir);
      const cd = rel && !rel.startsWith('..') ? rel : plan.dir;
      ctx.stdout.write(
        `${summary}\n\nbuild and check it:\n  cd ${cd}\n${plan.commands.build
          .concat(plan.commands.check)
          .map((c) => `  ${c}`)
          .join('\n')}\n`,
      );
    }
    return 0;
  },
};
