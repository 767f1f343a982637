// `hotloop advise` as the advisors' CLI tests run it: in-process with captured output, against a
// quick machine calibration written to a temporary cache folder (hooks of the calling describe).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before } from 'node:test';
import { adviseCommand } from '../../src/cli/advise.js';
import { calibrate, calibrationPath } from '../../src/core/advice/index.js';

/** Runs `hotloop advise args…`: its exit code, stdout and stderr. */
export async function advise(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await adviseCommand.run(args, { signal: new AbortController().signal, stdout, stderr });
  return { code, out, err };
}

/** Inside a describe: HOTLOOP_CACHE_DIR points at a temp folder with a quick calibration, restored after. */
export function withQuickCalibration(prefix: string): void {
  let dir = '';
  const saved = process.env.HOTLOOP_CACHE_DIR;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), `${prefix}-`));
    process.env.HOTLOOP_CACHE_DIR = dir;
    const cal = await calibrate({ budgetMs: 8, n: 50_000, gpu: false });
    await writeFile(calibrationPath(dir), JSON.stringify(cal));
  });
  after(async () => {
    if (saved === undefined) delete process.env.HOTLOOP_CACHE_DIR;
    else process.env.HOTLOOP_CACHE_DIR = saved;
    await rm(dir, { recursive: true, force: true });
  });
}
