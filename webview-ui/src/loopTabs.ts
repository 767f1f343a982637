// The static HTML report of `hotloop optimize` with several loops: a tab per loop (its kernel, where it
// is, its winner and speedup) above the panel that shows the selected loop's result. Keyboard: the tabs
// are one tab stop; arrows, Home and End move between them (WAI-ARIA tabs, automatic activation).
import { fmtRatio } from '../../src/core/format.js';
import type { BenchResult } from '../../src/core/bench/types.js';
import { h } from './dom.js';

/** "native kernel 6.51×", or "original" when nothing beats the reference. */
export function winnerText(r: BenchResult): string {
  const label = r.variants.find((v) => v.id === r.winner)?.label ?? r.winner;
  const best = r.verdicts.find((v) => v.variant === r.winner);
  return r.winner === r.reference || !best
    ? `${label} (nothing faster)`
    : `${label} ${fmtRatio(best.ratio)}×`;
}

const place = (r: BenchResult): string | null =>
  r.source ? `${r.source.file.split(/[\\/]/).pop() ?? ''}:${r.source.line}` : null;

/**
 * Replaces the app's content with the tab list and a panel; `select(i, panel)` is called with the index
 * of the tab chosen (also for the initial `selected`) and renders that loop's result into the panel.
 */
export function renderLoopTabs(
  app: HTMLElement,
  results: readonly BenchResult[],
  selected: number,
  select: (i: number, panel: HTMLElement) => void,
): void {
  const panel = h('div', { id: 'loop-panel', role: 'tabpanel', tabindex: '0' });
  const tabs = results.map((r, i) =>
    h(
      'button',
      {
        type: 'button',
        role: 'tab',
        id: `loop-tab-${i}`,
        class: 'loop-tab',
        'aria-controls': 'loop-panel',
        'data-kernel': r.kernel,
        'aria-selected': i === selected ? 'true' : 'false',
        tabindex: i === selected ? '0' : '-1',
      },
      h('span', { class: 'loop-name' }, r.kernel),
      place(r) ? h('span', { class: 'muted' }, place(r)) : null,
      h(
        'span',
        { class: 'loop-winner' },
        h('span', { class: 'codicon codicon-star-full', 'aria-hidden': 'true' }),
        ` ${winnerText(r)}`,
      ),
    ),
  );
  const activate = (i: number, focus: boolean): void => {
    tabs.forEach((t, k) => {
      t.setAttribute('aria-selected', k === i ? 'true' : 'false');
      t.tabIndex = k === i ? 0 : -1;
    });
    panel.setAttribute('aria-labelledby', `loop-tab-${i}`);
    if (focus) tabs[i]!.focus();
    select(i, panel);
  };
  tabs.forEach((t, i) => {
    t.addEventListener('click', () => {
      activate(i, false);
    });
    t.addEventListener('keydown', (e) => {
      const to =
        e.key === 'ArrowRight' || e.key === 'ArrowDown'
          ? (i + 1) % tabs.length
          : e.key === 'ArrowLeft' || e.key === 'ArrowUp'
            ? (i - 1 + tabs.length) % tabs.length
            : e.key === 'Home'
              ? 0
              : e.key === 'End'
                ? tabs.length - 1
                : -1;
      if (to < 0) return;
      e.preventDefault();
      activate(to, true);
    });
  });
  app.replaceChildren(
    h(
      'nav',
      { class: 'loops', 'aria-label': 'Loops of this report' },
      h('p', { class: 'muted' }, `${results.length} loops benchmarked, hottest first:`),
      h('div', { role: 'tablist', 'aria-label': 'Loops' }, ...tabs),
    ),
    panel,
  );
  activate(selected, false);
}
