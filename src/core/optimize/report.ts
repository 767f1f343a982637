// What `hotloop optimize` shows: the table (one row per loop × variant: CPU share, n, time, speedup
// with its 95 % CI, winner, wrong variants marked) and the HTML report — the results webview's own
// bundle (dist/webview.js + .css) inlined as data: URLs under the same strict CSP, with every loop's
// result embedded as JSON (a tab per loop), so the one file opens anywhere on its own.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fmtRatio, fmtTime, formatShare } from '../format.js';
import type { BenchResult } from '../bench/types.js';
import { webviewHtml } from '../../protocol/webviewHtml.js';
import type { OptimizeResult } from './pipeline.js';
import { replayText } from './shape.js';

function pad(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  const lines = rows.map((r) =>
    r
      .map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd(),
  );
  lines.splice(
    1,
    0,
    widths
      .map((w) => '─'.repeat(w))
      .join('  ')
      .trimEnd(),
  );
  return lines;
}

function variantCells(r: BenchResult): string[][] {
  return r.variants.map((v) => {
    const verdict = r.verdicts.find((p) => p.variant === v.id);
    const mark = v.id === r.winner && r.winner !== r.reference ? '★ winner' : '';
    if (v.correctness.status === 'wrong')
      return [
        v.label,
        'WRONG',
        `max error ${v.correctness.maxError.toPrecision(3)} > tolerance ${v.correctness.tolerance.toPrecision(3)}`,
        '',
      ];
    if (v.correctness.status === 'error')
      return [v.label, 'FAILED', v.correctness.detail.split('\n')[0]!.slice(0, 80), ''];
    const t = v.timing;
    if (!t) return [v.label, '–', '', ''];
    const speed =
      v.id === r.reference
        ? 'reference'
        : verdict
          ? `${fmtRatio(verdict.ratio)}× (${fmtRatio(verdict.ci.low)}–${fmtRatio(verdict.ci.high)}×)${verdict.verdict === 'no difference' ? ' no difference' : ''}`
          : '–';
    return [v.label, `${fmtTime(t.median)}${t.noisy ? ' (noisy)' : ''}`, speed, mark];
  });
}

/** The printed table. */
export function formatOptimizeTable(o: OptimizeResult): string {
  const lines: string[] = [];
  if (o.workload) lines.push(`workload: ${o.workload.kind} — ${o.workload.label} (from ${o.workload.from})`);
  if (o.profile) lines.push(`profile: ${o.profile.label}`);
  if (o.profileNote) lines.push(o.profileNote);
  if (o.loops.length === 0) {
    if (!o.profileNote) lines.push('No translatable loop to optimise was found.');
    return `${lines.join('\n')}\n`;
  }
  const rows: string[][] = [['loop', 'CPU', 'shape', 'variant', 'time/call', 'speedup (95 % CI)', '']];
  for (const l of o.loops) {
    const c = l.candidate;
    const head = [
      `${c.kernel.name} ${c.loop.file}:${c.loop.range.start.line + 1}`,
      c.share === undefined ? '–' : formatShare(c.share),
      replayText(l.replay),
    ];
    if (!l.result) {
      rows.push([...head, 'benchmark failed', '', l.error?.split('\n')[0] ?? '', '']);
      continue;
    }
    variantCells(l.result).forEach((cells, i) => rows.push([...(i === 0 ? head : ['', '', '']), ...cells]));
  }
  lines.push(...pad(rows));
  lines.push('');
  for (const l of o.loops) {
    const sh = l.replay.shape;
    if (sh.source === 'guessed')
      lines.push(`${l.candidate.kernel.name}: shape guessed — ${sh.note ?? 'no recording'}`);
    else if ((sh.histogram?.length ?? 0) > 1)
      lines.push(
        `${l.candidate.kernel.name}: recorded shapes ${sh.histogram!.map((b) => `[${b.params}] ${b.calls} call(s), ${(b.workShare * 100).toFixed(0)} % of the work`).join('; ')}`,
      );
  }
  for (const l of o.loops) {
    const r = l.result;
    if (!r) continue;
    const best = r.verdicts.find((v) => v.variant === r.winner);
    lines.push(
      `${r.kernel}: ${best ? best.text : 'nothing beats the original significantly'}${r.variants.some((v) => v.correctness.status === 'wrong') ? ' — WRONG variants are not ranked' : ''}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** The folder with the built webview bundle (dist/webview.js), next to this bundle or above the sources. */
export function findWebviewDist(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    for (const d of [dir, join(dir, 'dist')])
      if (existsSync(join(d, 'webview.js')) && existsSync(join(d, 'webview.css'))) return d;
    if (dirname(dir) === dir)
      throw new Error(
        `the results webview bundle (dist/webview.js) was not found above ${from}; build it with \`node esbuild.mjs\``,
      );
  }
}

const dataUrl = (mime: string, bytes: Buffer | string): string =>
  `data:${mime};base64,${Buffer.from(bytes).toString('base64')}`;

/** Page colours for outside VS Code (VS Code's Dark Modern values; VS Code itself injects its theme's). */
const DARK_THEME = `body{--vscode-font-family:system-ui,sans-serif;--vscode-font-size:13px;--vscode-foreground:#cccccc;--vscode-descriptionForeground:#9d9d9d;--vscode-editor-background:#1f1f1f;--vscode-panel-border:#2b2b2b;--vscode-editorWidget-border:#454545;--vscode-errorForeground:#f85149;--vscode-charts-blue:#3794ff;--vscode-charts-orange:#d18616;--vscode-charts-green:#89d185;--vscode-charts-purple:#b180d7;--vscode-charts-yellow:#cca700;--vscode-charts-red:#f14c4c;--vscode-charts-foreground:#cccccc;--vscode-textLink-foreground:#4daafc;--vscode-button-background:#0078d4;--vscode-button-foreground:#ffffff;--vscode-button-secondaryBackground:#313131;--vscode-button-secondaryForeground:#cccccc;--vscode-focusBorder:#0078d4;--vscode-textBlockQuote-background:#2b2b2b;--vscode-textBlockQuote-border:#616161;--vscode-testing-iconPassed:#73c991}\n`;

/**
 * The static report page of every loop of a run (hottest first), rendered by the webview bundle: the
 * first is embedded as `result`, all of them as `results`; with several the page shows a tab per loop.
 */
export function reportHtml(results: readonly BenchResult[], dist: string = findWebviewDist()): string {
  const result = results[0];
  if (!result) throw new Error('reportHtml needs at least one result');
  const nonce = randomBytes(16).toString('base64');
  let css = readFileSync(join(dist, 'webview.css'), 'utf8');
  // The codicon font (and anything else the stylesheet loads relatively) inlined as data: URLs.
  css = css.replace(
    /url\(["']?(?:\.\/)?([\w.-]+\.(?:ttf|woff2?))(?:\?[^"')]*)?["']?\)/g,
    (m, file: string) =>
      existsSync(join(dist, file)) ? `url("${dataUrl('font/ttf', readFileSync(join(dist, file)))}")` : m,
  );
  return webviewHtml({
    scriptUri: dataUrl('text/javascript', readFileSync(join(dist, 'webview.js'))),
    styleUri: dataUrl('text/css', DARK_THEME + css),
    cspSource: 'data:',
    nonce,
    data: { result, history: [], results },
    title: `Hotloop report: ${results.map((r) => r.kernel).join(', ')}`,
  });
}

/** Writes `file`, one page with every loop's result (hottest first). Returns the files written ([] without results). */
export async function writeReports(file: string, results: readonly BenchResult[]): Promise<string[]> {
  if (results.length === 0) return [];
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, reportHtml(results));
  return [file];
}
