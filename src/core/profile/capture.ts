// Real inputs (opt-in, setting `hotloop.profile.captureInputs`): the shapes pass's preload keeps a
// bounded sample of the arguments the hot loops were really called with (see runtimeFiles.ts for the
// caps) in the workspace's `.hotloop/inputs/` — the only place they are written; nothing is sent
// anywhere. Here the per-process raw files are mapped to loop ids, one file per loop.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import type { ShapeSlot } from './shapes.js';

/** One captured argument: a number (NaN/±Infinity as strings) or an array's type and values. */
export type CapturedValue =
  number | string | { readonly type: string; readonly data: readonly (number | string)[] };

export interface CapturedInputs {
  readonly loopId: string;
  /** The kernel's parameter names, in the order of each call's values. */
  readonly params: readonly string[];
  readonly calls: readonly (readonly CapturedValue[])[];
}

/** `<root>/.hotloop/inputs`: where captured inputs live (throws if it would resolve elsewhere). */
export function captureDirFor(root: string): string {
  const dir = resolve(root, '.hotloop', 'inputs');
  const rel = relative(resolve(root, '.hotloop'), dir);
  if (rel.startsWith('..') || rel.split(sep)[0] !== 'inputs')
    throw new Error(`captured inputs must stay under ${join(root, '.hotloop')}`);
  return dir;
}

const fileOf = (dir: string, loopId: string): string => join(dir, `${loopId.replace(/[^\w.-]+/g, '_')}.json`);

/** Maps the preload's raw files (slot → calls) to one file per loop id; removes the raw files. Returns the files written. */
export function collectCaptured(dir: string, slots: readonly ShapeSlot[]): string[] {
  if (!existsSync(dir)) return [];
  const byLoop = new Map<string, CapturedValue[][]>();
  for (const name of readdirSync(dir).filter((f) => /^raw-\d+-\d+\.json$/.test(f))) {
    try {
      const raw = JSON.parse(readFileSync(join(dir, name), 'utf8')) as Record<string, CapturedValue[][]>;
      for (const s of slots)
        for (const call of raw[String(s.slot)] ?? [])
          byLoop.set(s.loopId, [...(byLoop.get(s.loopId) ?? []), call].slice(0, 3));
    } catch {
      /* a torn file: skip it */
    }
    rmSync(join(dir, name), { force: true });
  }
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const [loopId, calls] of byLoop) {
    const slot = slots.find((s) => s.loopId === loopId);
    const file = fileOf(dir, loopId);
    writeFileSync(
      file,
      JSON.stringify({ loopId, params: slot?.params ?? [], calls } satisfies CapturedInputs),
    );
    written.push(file);
  }
  return written;
}

/** The captured inputs of a loop, if any were kept. */
export function loadCaptured(root: string, loopId: string): CapturedInputs | undefined {
  const file = fileOf(captureDirFor(root), loopId);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as CapturedInputs;
  } catch {
    return undefined;
  }
}

/** A captured value as a number, or the array as a Float64Array (NaN/±Infinity restored). */
export function decodeCaptured(v: CapturedValue): number | Float64Array {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return Number(v);
  return Float64Array.from(v.data, (x) => (typeof x === 'number' ? x : Number(x)));
}
