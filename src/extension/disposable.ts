// A list of disposables disposed together, newest first (the shape of vscode-js-debug's DisposableList).
// No `vscode` import: anything with `dispose()` fits, so unit tests use it under plain Node.

export interface IDisposable {
  dispose(): unknown;
}

export class DisposableList implements IDisposable {
  private items: IDisposable[] = [];
  private disposed = false;

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Adds disposables; once this list is disposed, new ones are disposed immediately. */
  push<T extends IDisposable>(...items: T[]): T | undefined {
    if (this.disposed) {
      for (const item of items) item.dispose();
      return items[0];
    }
    this.items.push(...items);
    return items[0];
  }

  /** Adds one disposable and returns it, for `const x = list.add(new X())`. */
  add<T extends IDisposable>(item: T): T {
    this.push(item);
    return item;
  }

  /** Disposes everything added so far (newest first) but stays usable; collects errors and throws them after all ran. */
  clear(): void {
    const items = this.items.reverse();
    this.items = [];
    const errors: unknown[] = [];
    for (const item of items) {
      try {
        item.dispose();
      } catch (err) {
        errors.push(err);
      }
    }
    if (errors.length === 1 && errors[0] instanceof Error) throw errors[0];
    if (errors.length) throw new AggregateError(errors, `${errors.length} disposables failed to dispose`);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.clear();
  }
}

/** A disposable that runs `fn` once. */
export function toDisposable(fn: () => void): IDisposable {
  let done = false;
  return {
    dispose: () => {
      if (done) return;
      done = true;
      fn();
    },
  };
}
