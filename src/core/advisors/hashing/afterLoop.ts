// What the code after the loop gets once the object is a Map. `Object.entries/keys/values(o)` of a
// numeric-keyed map → `hotloopObjectEntries(oMap)` (a helper appended to the file that lists the
// entries in an object's own order: array-index keys ascending, then the rest in insertion order, keys
// as strings) — no object is rebuilt. Any other use → `o` rebuilt once with `Object.fromEntries`.
import { ts } from '../../analysis/ts.js';
import type { TextEdit } from '../types.js';
import { indentAt } from '../layout/syntax.js';

export const ENTRIES_HELPER = 'hotloopObjectEntries';

function helperText(typescript: boolean): string {
  const t = (s: string): string => (typescript ? s : '');
  return [
    '',
    `// hotloop: a numeric-keyed Map's entries in a plain object's order (array-index keys ascending,`,
    '// then the other keys in insertion order; keys as strings), as Object.entries gave them.',
    `function ${ENTRIES_HELPER}${t('<V>')}(map${t(': ReadonlyMap<number, V>')})${t(': [string, V][]')} {`,
    `  const index${t(': [number, V][]')} = [];`,
    `  const rest${t(': [string, V][]')} = [];`,
    '  for (const [k, v] of map) {',
    '    if (Number.isInteger(k) && k >= 0 && k < 4294967295) index.push([k, v]);',
    '    else rest.push([String(k), v]);',
    '  }',
    '  index.sort((a, b) => a[0] - b[0]);',
    `  const out${t(': [string, V][]')} = index.map(([k, v]) => [String(k), v]);`,
    '  for (const e of rest) out.push(e);',
    '  return out;',
    '}',
    '',
  ].join('\n');
}

/** `Object.entries(o)` / `keys` / `values` around `r`, else undefined. */
function listing(r: ts.Identifier): { call: ts.CallExpression; method: string } | undefined {
  const c = r.parent;
  if (!ts.isCallExpression(c) || c.arguments.length !== 1 || c.arguments[0] !== r) return undefined;
  const m = /^Object\.(entries|keys|values)$/.exec(c.expression.getText());
  return m ? { call: c, method: m[1]! } : undefined;
}

/** The edits for the uses of `o` after the loop that fills it (`last`), and how they read. */
export function afterLoopEdits(o: {
  readonly after: readonly ts.Identifier[];
  readonly name: string;
  readonly map: string;
  readonly last: ts.Statement;
  readonly declaration: {
    readonly kind: 'let' | 'const';
    readonly type: string;
    readonly nullProto: boolean;
  };
  readonly numberKeys: boolean;
  readonly source: ts.SourceFile;
  readonly typescript: boolean;
}): { edits: TextEdit[]; note: string } {
  const { source, map } = o;
  if (o.after.length === 0) return { edits: [], note: '' };
  const lists = o.after.map(listing);
  if (o.numberKeys && lists.every((l) => l !== undefined)) {
    const pick: Record<string, string> = {
      entries: '',
      keys: '.map((e) => e[0])',
      values: '.map((e) => e[1])',
    };
    const edits = lists.map((l) => ({
      start: l.call.getStart(source),
      end: l.call.end,
      text: `${ENTRIES_HELPER}(${map})${pick[l.method] ?? ''}`,
    }));
    if (!new RegExp(`\\bfunction ${ENTRIES_HELPER}\\b`).test(source.text))
      edits.push({ start: source.text.length, end: source.text.length, text: helperText(o.typescript) });
    return {
      edits,
      note: `; Object.${[...new Set(lists.map((l) => l.method))].join('/')} after the loop read the Map in the object's key order (no object rebuilt)`,
    };
  }
  const back = o.declaration.nullProto
    ? `Object.assign(Object.create(null), Object.fromEntries(${map}))`
    : `Object.fromEntries(${map})`;
  return {
    edits: [
      {
        start: o.last.end,
        end: o.last.end,
        text: `\n${indentAt(source.text, o.last.getStart(source))}${o.declaration.kind} ${o.name}${o.declaration.type} = ${back};`,
      },
    ],
    note: `; \`${o.name}\` is rebuilt once after the loop for the code that uses it as an object (the same keys, values and order)`,
  };
}
