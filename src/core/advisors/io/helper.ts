// The helper the IO rewrite appends to a file (once): a bounded-concurrency map whose outcomes come
// back in input order. Small enough to read in the diff, so no npm dependency is needed.

/** Name of the helper; a file that already defines it gets no second copy. */
export const HELPER_NAME = 'hotloopMapInOrder';

const DOC = `/**
 * Added by Hotloop (IO advisor): calls \`fn\` on every item with at most \`limit\` calls in flight and
 * returns their outcomes in input order. Once a call fails no further item starts, so the caller,
 * walking the outcomes in order, throws the first failure after the effects of the items before it,
 * as the sequential loop did (calls already in flight for later items still finish).
 */`;

const TS = `${DOC}
async function ${HELPER_NAME}<T, R>(
  items: Iterable<T>,
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<({ ok: true; value: R } | { ok: false; error: unknown })[]> {
  const list = Array.from(items);
  const out: ({ ok: true; value: R } | { ok: false; error: unknown })[] = [];
  let next = 0;
  let failed = false;
  const run = async (): Promise<void> => {
    while (!failed && next < list.length) {
      const i = next++;
      try {
        out[i] = { ok: true, value: await fn(list[i] as T, i) };
      } catch (error) {
        out[i] = { ok: false, error };
        failed = true;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, list.length)) }, run));
  return out;
}
`;

const JS = `${DOC}
async function ${HELPER_NAME}(items, limit, fn) {
  const list = Array.from(items);
  const out = [];
  let next = 0;
  let failed = false;
  const run = async () => {
    while (!failed && next < list.length) {
      const i = next++;
      try {
        out[i] = { ok: true, value: await fn(list[i], i) };
      } catch (error) {
        out[i] = { ok: false, error };
        failed = true;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, list.length)) }, run));
  return out;
}
`;

/** The helper's source for a TypeScript or a JavaScript file. */
export function helperSource(typescript: boolean): string {
  return typescript ? TS : JS;
}

/** True when the file already defines the helper. */
export function hasHelper(text: string): boolean {
  return new RegExp(`function\\s+${HELPER_NAME}\\b`).test(text);
}
