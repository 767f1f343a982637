// Markdown and CSV renderings of a saved result (the webview shows the same figures).
import { fmtInt, fmtRatio, fmtTime } from '../format.js';
import type { BenchResult, TalkTable, VariantResult } from './types.js';

function status(v: VariantResult): string {
  switch (v.correctness.status) {
    case 'ok':
      return 'correct';
    case 'wrong':
      return `WRONG (${v.correctness.detail})`;
    case 'error':
      return `failed (${v.correctness.detail.split('\n')[0] ?? ''})`;
  }
}

const cell = (s: string): string => s.replace(/\|/g, '\\|');

export function talkTableMarkdown(t: TalkTable): string {
  const head = `| operation | ${t.columns.map((c) => `${cell(c.label)} (ms)`).join(' | ')} |`;
  const sep = `|---|${t.columns.map(() => '---:').join('|')}|`;
  const rows = t.rows.map((r) => {
    const cells = t.columns.map((c) => {
      const ms = r.ms[c.id];
      const ratio = r.ratio[c.id];
      if (ms === null || ms === undefined) return 'n/a';
      return c.id === t.columns[0]!.id ? fmtInt(ms) : `${fmtInt(ms)} (${ratio ? fmtRatio(ratio) : '–'}×)`;
    });
    return `| ${r.op} | ${cells.join(' | ')} |`;
  });
  return [
    `${fmtInt(t.n)} numbers × ${fmtInt(t.calls)} calls; (ratio) = plain JS time ÷ this time, > 1 is faster.`,
    '',
    head,
    sep,
    ...rows,
    '',
    `**Lesson.** ${t.lesson}`,
  ].join('\n');
}

export function toMarkdown(r: BenchResult): string {
  const lines = [
    `# Benchmark: ${r.kernel} (n = ${fmtInt(r.n)})`,
    '',
    `${r.createdAt} · ${r.machine.cpu}, ${r.machine.cores} cores, ${r.machine.simd}, Node ${r.machine.node} (V8 ${r.machine.v8}) · seed ${r.seed}`,
    '',
    `**Winner:** ${r.variants.find((v) => v.id === r.winner)?.label ?? r.winner}`,
    '',
    '| variant | input | correctness | median / call | 95 % CI | MAD | batch | noisy |',
    '|---|---|---|---:|---|---:|---:|---|',
    ...r.variants.map((v) => {
      const t = v.timing;
      return `| ${cell(v.label)} | ${v.input === 'typed' ? 'typed array' : 'number[]'} | ${cell(status(v))} | ${t ? fmtTime(t.median) : '–'} | ${t ? `${fmtTime(t.ci.low)}–${fmtTime(t.ci.high)}` : '–'} | ${t ? fmtTime(t.mad) : '–'} | ${t ? fmtInt(t.batch) : '–'} | ${t?.noisy ? 'yes' : ''} |`;
    }),
    '',
    ...r.verdicts.map((v) => `- ${v.text}`),
  ];
  const bd = r.variants.filter((v) => v.breakdown);
  if (bd.length) {
    lines.push('', '| variant | marshalling / call | compute / call |', '|---|---:|---:|');
    for (const v of bd)
      lines.push(
        `| ${cell(v.label)} | ${fmtTime(v.breakdown!.marshalNs)} | ${fmtTime(v.breakdown!.computeNs)} |`,
      );
  }
  if (r.sweep) {
    const ids = r.variants.map((v) => v.id);
    lines.push(
      '',
      '## Size sweep (median per call)',
      '',
      `| n | ${r.variants.map((v) => cell(v.label)).join(' | ')} | number[] → Float64Array |`,
      `|---:|${ids.map(() => '---:').join('|')}|---:|`,
    );
    for (const p of r.sweep.points)
      lines.push(
        `| ${fmtInt(p.n)} | ${ids.map((id) => (p.ns[id] === undefined ? '–' : fmtTime(p.ns[id]))).join(' | ')} | ${fmtTime(p.marshalNs)} |`,
      );
    lines.push(
      '',
      ...Object.entries(r.sweep.crossover).map(
        ([id, n]) =>
          `- crossover of ${r.variants.find((v) => v.id === id)?.label ?? id}: ${n === null ? 'never faster in the measured range' : `faster from n = ${fmtInt(n)}`}`,
      ),
    );
  }
  if (r.table) lines.push('', '## The talk’s table', '', talkTableMarkdown(r.table));
  if (r.notes.length) lines.push('', '## Notes', '', ...r.notes.map((n) => `- ${n}`));
  return lines.join('\n') + '\n';
}

const csvField = (s: string | number): string =>
  typeof s === 'number' ? String(s) : /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;

/** One row per variant: the figures in ns, plus the speedup and its CI where there is one. */
export function toCsv(r: BenchResult): string {
  const header = [
    'kernel',
    'n',
    'variant',
    'label',
    'input',
    'correctness',
    'median_ns',
    'ci_low_ns',
    'ci_high_ns',
    'mad_ns',
    'batch',
    'noisy',
    'speedup',
    'speedup_ci_low',
    'speedup_ci_high',
    'verdict',
  ];
  const rows = r.variants.map((v) => {
    const t = v.timing;
    const verdict = r.verdicts.find((x) => x.variant === v.id);
    return [
      r.kernel,
      r.n,
      v.id,
      v.label,
      v.input,
      v.correctness.status,
      t?.median ?? '',
      t?.ci.low ?? '',
      t?.ci.high ?? '',
      t?.mad ?? '',
      t?.batch ?? '',
      t ? String(t.noisy) : '',
      verdict?.ratio ?? '',
      verdict?.ci.low ?? '',
      verdict?.ci.high ?? '',
      verdict?.verdict ?? (v.id === r.reference ? 'reference' : ''),
    ].map(csvField);
  });
  return [header.join(','), ...rows.map((row) => row.join(','))].join('\n') + '\n';
}
