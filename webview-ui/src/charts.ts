// The charts (Chart.js), themed with VS Code colours, no animation (stable screenshots), each with a
// table view built next to it by render.ts.
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  ScatterController,
  Tooltip,
  type ChartConfiguration,
  type Plugin,
} from 'chart.js';
import type { BenchResult, Interval } from '../../src/core/bench/types.js';
import type { HistoryEntry } from '../../src/protocol/messages.js';
import type { Palette } from './theme.js';

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  LinearScale,
  LogarithmicScale,
  LineController,
  LineElement,
  PointElement,
  ScatterController,
  Tooltip,
  Legend,
);

const live: Chart[] = [];

/** Destroys every chart (before a re-render: new result, new theme). */
export function destroyCharts(): void {
  for (const c of live.splice(0)) c.destroy();
}

function make(canvas: HTMLCanvasElement, config: ChartConfiguration): Chart {
  const c = new Chart(canvas, config);
  live.push(c);
  return c;
}

function base(p: Palette): Pick<ChartConfiguration, 'options'>['options'] {
  return {
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    color: p.foreground,
    plugins: { legend: { labels: { color: p.foreground } }, tooltip: { enabled: true } },
  };
}

const axis = (p: Palette, title: string, type: 'linear' | 'logarithmic' | 'category' = 'linear') => ({
  type,
  ticks: { color: p.foreground },
  grid: { color: p.grid },
  border: { color: p.grid },
  title: { display: true, text: title, color: p.foreground },
});

/** A log axis labelled only at powers of ten (1, 10, 100, 1k, …). */
const isPow10 = (v: number): boolean => v > 0 && Math.abs(v - 10 ** Math.round(Math.log10(v))) <= 1e-9 * v;

function logAxis(p: Palette, title: string) {
  const a = axis(p, title, 'logarithmic');
  return {
    ...a,
    // Grid lines only at powers of ten: the minor ones drown the data (high contrast especially).
    grid: {
      color: (c: { tick?: { value: number } }) => (c.tick && isPow10(c.tick.value) ? p.grid : 'transparent'),
    },
    ticks: {
      ...a.ticks,
      autoSkip: false,
      callback: (value: number | string): string => {
        const v = Number(value);
        const k = Math.round(Math.log10(v));
        if (!isPow10(v)) return '';
        return k >= 9
          ? `${10 ** (k - 9)}G`
          : k >= 6
            ? `${10 ** (k - 6)}M`
            : k >= 3
              ? `${10 ** (k - 3)}k`
              : String(v);
      },
    },
  };
}

/** Draws each bar's 95 % CI as a whisker with caps (horizontal bars, first dataset). */
export function whiskers(intervals: readonly (Interval | undefined)[], color: string): Plugin<'bar'> {
  return {
    id: 'ciWhiskers',
    afterDatasetsDraw(chart) {
      const meta = chart.getDatasetMeta(0);
      const x = chart.scales.x;
      if (!x) return;
      const ctx = chart.ctx;
      ctx.save();
      ctx.strokeStyle = color;
      ctx.lineWidth = 1.5;
      meta.data.forEach((bar, i) => {
        const ci = intervals[i];
        if (!ci) return;
        const y = bar.y;
        const x0 = x.getPixelForValue(ci.low);
        const x1 = x.getPixelForValue(ci.high);
        ctx.beginPath();
        ctx.moveTo(x0, y);
        ctx.lineTo(x1, y);
        ctx.moveTo(x0, y - 6);
        ctx.lineTo(x0, y + 6);
        ctx.moveTo(x1, y - 6);
        ctx.lineTo(x1, y + 6);
        ctx.stroke();
      });
      ctx.restore();
    },
  };
}

/** Median time per call of each correct variant, in µs, with its CI. */
export function timeChart(canvas: HTMLCanvasElement, r: BenchResult, p: Palette): void {
  const timed = r.variants.filter((v) => v.timing);
  const us = (ns: number): number => ns / 1000;
  make(canvas, {
    type: 'bar',
    data: {
      labels: timed.map((v) => v.label),
      datasets: [
        {
          label: 'median µs per call',
          data: timed.map((v) => us(v.timing!.median)),
          backgroundColor: timed.map((v) => (v.id === r.winner ? p.series[2]! : p.series[0]!)),
          borderColor: p.foreground,
          borderWidth: p.highContrast ? 1 : 0,
        },
      ],
    },
    options: {
      ...base(p),
      indexAxis: 'y',
      plugins: { legend: { display: false } },
      scales: {
        x: { ...axis(p, 'µs per call (bar: median, whisker: 95 % CI)'), beginAtZero: true },
        y: axis(p, '', 'category'),
      },
    },
    plugins: [
      whiskers(
        timed.map((v) => ({ low: us(v.timing!.ci.low), high: us(v.timing!.ci.high) })),
        p.foreground,
      ),
    ],
  });
}

/** Log-log ns per call against n, one line per variant, crossovers marked with triangles. */
export function sweepChart(canvas: HTMLCanvasElement, r: BenchResult, p: Palette): void {
  const sweep = r.sweep!;
  const measured = r.variants.filter((v) => sweep.points.some((pt) => pt.ns[v.id] !== undefined));
  const datasets: ChartConfiguration<'line'>['data']['datasets'] = measured.map((v, i) => ({
    label: v.label,
    data: sweep.points.filter((pt) => pt.ns[v.id] !== undefined).map((pt) => ({ x: pt.n, y: pt.ns[v.id]! })),
    borderColor: p.series[i % p.series.length]!,
    backgroundColor: p.series[i % p.series.length]!,
    pointRadius: 2,
  }));
  datasets.push({
    label: 'number[] → Float64Array (marshalling)',
    data: sweep.points.map((pt) => ({ x: pt.n, y: pt.marshalNs })),
    borderColor: p.muted,
    backgroundColor: p.muted,
    borderDash: [5, 4],
    pointRadius: 0,
  });
  const marks = Object.entries(sweep.crossover).flatMap(([id, n]) => {
    const pt = sweep.points.find((x) => x.n === n);
    return n !== null && pt?.ns[id] !== undefined ? [{ x: n, y: pt.ns[id] }] : [];
  });
  datasets.push({
    label: 'crossover',
    data: marks,
    showLine: false,
    pointStyle: 'triangle',
    pointRadius: 8,
    borderColor: p.error,
    backgroundColor: p.error,
  });
  make(canvas, {
    type: 'line',
    data: { datasets },
    options: {
      ...base(p),
      parsing: false,
      scales: { x: logAxis(p, 'n (elements)'), y: logAxis(p, 'ns per call') },
    },
  });
}

/** Marshalling vs compute per call, stacked, for variants that split the two. */
export function breakdownChart(canvas: HTMLCanvasElement, r: BenchResult, p: Palette): void {
  const vs = r.variants.filter((v) => v.breakdown);
  make(canvas, {
    type: 'bar',
    data: {
      labels: vs.map((v) => v.label),
      datasets: [
        {
          label: 'marshalling',
          data: vs.map((v) => v.breakdown!.marshalNs / 1000),
          backgroundColor: p.series[1]!,
        },
        {
          label: 'compute',
          data: vs.map((v) => v.breakdown!.computeNs / 1000),
          backgroundColor: p.series[0]!,
        },
      ],
    },
    options: {
      ...base(p),
      indexAxis: 'y',
      scales: {
        x: { ...axis(p, 'µs per call'), stacked: true },
        y: { ...axis(p, '', 'category'), stacked: true },
      },
    },
  });
}

/** Median per variant across previous runs of the same kernel. */
export function historyChart(canvas: HTMLCanvasElement, history: readonly HistoryEntry[], p: Palette): void {
  const labels = [...new Set(history.flatMap((e) => Object.keys(e.ns)))];
  make(canvas, {
    type: 'line',
    data: {
      labels: history.map((e) => e.createdAt.slice(0, 16).replace('T', ' ')),
      datasets: labels.map((l, i) => ({
        label: l,
        data: history.map((e) => (e.ns[l] === undefined ? null : e.ns[l] / 1000)),
        borderColor: p.series[i % p.series.length]!,
        backgroundColor: p.series[i % p.series.length]!,
        spanGaps: true,
      })),
    },
    options: {
      ...base(p),
      scales: { x: axis(p, 'run', 'category'), y: { ...axis(p, 'µs per call (median)'), beginAtZero: true } },
    },
  });
}
