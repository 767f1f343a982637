// The extension's vscode-free plumbing: cancellation bridge, disposables, version cache, engine loader.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CancelledError,
  delay,
  isCancelled,
  signalFromToken,
  type CancellationTokenLike,
} from '../../src/extension/cancellation.js';
import { DisposableList, toDisposable } from '../../src/extension/disposable.js';
import { lazyEngine, validateEngine } from '../../src/extension/engineLoader.js';
import { VersionCache, debounceWait } from '../../src/extension/versionCache.js';
import type { Logger } from '../../src/core/logger.js';

/** A CancellationTokenSource with VS Code's semantics (listeners fire once, on cancel). */
class TokenSource {
  private readonly listeners = new Set<() => unknown>();
  private cancelled = false;
  readonly token: CancellationTokenLike & { listenerCount(): number };
  constructor() {
    const listeners = this.listeners;
    const isCancelled = (): boolean => this.cancelled;
    this.token = {
      get isCancellationRequested() {
        return isCancelled();
      },
      onCancellationRequested: (l) => {
        listeners.add(l);
        return { dispose: () => listeners.delete(l) };
      },
      listenerCount: () => listeners.size,
    };
  }
  cancel(): void {
    this.cancelled = true;
    for (const l of this.listeners) l();
  }
}

describe('CancellationToken → AbortSignal', () => {
  test('aborts when the token is cancelled, with a CancelledError reason', () => {
    const source = new TokenSource();
    const bridge = signalFromToken(source.token);
    assert.equal(bridge.signal.aborted, false);
    source.cancel();
    assert.equal(bridge.signal.aborted, true);
    assert.ok(isCancelled(bridge.signal.reason));
  });

  test('an already cancelled token gives an aborted signal; no token never aborts', () => {
    const source = new TokenSource();
    source.cancel();
    assert.equal(signalFromToken(source.token).signal.aborted, true);
    assert.equal(signalFromToken(undefined).signal.aborted, false);
  });

  test('dispose removes the listener from the token', () => {
    const source = new TokenSource();
    const bridge = signalFromToken(source.token);
    assert.equal(source.token.listenerCount(), 1);
    bridge.dispose();
    assert.equal(source.token.listenerCount(), 0);
    source.cancel();
    assert.equal(bridge.signal.aborted, false);
  });

  test('delay resolves, or rejects as soon as the signal aborts', async () => {
    await delay(1);
    const source = new TokenSource();
    const bridge = signalFromToken(source.token);
    // An hour-long delay: only the abort can end it (the event, not a duration, is what is asserted).
    const waiting = delay(3_600_000, bridge.signal);
    setTimeout(() => {
      source.cancel();
    }, 5);
    await assert.rejects(waiting, CancelledError);
    await assert.rejects(delay(1, bridge.signal), CancelledError);
  });

  test('isCancelled recognises AbortError too', () => {
    const abort = new Error('aborted');
    abort.name = 'AbortError';
    assert.equal(isCancelled(abort), true);
    assert.equal(isCancelled(new Error('boom')), false);
  });
});

describe('DisposableList', () => {
  test('disposes newest first, once; items added after dispose are disposed at once', () => {
    const order: string[] = [];
    const list = new DisposableList();
    list.push(
      toDisposable(() => order.push('a')),
      toDisposable(() => order.push('b')),
    );
    list.add(toDisposable(() => order.push('c')));
    list.dispose();
    list.dispose();
    assert.deepEqual(order, ['c', 'b', 'a']);
    list.add(toDisposable(() => order.push('late')));
    assert.deepEqual(order, ['c', 'b', 'a', 'late']);
    assert.equal(list.isDisposed, true);
  });

  test('clear disposes and stays usable; one failing item does not stop the others', () => {
    const order: string[] = [];
    const list = new DisposableList();
    list.push(
      toDisposable(() => order.push('a')),
      toDisposable(() => {
        throw new Error('boom');
      }),
    );
    assert.throws(() => {
      list.clear();
    }, /boom/);
    assert.deepEqual(order, ['a']);
    list.add(toDisposable(() => order.push('b')));
    list.clear();
    assert.deepEqual(order, ['a', 'b']);
  });
});

describe('VersionCache and debounce', () => {
  test('a value is valid only for its version; least recently used entries are evicted', () => {
    const cache = new VersionCache<string>(2);
    cache.set('a', 1, 'a1');
    assert.equal(cache.get('a', 1), 'a1');
    assert.equal(cache.get('a', 2), undefined);
    assert.deepEqual(cache.latest('a'), { version: 1, value: 'a1' });
    cache.set('b', 1, 'b1');
    cache.get('a', 1);
    cache.set('c', 1, 'c1');
    assert.equal(cache.get('b', 1), undefined);
    assert.equal(cache.get('a', 1), 'a1');
    assert.equal(cache.size, 2);
  });

  test('debounceWait waits out the rest of the window after the last edit', () => {
    assert.equal(debounceWait(1000, undefined, 300), 0);
    assert.equal(debounceWait(1000, 900, 300), 200);
    assert.equal(debounceWait(1000, 600, 300), 0);
    assert.equal(debounceWait(1000, 2000, 300), 300);
  });
});

describe('engine loader', () => {
  const logs: string[] = [];
  const logger: Logger = {
    trace: () => undefined,
    info: (m) => logs.push(m),
    warn: (m) => logs.push(m),
    error: (m) => logs.push(String(m)),
  };

  test('validateEngine names the missing exports and what to do', () => {
    assert.throws(
      () => validateEngine({ createAnalysisService: () => undefined }, 'dist/engine.js'),
      /does not export analyzePath, expandPaths: rebuild it with `npm run build`/,
    );
  });

  test('loads engine.js from the folder once and caches it; a missing bundle gives a clear error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotloop-engine-'));
    try {
      writeFileSync(
        join(dir, 'engine.js'),
        'globalThis.__hotloopLoads = (globalThis.__hotloopLoads ?? 0) + 1;\nexports.createAnalysisService = () => ({});\nexports.analyzePath = async () => [];\nexports.expandPaths = async () => [];\n',
      );
      const get = lazyEngine(dir, logger);
      assert.equal(typeof get().analyzePath, 'function');
      assert.equal(get(), get());
      assert.equal((globalThis as { __hotloopLoads?: number }).__hotloopLoads, 1);
      const missing = lazyEngine(join(dir, 'nope'), logger);
      assert.throws(() => missing(), /Could not load Hotloop's engine .*Run `npm run build`/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
