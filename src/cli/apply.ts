// `hotloop apply`: point a function (or an extracted loop) at its scaffolded rewrite, with the same
// engine as the VS Code command (src/core/apply/engine.ts); --dry-run prints the unified diff,
// --undo restores the newest applied file byte for byte from its reverse patch under .hotloop/apply/,
// --all applies every scaffold folder whose strict check passes and whose last benchmark wins (of a
// loop's several winning folders, only the fastest).
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { applyFile, undoApply } from '../core/apply/engine.js';
import { selectForAll } from '../core/apply/all.js';
import { defaultSettings } from '../core/settings.js';
import { targetNames } from '../core/scaffold/index.js';
import type { TargetName } from '../core/scaffold/index.js';
import type { CliCommand, CliContext } from './command.js';

const HELP = `usage:
  hotloop apply FILE --loop ID --target T [--dry-run]
  hotloop apply --all [--dry-run]
  hotloop apply --undo [ID]

Replaces the function around the loop with a call to its scaffolded wrapper (scaffolding it first
when its folder is missing). A loop that is only part of its function is extracted into its own
function first (live-ins as parameters, the live-out returned), and that function calls the wrapper.
A reverse patch is saved under .hotloop/apply/; --undo restores the file byte for byte.

options:
  --target T     ${targetNames().join(' | ')}
  --loop ID      the loop id from \`hotloop analyze\` (or its #function/k tail)
  --function F   the first translatable loop of function F
  --all          every scaffold folder whose check passes (HOTLOOP_STRICT=1) and whose last benchmark wins;
                 of several winning targets of one loop, only the one measured fastest
  --undo [ID]    undo the newest apply (or the one with that id)
  --root DIR     workspace root (default: the current folder)
  --out DIR      scaffold folder relative to the root (default: ${defaultSettings['scaffold.outputDir']})
  --dry-run      print the unified diff, write nothing
`;

async function applyAll(root: string, out: string, dryRun: boolean, ctx: CliContext): Promise<number> {
  const picks = await selectForAll(root, out, ctx.signal);
  if (!picks.length) {
    ctx.stdout.write(`no scaffold folders under ${join(root, out)}\n`);
    return 0;
  }
  let failed = 0;
  for (const p of picks) {
    if (!p.apply) {
      ctx.stdout.write(`skip   ${p.dir}: ${p.why}\n`);
      continue;
    }
    const c = p.candidate;
    const r = await applyFile({
      root,
      file: resolve(root, c.file),
      loopId: c.loopId,
      target: c.target,
      outputDir: out,
      dryRun,
      scaffold: false,
    });
    if (!r.ok) {
      failed++;
      ctx.stderr.write(`fail   ${c.dir}: ${r.reason}\n`);
      continue;
    }
    ctx.stdout.write(`${dryRun ? 'would apply' : 'applied'} ${c.dir}: ${r.summary}\n${dryRun ? r.diff : ''}`);
  }
  return failed ? 1 : 0;
}

export const applyCommand: CliCommand = {
  name: 'apply',
  summary: 'replace a loop by a call to its scaffolded rewrite (with --undo and --dry-run)',
  async run(argv, ctx) {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        target: { type: 'string' },
        loop: { type: 'string' },
        function: { type: 'string' },
        all: { type: 'boolean' },
        undo: { type: 'boolean' },
        root: { type: 'string' },
        out: { type: 'string' },
        'dry-run': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      ctx.stdout.write(HELP);
      return 0;
    }
    const root = resolve(values.root ?? '.');
    const out = values.out ?? defaultSettings['scaffold.outputDir'];
    const dryRun = values['dry-run'] ?? false;
    if (values.undo) {
      const r = await undoApply(root, positionals[0]);
      if (!r.ok) {
        ctx.stderr.write(`hotloop apply: ${r.reason}\n`);
        return 1;
      }
      ctx.stdout.write(`restored ${r.file} (undid ${r.id})\n`);
      return 0;
    }
    if (values.all) return applyAll(root, out, dryRun, ctx);
    const target = values.target as TargetName | undefined;
    if (!positionals[0] || !target || !targetNames().includes(target)) {
      ctx.stderr.write(HELP);
      return 2;
    }
    const r = await applyFile({
      root,
      file: resolve(positionals[0]),
      target,
      outputDir: out,
      dryRun,
      ...(values.loop ? { loopId: values.loop } : {}),
      ...(values.function ? { functionName: values.function } : {}),
    });
    if (!r.ok) {
      ctx.stderr.write(`hotloop apply: ${r.reason}\n`);
      return 1;
    }
    if (dryRun) {
      ctx.stdout.write(r.diff);
      return 0;
    }
    ctx.stdout.write(
      `${r.summary}${r.scaffolded ? ` (scaffolded ${r.scaffoldDir} first: build it with hotloop build ${r.scaffoldDir})` : ''}\nundo: hotloop apply --undo\n`,
    );
    return 0;
  },
};
