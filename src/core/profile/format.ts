// Text for people: a profile result as a short report (CLI), and the lens/tooltip phrases the
// extension shows ("41 % CPU · 2.1 M iter/s").
import { compact, pct } from '../format.js';
import type { LoopHeat, ProfileResult } from './types.js';

/** The heat segment of a loop's lens: "41 % CPU · 2.1 M iter/s" (or "waits 62 %" for an await loop). */
export function heatText(loop: LoopHeat, result: ProfileResult): string {
  const parts: string[] = [];
  if (result.verdict.kind === 'io-bound' && loop.waitMs > loop.totalMs) {
    const wall = result.outcome?.wallMs ?? result.totalMs;
    parts.push(`waits ${pct(Math.min(1, loop.waitMs / Math.max(1, wall)))}`);
  } else {
    parts.push(`${pct(loop.totalShare)} CPU`);
  }
  if (loop.iterationsPerSecond !== undefined) parts.push(`${compact(loop.iterationsPerSecond)} iter/s`);
  if (loop.threads.some((t) => t > 0))
    parts.push(loop.threads.length === 1 ? `worker ${loop.threads[0]}` : `threads ${loop.threads.join(',')}`);
  return parts.join(' · ');
}

/** A longer description of a loop's heat (hover / tooltip). */
export function heatDetail(loop: LoopHeat): string {
  const lines = [
    `self ${loop.selfMs.toFixed(1)} ms, with nested loops ${loop.totalMs.toFixed(1)} ms (${pct(loop.totalShare)} of CPU), with calls ${loop.inclusiveMs.toFixed(1)} ms`,
  ];
  if (loop.gcMs > 0.5) lines.push(`GC charged to it: ${loop.gcMs.toFixed(1)} ms`);
  if (loop.waitMs > 0.5) lines.push(`waiting (idle) after it: ${loop.waitMs.toFixed(1)} ms`);
  if (loop.shape) {
    lines.push(`${compact(loop.shape.iterations)} iterations over ${compact(loop.shape.entries)} entries`);
    for (const a of loop.shape.arrays)
      lines.push(
        `${a.name}: ${a.kind}${a.elementKind ? ` of ${a.elementKind}` : ''}, length ${a.minLength === a.maxLength ? a.minLength : `${a.minLength}…${a.maxLength}`}`,
      );
  }
  return lines.join('\n');
}

/** The CLI report. */
export function formatResult(r: ProfileResult): string {
  const out: string[] = [];
  out.push(
    `Profile of ${r.label} (${r.source === 'import' ? 'imported' : 'run'}, interval ${r.intervalUs} µs, ${(r.totalMs / 1000).toFixed(2)} s sampled)`,
  );
  if (r.outcome?.message) out.push(`! ${r.outcome.message}`);
  for (const w of r.warnings) out.push(`! ${w}`);
  const s = r.shares;
  out.push(
    `time: user ${pct(s.user)} · dependencies ${pct(s.dependency)} · node ${pct(s.node)} · GC ${pct(s.gc)} · idle ${pct(s.idle)} · program ${pct(s.program)}`,
  );
  out.push(`verdict: ${r.verdict.kind} — ${r.verdict.advice}`);
  out.push('', 'hot loops:');
  if (r.loops.length === 0) out.push('  (no sample landed in a loop)');
  for (const l of r.loops.slice(0, 10)) {
    out.push(
      `  ${l.file}:${l.range.start.line + 1}  ${l.functionName}  ${heatText(l, r)}  (self ${pct(l.selfShare)})  ${l.loopId}`,
    );
  }
  out.push('', 'hot functions:');
  for (const f of r.functions.filter((x) => x.category === 'user').slice(0, 8)) {
    out.push(
      `  ${f.file}:${f.line + 1}  ${f.functionName}  self ${pct(f.selfShare)} total ${pct(f.totalShare)}  cpu ${pct(f.cpuShare)} gc ${pct(f.gcShare)} idle ${pct(f.idleShare)}`,
    );
  }
  if (r.threads.length > 1)
    out.push(
      '',
      `threads: ${r.threads.map((t) => `${t.pid}/${t.threadId} (${t.userMs.toFixed(0)} ms user)`).join(', ')}`,
    );
  if (r.children.length)
    out.push(
      '',
      `child processes: ${r.children.map((c) => `${c.command}${c.profiled ? ' (profiled)' : ''}`).join('; ')}`,
    );
  if (r.shapesOverhead !== undefined)
    out.push('', `shapes pass overhead: ×${r.shapesOverhead.toFixed(2)} wall time`);
  return `${out.join('\n')}\n`;
}
