// Bridges VS Code's CancellationToken to the AbortSignal the engine takes, and back for awaiting a
// delay. No runtime `vscode` import: the token is typed structurally, so the bridge is unit-tested.
import type { IDisposable } from './disposable.js';

/** The part of `vscode.CancellationToken` the bridge needs. */
export interface CancellationTokenLike {
  readonly isCancellationRequested: boolean;
  onCancellationRequested(listener: () => unknown): IDisposable;
}

/**
 * An AbortSignal that aborts when `token` is cancelled. Dispose the returned handle when the work is
 * done so the listener does not outlive it; the signal stays valid after that (just never aborts).
 */
export function signalFromToken(token: CancellationTokenLike | undefined): {
  signal: AbortSignal;
  dispose(): void;
} {
  const controller = new AbortController();
  if (!token) return { signal: controller.signal, dispose: () => undefined };
  if (token.isCancellationRequested) {
    controller.abort(new CancelledError());
    return { signal: controller.signal, dispose: () => undefined };
  }
  const listener = token.onCancellationRequested(() => {
    controller.abort(new CancelledError());
  });
  return { signal: controller.signal, dispose: () => listener.dispose() };
}

/** Thrown (or used as the abort reason) when the user or the editor cancelled an operation. */
export class CancelledError extends Error {
  constructor() {
    super('Cancelled');
    this.name = 'CancelledError';
  }
}

export function isCancelled(err: unknown): boolean {
  return err instanceof CancelledError || (err instanceof Error && err.name === 'AbortError');
}

/** Resolves after `ms`, or rejects with CancelledError as soon as `signal` aborts. */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new CancelledError());
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new CancelledError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
