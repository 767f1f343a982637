// Shared by the profile tests and bench/profileAccuracy.ts: the fixture programs, each with its
// known hot loop (marked `// HOT`) and the CPU/IO verdict it must get.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Boundness, LoopHeat, ProfileResult } from '../../src/core/profile/types.js';

export const fixtureRoot = join(import.meta.dirname, '..', 'fixtures', 'profile');

export interface AccuracyFixture {
  readonly file: string;
  readonly verdict: Boundness;
}

/** The five programs of the accuracy check (sequential numeric, nested, IO-bound, mixed, GC-heavy). */
export const accuracyFixtures: readonly AccuracyFixture[] = [
  { file: 'sequential.ts', verdict: 'cpu-bound' },
  { file: 'nested.ts', verdict: 'cpu-bound' },
  { file: 'ioBound.ts', verdict: 'io-bound' },
  { file: 'mixed.ts', verdict: 'mixed' },
  { file: 'gcHeavy.ts', verdict: 'cpu-bound' },
];

/** Zero-based line of the `// HOT` marker of a fixture. */
export function hotLine(file: string): number {
  const lines = readFileSync(join(fixtureRoot, file), 'utf8').split('\n');
  const at = lines.findIndex((l) => l.includes('// HOT'));
  if (at < 0) throw new Error(`${file} has no // HOT marker`);
  return at;
}

/** The loop of a result that starts on the fixture's HOT line. */
export function hotLoop(result: ProfileResult, file: string): LoopHeat | undefined {
  const line = hotLine(file);
  return result.loops.find((l) => l.file === file && l.range.start.line === line);
}

/** True when the fixture's hot loop ranks first and the verdict is the expected one. */
export function isHit(result: ProfileResult, fx: AccuracyFixture): boolean {
  const first = result.loops[0];
  return (
    first !== undefined &&
    first.file === fx.file &&
    first.range.start.line === hotLine(fx.file) &&
    result.verdict.kind === fx.verdict
  );
}

/** Pids of live (non-zombie) processes in process group `pgid`, from ps. */
export function liveGroupMembers(pgid: number): number[] {
  const out = execFileSync('ps', ['-eo', 'pid=,pgid=,stat='], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter(([, g, stat]) => Number(g) === pgid && !stat?.startsWith('Z'))
    .map(([pid]) => Number(pid));
}

/** True while a process with this pid exists (and is not a zombie). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  let stat: string;
  try {
    stat = execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).trim();
  } catch {
    // ps exits 1 when the process ended between the signal check and ps: not alive.
    return false;
  }
  return stat !== '' && !stat.startsWith('Z');
}
