// The results page: summary (winner, verdicts, correctness badges), time chart with CI whiskers, size
// sweep, marshalling vs compute, history, the talk table; a table view under every chart.
import { fmtInt, fmtRatio, fmtTime } from '../../src/core/format.js';
import type { BenchResult, VariantResult } from '../../src/core/bench/types.js';
import type { ExportFormat, FromWebview, HistoryEntry } from '../../src/protocol/messages.js';
import { breakdownChart, destroyCharts, historyChart, sweepChart, timeChart } from './charts.js';
import { ce, h, table } from './dom.js';
import type { Palette } from './theme.js';

export interface RenderContext {
  readonly palette: Palette;
  /** Undefined in the static HTML report: the actions are then hidden. */
  readonly post?: (m: FromWebview) => void;
}

function badge(v: VariantResult): HTMLElement {
  switch (v.correctness.status) {
    case 'ok':
      return h(
        'span',
        {
          class: 'badge ok',
          title: `max error ${v.correctness.maxError.toExponential(2)} ≤ tolerance ${v.correctness.tolerance.toExponential(2)}`,
        },
        h('span', { class: 'codicon codicon-pass', 'aria-hidden': 'true' }),
        ' correct',
      );
    case 'wrong':
      return h(
        'span',
        { class: 'badge wrong', title: v.correctness.detail },
        h('span', { class: 'codicon codicon-error', 'aria-hidden': 'true' }),
        ' WRONG',
      );
    case 'error':
      return h(
        'span',
        { class: 'badge failed', title: v.correctness.detail },
        h('span', { class: 'codicon codicon-warning', 'aria-hidden': 'true' }),
        ' failed',
      );
  }
}

function chartBox(label: string, tall = false): { box: HTMLElement; canvas: HTMLCanvasElement } {
  const canvas = h('canvas', { role: 'img', 'aria-label': label });
  return { box: h('div', { class: tall ? 'chart tall' : 'chart' }, canvas), canvas };
}

/** "Show as table" disclosure under a chart (open by default for screen-reader and keyboard users alike). */
const asTable = (t: HTMLTableElement): HTMLElement =>
  h('details', { class: 'table-view' }, h('summary', {}, 'Table view'), t);

function actions(r: BenchResult, post: (m: FromWebview) => void): HTMLElement {
  const button = (label: string, icon: string, msg: FromWebview, secondary = true): HTMLElement => {
    const b = ce('vscode-button', { icon, secondary, 'data-action': msg.type }, label);
    b.addEventListener('click', () => {
      post(msg);
    });
    return b;
  };
  const exp = (f: ExportFormat, label: string): HTMLElement =>
    button(label, 'export', { type: 'export', format: f, resultId: r.id });
  return h(
    'div',
    { class: 'actions', role: 'toolbar', 'aria-label': 'Result actions' },
    button('Re-run', 'debug-restart', { type: 'rerun', kernel: r.kernel, resultId: r.id }, false),
    r.source ? button('Open source', 'go-to-file', { type: 'openSource', location: r.source }) : null,
    exp('markdown', 'Markdown'),
    exp('csv', 'CSV'),
    exp('json', 'JSON'),
  );
}

function summary(r: BenchResult): HTMLElement {
  const winner = r.variants.find((v) => v.id === r.winner);
  const best = r.verdicts.find((v) => v.variant === r.winner);
  return h(
    'section',
    { class: 'summary', 'aria-labelledby': 'summary-h' },
    h('h2', { id: 'summary-h' }, 'Summary'),
    h(
      'p',
      { class: 'winner', id: 'winner' },
      h('span', { class: 'codicon codicon-star-full', 'aria-hidden': 'true' }),
      ` Winner: ${winner?.label ?? r.winner}`,
      best
        ? ` — ${fmtRatio(best.ratio)}× (95 % CI ${fmtRatio(best.ci.low)}–${fmtRatio(best.ci.high)}×)`
        : ' — nothing beats the reference significantly',
    ),
    h(
      'ul',
      { class: 'verdicts' },
      ...r.verdicts.map((v) => h('li', { class: `verdict ${v.verdict.replace(' ', '-')}` }, v.text)),
    ),
    h(
      'ul',
      { class: 'variants' },
      ...r.variants.map((v) =>
        h(
          'li',
          {},
          badge(v),
          ` ${v.label}`,
          h(
            'span',
            { class: 'muted' },
            ` · ${v.input === 'typed' ? 'typed array' : 'number[]'}${v.timing ? ` · ${fmtTime(v.timing.median)}/call${v.timing.noisy ? ' · noisy' : ''}` : ''}`,
          ),
          v.correctness.status !== 'ok'
            ? h('div', { class: 'detail' }, v.correctness.detail.split('\n')[0] ?? '')
            : null,
        ),
      ),
    ),
  );
}

function timeSection(r: BenchResult, ctx: RenderContext): HTMLElement {
  const timed = r.variants.filter((v) => v.timing);
  const { box, canvas } = chartBox('Median time per call of each variant with 95 % confidence intervals');
  const rows = timed.map((v) => {
    const t = v.timing!;
    const verdict = r.verdicts.find((x) => x.variant === v.id);
    return [
      v.label,
      fmtTime(t.median),
      `${fmtTime(t.ci.low)} – ${fmtTime(t.ci.high)}`,
      fmtTime(t.mad),
      fmtInt(t.batch),
      verdict
        ? `${fmtRatio(verdict.ratio)}× (${fmtRatio(verdict.ci.low)}–${fmtRatio(verdict.ci.high)})`
        : 'reference',
    ];
  });
  const section = h(
    'section',
    { 'aria-labelledby': 'time-h' },
    h('h2', { id: 'time-h' }, 'Time per call'),
    box,
    asTable(
      table(
        'Time per call (median, 95 % CI, MAD)',
        ['variant', 'median', '95 % CI', 'MAD', 'batch', 'speedup (95 % CI)'],
        rows,
      ),
    ),
  );
  queueMicrotask(() => {
    timeChart(canvas, r, ctx.palette);
  });
  return section;
}

function sweepSection(r: BenchResult, ctx: RenderContext): HTMLElement | null {
  if (!r.sweep) return null;
  const sweep = r.sweep;
  const { box, canvas } = chartBox('Time per call against input size, log-log, with crossover sizes', true);
  const rows = sweep.points.map((p) => [
    fmtInt(p.n),
    ...r.variants.map((v) => {
      const ns = p.ns[v.id];
      return ns === undefined ? '–' : fmtTime(ns);
    }),
    fmtTime(p.marshalNs),
  ]);
  const cross = Object.entries(sweep.crossover).map(([id, n]) =>
    h(
      'li',
      {},
      `${r.variants.find((v) => v.id === id)?.label ?? id}: ${n === null ? 'never faster in the measured range' : `faster from n = ${fmtInt(n)}`}`,
    ),
  );
  const section = h(
    'section',
    { 'aria-labelledby': 'sweep-h' },
    h('h2', { id: 'sweep-h' }, 'Size sweep'),
    box,
    h('ul', { class: 'crossovers' }, ...cross),
    asTable(
      table(
        'Median time per call by n',
        ['n', ...r.variants.map((v) => v.label), 'number[] → Float64Array'],
        rows,
      ),
    ),
  );
  queueMicrotask(() => {
    sweepChart(canvas, r, ctx.palette);
  });
  return section;
}

function breakdownSection(r: BenchResult, ctx: RenderContext): HTMLElement | null {
  const vs = r.variants.filter((v) => v.breakdown);
  if (vs.length === 0) return null;
  const { box, canvas } = chartBox('Marshalling and compute time per call');
  const rows = vs.map((v) => [
    v.label,
    fmtTime(v.breakdown!.marshalNs),
    fmtTime(v.breakdown!.computeNs),
    `${Math.round((100 * v.breakdown!.marshalNs) / (v.breakdown!.marshalNs + v.breakdown!.computeNs))} %`,
  ]);
  const section = h(
    'section',
    { 'aria-labelledby': 'bd-h' },
    h('h2', { id: 'bd-h' }, 'Marshalling vs compute'),
    box,
    asTable(
      table(
        'Marshalling vs compute per call',
        ['variant', 'marshalling', 'compute', 'marshalling share'],
        rows,
      ),
    ),
  );
  queueMicrotask(() => {
    breakdownChart(canvas, r, ctx.palette);
  });
  return section;
}

function historySection(history: readonly HistoryEntry[], ctx: RenderContext): HTMLElement | null {
  if (history.length < 2) return null;
  const labels = [...new Set(history.flatMap((e) => Object.keys(e.ns)))];
  const { box, canvas } = chartBox('Median time per call across previous runs');
  const rows = history.map((e) => [
    e.createdAt.slice(0, 19).replace('T', ' '),
    ...labels.map((l) => {
      const ns = e.ns[l];
      return ns === undefined ? '–' : fmtTime(ns);
    }),
  ]);
  const section = h(
    'section',
    { 'aria-labelledby': 'hist-h' },
    h('h2', { id: 'hist-h' }, 'History of this kernel'),
    box,
    asTable(table('Median per run', ['run', ...labels], rows)),
  );
  queueMicrotask(() => {
    historyChart(canvas, history, ctx.palette);
  });
  return section;
}

function talkSection(r: BenchResult): HTMLElement | null {
  const t = r.table;
  if (!t) return null;
  const rows = t.rows.map((row) => [
    row.op,
    ...t.columns.map((c, i) => {
      const ms = row.ms[c.id];
      if (ms === null || ms === undefined) return 'n/a';
      const ratio = row.ratio[c.id];
      return i === 0 ? `${fmtInt(ms)} ms` : `${fmtInt(ms)} ms (${ratio ? fmtRatio(ratio) : '–'}×)`;
    }),
  ]);
  return h(
    'section',
    { 'aria-labelledby': 'talk-h' },
    h('h2', { id: 'talk-h' }, 'The talk’s table'),
    h(
      'p',
      { class: 'muted' },
      `${fmtInt(t.n)} numbers × ${fmtInt(t.calls)} calls per cell; (ratio) = plain JS time ÷ this time, above 1 is faster.`,
    ),
    table('Milliseconds per operation and variant', ['operation', ...t.columns.map((c) => c.label)], rows),
    h('p', { class: 'lesson' }, h('strong', {}, 'Lesson: '), t.lesson),
  );
}

/** The replayed parameters and their source: `recorded` by the profile's shapes pass or `guessed`. */
function shapeLine(r: BenchResult): HTMLElement | string {
  const sh = r.shape;
  if (!sh) return '';
  const params = sh.params
    .map((p) =>
      p.kind === 'scalar' ? `${p.name} = ${p.value}` : `${p.name}: ${p.type}[${fmtInt(p.length)}]`,
    )
    .join(', ');
  const spread =
    sh.histogram && sh.histogram.length > 1
      ? ` · ${sh.histogram.map((b) => `${fmtInt(b.calls)} call(s) at [${b.params}] ${(b.workShare * 100).toFixed(0)} % of work`).join('; ')}`
      : '';
  return h(
    'p',
    { class: 'muted shape', 'data-shape-source': sh.source },
    `Shape (${sh.source}): ${params}${sh.note ? ` — ${sh.note}` : ''}${spread}`,
  );
}

/** Renders a result into the app element (replacing what was there). */
export function renderResult(
  app: HTMLElement,
  r: BenchResult,
  history: readonly HistoryEntry[],
  ctx: RenderContext,
): void {
  destroyCharts();
  app.replaceChildren(
    h(
      'header',
      {},
      h('h1', {}, `${r.kernel} `, h('span', { class: 'muted' }, `n = ${fmtInt(r.n)}`)),
      shapeLine(r),
      h(
        'p',
        { class: 'muted machine' },
        `${r.createdAt.slice(0, 19).replace('T', ' ')} · ${r.machine.cpu}, ${r.machine.cores} cores, ${r.machine.simd} · Node ${r.machine.node} (V8 ${r.machine.v8})`,
      ),
      ctx.post ? actions(r, ctx.post) : null,
    ),
    summary(r),
    talkSection(r) ?? '',
    timeSection(r, ctx),
    breakdownSection(r, ctx) ?? '',
    sweepSection(r, ctx) ?? '',
    historySection(history, ctx) ?? '',
    r.notes.length
      ? h(
          'section',
          { 'aria-labelledby': 'notes-h' },
          h('h2', { id: 'notes-h' }, 'Notes'),
          h('ul', {}, ...r.notes.map((n) => h('li', {}, n))),
        )
      : '',
  );
}

export function renderMessage(
  app: HTMLElement,
  text: string,
  kind: 'info' | 'error' | 'progress',
  fraction?: number,
): void {
  const el = h('div', { class: `message ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text);
  if (kind === 'progress' && fraction !== undefined)
    el.append(h('progress', { max: '1', value: String(fraction) }));
  const old = app.querySelector('.message');
  if (old) old.replaceWith(el);
  else app.prepend(el);
}
