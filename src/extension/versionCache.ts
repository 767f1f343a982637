// A small LRU cache of one value per key, valid for one version (a document's `version`). Pure.

export class VersionCache<V> {
  private readonly map = new Map<string, { version: number; value: V }>();

  constructor(private readonly capacity = 64) {}

  /** The value stored for `key` at exactly `version`, else undefined. Marks it recently used. */
  get(key: string, version: number): V | undefined {
    const entry = this.map.get(key);
    if (!entry || entry.version !== version) return undefined;
    this.map.delete(key);
    this.map.set(key, entry);
    return entry.value;
  }

  /** The latest value stored for `key`, whatever its version (e.g. to keep the tree while typing). */
  latest(key: string): { version: number; value: V } | undefined {
    return this.map.get(key);
  }

  set(key: string, version: number, value: V): void {
    this.map.delete(key);
    this.map.set(key, { version, value });
    while (this.map.size > this.capacity) {
      const oldest = this.map.keys().next().value;
      if (oldest === undefined) break;
      this.map.delete(oldest);
    }
  }

  delete(key: string): void {
    this.map.delete(key);
  }

  clear(): void {
    this.map.clear();
  }

  get size(): number {
    return this.map.size;
  }
}

/** How long to wait before analysing a document last edited at `lastEdit` (ms since epoch); 0 when idle. */
export function debounceWait(now: number, lastEdit: number | undefined, debounceMs: number): number {
  if (lastEdit === undefined) return 0;
  return Math.max(0, Math.min(debounceMs, lastEdit + debounceMs - now));
}
