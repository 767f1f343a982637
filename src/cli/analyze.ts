// `hotloop analyze <file|dir…> [--json]`: every loop with its pattern or the reason it cannot be rewritten.
import { analyzePath } from '../core/analysis/index.js';
import type { FileAnalysis, LoopFacts } from '../core/analysis/types.js';
import type { CliCommand, CliContext } from './command.js';

const help = `usage: hotloop analyze <file|dir…> [--json]

Analyses TypeScript and JavaScript files (folders are walked, skipping node_modules, build output
and .gitignore'd paths) and lists every loop: where it is, what it does, and whether it can be
rewritten (its pattern) or not (the reason).

Devices, FIFOs and other non-regular files, files over the size cap and code nested too deeply
are skipped with a diagnostic; an error in one file is that file's diagnostic, the rest is analysed.

options:
  --json                  print {"schema": 1, "files": FileAnalysis[]} instead of a table
  --max-file-size-mb <n>  skip files larger than n MB (default 2)
  -h, --help              this help
`;

function verdictText(l: LoopFacts): string {
  const v = l.verdict;
  if (v.translatable) return `${v.pattern} · translatable${v.orderSensitive ? ' (order-sensitive)' : ''}`;
  return `not translatable (${v.code}) — ${v.reason}`;
}

/** The readable table: one row per loop, columns padded to the widest cell. */
export function formatTable(files: readonly FileAnalysis[]): string {
  const rows: string[][] = [['location', 'function', 'kind', 'verdict', 'arrays']];
  for (const f of files) {
    for (const l of f.loops) {
      const arrays = l.arrays.map((a) => `${a.name}: ${a.elementType}${a.written ? ' (w)' : ''}`).join(', ');
      rows.push([
        `${f.file}:${l.range.start.line + 1}`,
        `${'  '.repeat(l.depth)}${l.functionName}`,
        l.kind,
        verdictText(l),
        arrays || '—',
      ]);
    }
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const lines = rows.map((r) =>
    r
      .map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd(),
  );
  lines.splice(1, 0, widths.map((w) => '─'.repeat(w)).join('  '));
  const loops = files.flatMap((f) => f.loops);
  const ok = loops.filter((l) => l.verdict.translatable).length;
  lines.push(
    '',
    `${loops.length} loop(s) in ${files.length} file(s): ${ok} translatable, ${loops.length - ok} not.`,
  );
  for (const f of files) {
    for (const d of f.diagnostics)
      lines.push(`${d.file}${d.range ? `:${d.range.start.line + 1}` : ''}: ${d.severity}: ${d.message}`);
  }
  return `${lines.join('\n')}\n`;
}

async function run(args: readonly string[], ctx: CliContext): Promise<number> {
  let json = false;
  const paths: string[] = [];
  let maxFileBytes: number | undefined;
  for (let k = 0; k < args.length; k++) {
    const a = args[k]!;
    if (a === '--json') json = true;
    else if (a === '--max-file-size-mb' || a.startsWith('--max-file-size-mb=')) {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : args[++k];
      const n = Number(v);
      if (v === undefined || v.trim() === '' || !Number.isFinite(n) || n <= 0) {
        ctx.stderr.write(
          `hotloop analyze: --max-file-size-mb needs a positive number of MB, got ${v === undefined ? 'nothing' : `'${v}'`}\n`,
        );
        return 2;
      }
      maxFileBytes = n * 1024 * 1024;
    } else if (a === '-h' || a === '--help') {
      ctx.stdout.write(help);
      return 0;
    } else if (a.startsWith('-')) {
      ctx.stderr.write(`hotloop analyze: unknown option '${a}'\n\n${help}`);
      return 2;
    } else paths.push(a);
  }
  if (paths.length === 0) {
    ctx.stderr.write(`hotloop analyze: give at least one file or folder to analyse\n\n${help}`);
    return 2;
  }
  let files: FileAnalysis[];
  try {
    files = await analyzePath(paths, {
      rootDir: process.cwd(),
      signal: ctx.signal,
      ...(maxFileBytes !== undefined ? { maxFileBytes } : {}),
    });
  } catch (err) {
    ctx.stderr.write(`hotloop analyze: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
  if (json) ctx.stdout.write(`${JSON.stringify({ schema: 1, files })}\n`);
  else if (files.length === 0)
    ctx.stdout.write(`no TypeScript or JavaScript files found under ${paths.join(', ')}\n`);
  else ctx.stdout.write(formatTable(files));
  return 0;
}

export const analyzeCommand: CliCommand = {
  name: 'analyze',
  summary: 'list every loop with its pattern, or why it cannot be rewritten',
  run,
};
