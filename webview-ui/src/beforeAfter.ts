// The "Before / after" view: did a rewrite help the whole program? Wall time before vs after (median,
// 95 % CI whiskers), the verdict sentence decided by the CI of the speedup, and each loop's share of
// the CPU before vs after; a table view under each chart. Theme colours; no inline styles (CSP).
import './beforeAfter.css';
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';
import { fmtRatio } from '../../src/core/format.js';
import type {
  BeforeAfterComparison,
  LoopDelta,
  LoopSide,
  SideSummary,
} from '../../src/core/profile/compare.js';
import { destroyCharts, whiskers } from './charts.js';
import { h, table } from './dom.js';
import type { Palette } from './theme.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);

const live: Chart[] = [];

/** Destroys the charts of this view (before any re-render). */
export function destroyComparisonCharts(): void {
  for (const c of live.splice(0)) c.destroy();
}

const ms = (x: number): string => `${x.toFixed(x >= 100 ? 0 : 1)} ms`;
const pct = (x: number): string => `${(x * 100).toFixed(x >= 0.095 ? 0 : 1)} %`;
const when = (iso: string): string => iso.slice(0, 19).replace('T', ' ');

const axis = (p: Palette, title: string) => ({
  ticks: { color: p.foreground },
  grid: { color: p.grid },
  border: { color: p.grid },
  title: { display: title !== '', text: title, color: p.foreground },
});

function wallChart(canvas: HTMLCanvasElement, c: BeforeAfterComparison, p: Palette): void {
  const sides = [c.before, c.after];
  const afterColour =
    c.speedup.verdict === 'faster' ? p.series[2]! : c.speedup.verdict === 'slower' ? p.error : p.series[0]!;
  live.push(
    new Chart(canvas, {
      type: 'bar',
      data: {
        labels: ['before', 'after'],
        datasets: [
          {
            label: 'median wall time, ms',
            data: sides.map((s) => s.wall.median),
            backgroundColor: [p.series[1]!, afterColour],
            borderColor: p.foreground,
            borderWidth: p.highContrast ? 1 : 0,
          },
        ],
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: 'y',
        color: p.foreground,
        plugins: { legend: { display: false }, tooltip: { enabled: true } },
        scales: {
          x: {
            ...axis(p, 'wall time of the whole run, ms (bar: median, whisker: 95 % CI)'),
            beginAtZero: true,
          },
          y: axis(p, ''),
        },
      },
      plugins: [
        whiskers(
          sides.map((s) => s.wall.ci),
          p.foreground,
        ),
      ],
    }),
  );
}

const loopLabel = (l: LoopDelta): string => `${l.functionName} (${l.file}:${l.line})`;

function sharesChart(canvas: HTMLCanvasElement, loops: readonly LoopDelta[], p: Palette): void {
  const share = (s?: LoopSide): number => 100 * (s?.totalShare ?? 0);
  live.push(
    new Chart(canvas, {
      type: 'bar',
      data: {
        labels: loops.map(
          (l) =>
            `${loopLabel(l)}${l.change === 'replaced' ? ' → call' : l.change === 'new' ? ' (new)' : l.change === 'gone' ? ' (gone)' : ''}`,
        ),
        datasets: [
          {
            label: 'before',
            data: loops.map((l) => share(l.before)),
            backgroundColor: p.series[1]!,
            borderColor: p.foreground,
            borderWidth: p.highContrast ? 1 : 0,
          },
          {
            label: 'after',
            data: loops.map((l) => share(l.after)),
            backgroundColor: p.series[0]!,
            borderColor: p.foreground,
            borderWidth: p.highContrast ? 1 : 0,
          },
        ],
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: 'y',
        color: p.foreground,
        plugins: { legend: { labels: { color: p.foreground } }, tooltip: { enabled: true } },
        scales: {
          x: { ...axis(p, '% of the run’s CPU time (with nested loops)'), beginAtZero: true },
          y: axis(p, ''),
        },
      },
    }),
  );
}

const CHANGE: Readonly<Record<LoopDelta['change'], string>> = {
  kept: 'same loop',
  replaced: 'loop gone — its function after',
  gone: 'gone',
  new: 'new',
};

const asTable = (t: HTMLTableElement): HTMLElement =>
  h('details', { class: 'table-view' }, h('summary', {}, 'Table view'), t);

function wallRow(name: string, s: SideSummary): string[] {
  return [
    name,
    ms(s.wall.median),
    s.wall.ci ? `${ms(s.wall.ci.low)} – ${ms(s.wall.ci.high)}` : 'n/a',
    ms(s.wall.mad),
    String(s.wall.runs.length),
    s.wall.runs.map((x) => x.toFixed(0)).join(', '),
    when(s.createdAt),
  ];
}

/** Renders a comparison into the app element (replacing what was there). */
export function renderComparison(
  app: HTMLElement,
  c: BeforeAfterComparison,
  ctx: { readonly palette: Palette },
): void {
  destroyCharts();
  destroyComparisonCharts();
  const v = c.speedup;
  const icon = v.verdict === 'faster' ? 'pass' : v.verdict === 'slower' ? 'warning' : 'circle-large-outline';
  const wall = h('canvas', {
    role: 'img',
    'aria-label': 'Median wall time of the whole run before and after, with 95 % confidence intervals',
  });
  const shares = h('canvas', {
    role: 'img',
    'aria-label': 'Share of CPU time of each loop before and after',
  });
  const loopRows = c.loops.map((l) => [
    loopLabel(l),
    CHANGE[l.change],
    l.before ? pct(l.before.totalShare) : '—',
    l.after ? pct(l.after.totalShare) : '—',
    l.before ? ms(l.before.totalMs) : '—',
    l.after ? ms(l.after.totalMs) : '—',
  ]);
  app.replaceChildren(
    h(
      'header',
      {},
      h('h1', {}, 'Before / after ', h('span', { class: 'muted' }, c.label)),
      h(
        'p',
        { class: 'muted machine' },
        `before: ${when(c.before.createdAt)} · after: ${when(c.after.createdAt)}`,
      ),
    ),
    h(
      'section',
      { class: 'summary', 'aria-labelledby': 'ba-summary-h' },
      h('h2', { id: 'ba-summary-h' }, 'Whole run'),
      h(
        'p',
        { class: `ba-verdict verdict ${v.verdict.replace(/ /g, '-')}`, id: 'ba-verdict' },
        h('span', { class: `codicon codicon-${icon}`, 'aria-hidden': 'true' }),
        ` ${v.text}`,
      ),
      h(
        'p',
        { class: 'muted' },
        `Wall time of the whole program, median of ${c.before.wall.runs.length} run(s) before and ${c.after.wall.runs.length} after${v.ci ? `; speedup = before ÷ after = ${fmtRatio(v.ratio)}×, 95 % bootstrap CI ${fmtRatio(v.ci.low)}–${fmtRatio(v.ci.high)}×` : ''}.`,
      ),
    ),
    h(
      'section',
      { 'aria-labelledby': 'ba-wall-h' },
      h('h2', { id: 'ba-wall-h' }, 'Wall time'),
      h('div', { class: 'chart ba-wall' }, wall),
      asTable(
        table(
          'Wall time of the whole run (median, 95 % CI, MAD, each run in ms)',
          ['side', 'median', '95 % CI', 'MAD', 'runs', 'each run', 'taken'],
          [wallRow('before', c.before), wallRow('after', c.after)],
        ),
      ),
    ),
    h(
      'section',
      { 'aria-labelledby': 'ba-loops-h' },
      h('h2', { id: 'ba-loops-h' }, 'Loops: share of CPU before vs after'),
      c.loops.length
        ? h('div', { class: 'chart ba-shares' }, shares)
        : h('p', { class: 'muted' }, 'No loop took 0.5 % or more of the CPU on either side.'),
      c.loops.length
        ? asTable(
            table(
              'Each loop’s share of its run’s CPU time and milliseconds (medians over the runs)',
              ['loop', 'change', 'share before', 'share after', 'ms before', 'ms after'],
              loopRows,
              2,
            ),
          )
        : null,
    ),
    c.notes.length
      ? h(
          'section',
          { 'aria-labelledby': 'ba-notes-h' },
          h('h2', { id: 'ba-notes-h' }, 'Notes'),
          h('ul', { class: 'ba-notes' }, ...c.notes.map((n) => h('li', {}, n))),
        )
      : '',
  );
  // The shares chart grows with the number of loops (a class per size step, not an inline style: CSP).
  shares.parentElement?.classList.add(`rows-${Math.min(10, Math.max(2, c.loops.length))}`);
  queueMicrotask(() => {
    wallChart(wall, c, ctx.palette);
    if (c.loops.length) sharesChart(shares, c.loops, ctx.palette);
  });
}
