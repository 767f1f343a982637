// The calibration off the extension host's thread: a worker_threads worker loads the engine bundle
// (dist/engine.js) and runs loadCalibration there — reading the cached JSON when it is current,
// measuring (seconds of timed kernels) otherwise — and posts the plain JSON back. The host thread
// only receives a structured-cloned object, so lenses and typing never wait on the timers.
// No vscode import: unit-testable against the built bundle.
import { Worker } from 'node:worker_threads';
import type { Calibration } from '../../core/advice/calibrate.js';

export interface OffThreadOptions {
  /** Folder of the calibration cache (the extension's global storage + `/advice`). */
  readonly cacheDir: string;
  /** Measure again even when the cache is current. */
  readonly recalibrate?: boolean;
  /** Passed to the calibration (tests shorten it). */
  readonly budgetMs?: number;
  readonly n?: number;
  readonly gpu?: boolean;
  /** Give up (and terminate the worker) after this long; default 120 s. */
  readonly timeoutMs?: number;
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { engine, ...opts } = workerData;
Promise.resolve()
  .then(() => require(engine).loadCalibration(opts))
  .then((cal) => parentPort.postMessage({ ok: true, cal }), (e) => parentPort.postMessage({ ok: false, error: e && e.stack ? String(e.stack) : String(e) }));
`;

interface Reply {
  readonly ok: boolean;
  readonly cal?: Calibration;
  readonly error?: string;
}

/** Loads (or measures and caches) the calibration in a worker thread running `enginePath`. */
export function loadCalibrationOffThread(enginePath: string, opts: OffThreadOptions): Promise<Calibration> {
  return new Promise<Calibration>((resolve, reject) => {
    const data: Record<string, unknown> = { engine: enginePath, cacheDir: opts.cacheDir };
    if (opts.recalibrate) data.recalibrate = true;
    if (opts.budgetMs !== undefined) data.budgetMs = opts.budgetMs;
    if (opts.n !== undefined) data.n = opts.n;
    if (opts.gpu !== undefined) data.gpu = opts.gpu;
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: data });
    let settled = false;
    const done = (f: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      f();
      void worker.terminate();
    };
    const timeoutMs = opts.timeoutMs ?? 120_000;
    const timer = setTimeout(() => {
      done(() => {
        reject(new Error(`the calibration did not finish within ${timeoutMs / 1000} s`));
      });
    }, timeoutMs);
    worker.once('message', (m: Reply) => {
      done(() => {
        if (m.ok && m.cal) resolve(m.cal);
        else reject(new Error(`calibration failed in its worker: ${m.error ?? 'no result'}`));
      });
    });
    worker.once('error', (e) => {
      done(() => {
        reject(e);
      });
    });
    worker.once('exit', (code) => {
      done(() => {
        reject(new Error(`the calibration worker exited (code ${code}) without a result`));
      });
    });
  });
}
