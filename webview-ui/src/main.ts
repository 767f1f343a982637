// The results webview (browser bundle dist/webview.js + dist/webview.css). Gets results as typed
// messages from the extension (or embedded JSON in the static HTML report), keeps them with setState
// so they survive hide/show and reload, and re-themes on VS Code theme changes.
import '@vscode/codicons/dist/codicon.css';
import './styles.css';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import type { BenchResult } from '../../src/core/bench/types.js';
import type { EmbeddedReport, HistoryEntry, ToWebview, WebviewState } from '../../src/protocol/messages.js';
import type { BeforeAfterComparison } from '../../src/core/profile/compare.js';
import { destroyComparisonCharts, renderComparison } from './beforeAfter.js';
import { renderLoopTabs } from './loopTabs.js';
import { renderMessage, renderResult } from './render.js';
import { onThemeChange, palette } from './theme.js';
import { vscodeApi } from './vscodeApi.js';

const api = vscodeApi();
const app = document.getElementById('app')!;
let current:
  | { result: BenchResult; history: readonly HistoryEntry[] }
  | { comparison: BeforeAfterComparison }
  /** The static report of several loops: a tab per loop. */
  | { results: readonly BenchResult[]; selected: number }
  | undefined;

function showComparison(comparison: BeforeAfterComparison): void {
  current = { comparison };
  renderComparison(app, comparison, { palette: palette() });
  document.body.dataset.hotloop = 'rendered';
}

function show(result: BenchResult, history: readonly HistoryEntry[]): void {
  current = { result, history };
  destroyComparisonCharts();
  renderResult(app, result, history, {
    palette: palette(),
    ...(api
      ? {
          post: (m) => {
            api.postMessage(m);
          },
        }
      : {}),
  });
  document.body.dataset.hotloop = 'rendered';
}

/** Every loop of a static `hotloop optimize` report, one tab each (the report has no history). */
function showLoops(results: readonly BenchResult[], selected: number): void {
  current = { results, selected };
  destroyComparisonCharts();
  renderLoopTabs(app, results, selected, (i, panel) => {
    current = { results, selected: i };
    renderResult(panel, results[i]!, [], { palette: palette() });
    document.body.dataset.loop = String(i);
  });
  document.body.dataset.hotloop = 'rendered';
}

function onMessage(msg: ToWebview): void {
  switch (msg.type) {
    case 'show':
      api?.setState({ version: 1, result: msg.result, history: msg.history });
      show(msg.result, msg.history);
      break;
    case 'comparison':
      api?.setState({ version: 1, comparison: msg.comparison });
      showComparison(msg.comparison);
      break;
    case 'progress':
      renderMessage(app, msg.message, 'progress', msg.fraction);
      break;
    case 'error':
      renderMessage(app, msg.message, 'error');
      break;
    default: {
      const never: never = msg;
      throw new Error(`unknown message ${JSON.stringify(never)}`);
    }
  }
}

window.addEventListener('message', (e: MessageEvent<ToWebview>) => {
  onMessage(e.data);
});
onThemeChange(() => {
  if (current) {
    if ('comparison' in current) showComparison(current.comparison);
    else if ('results' in current) showLoops(current.results, current.selected);
    else show(current.result, current.history);
  }
});

const state: WebviewState | undefined = api?.getState();
const embedded = document.getElementById('hotloop-data')?.textContent;
if (state?.comparison) {
  showComparison(state.comparison);
} else if (state?.result) {
  show(state.result, state.history ?? []);
} else if (embedded) {
  const data = JSON.parse(embedded) as EmbeddedReport;
  if (data.results && data.results.length > 1)
    showLoops(
      data.results,
      Math.max(
        0,
        data.results.findIndex((r) => r.id === data.result.id),
      ),
    );
  else show(data.result, data.history ?? []);
} else {
  app.replaceChildren();
  renderMessage(
    app,
    'No results yet: run “Hotloop: Benchmark…” or “Hotloop: Reproduce the Python-vs-C table”.',
    'info',
  );
  document.body.dataset.hotloop = 'empty';
}
api?.postMessage({ type: 'ready' });
