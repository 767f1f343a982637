// bench:advisors, zero-copy transfer part: examples/advisors/zerocopy/send.ts (frames of samples
// posted to a MessagePort without a transfer list) against the advisor's rewrite (`[frame.buffer]`),
// same frames. Interleaved rounds (which side goes first alternates); each round checks the receiving
// end's checksums are equal. Rounds are cheap (≈ 0.1 s), so there are more of them (15 by default,
// `--transfer-rounds`) than the file-copy part's: at load 11, 5 rounds gave a CI reaching below 1.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { applyZeroCopy } from '../src/core/advisors/zerocopy/index.js';
import { pairedRounds } from './advisorsPaired.js';
import type { PairedFigure } from './advisorsPaired.js';

export interface TransferFigure extends PairedFigure {
  readonly example: string;
  readonly frames: string;
  readonly median_ms: { readonly original: number; readonly rewritten: number };
}

type SendFrames = (frames: number, size: number) => Promise<number>;

const load = async (dir: string): Promise<SendFrames> =>
  ((await import(pathToFileURL(join(dir, 'send.ts')).href)) as { sendFrames: SendFrames }).sendFrames;

export async function benchTransfer(
  example: string,
  o: { rounds: number; frames: number; size: number },
): Promise<TransferFigure> {
  const dir = mkdtempSync(join(tmpdir(), 'hotloop-bench-transfer-'));
  try {
    cpSync(example, dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
    const path = join(dir, 'send.ts');
    const r = applyZeroCopy(path, readFileSync(path, 'utf8'));
    if (r.rewritten !== 1)
      throw new Error(`the zero-copy advisor rewrote ${r.rewritten} sites of send.ts, expected 1`);
    writeFileSync(path, r.text);
    const [original, rewritten] = [await load(example), await load(dir)];
    const fig = await pairedRounds(
      () => original(o.frames, o.size),
      () => rewritten(o.frames, o.size),
      { rounds: o.rounds, alternate: true },
    );
    return {
      ...fig,
      example: 'examples/advisors/zerocopy (send.ts)',
      frames: `${o.frames} × ${o.size * 8} bytes`,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
