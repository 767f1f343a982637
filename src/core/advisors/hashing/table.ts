// The typed open-addressing table for integer keys with number values, the hashing advisor's second
// rewrite: `HotloopIntTable`, a helper class added after the file's imports (a class is not hoisted) with Map's `get`/`set`/`has` (what the Map
// rewrite's edits call), so the edits are the Map rewrite's and only the constructor differs. Keys that
// are uint32 integers live in typed arrays (a Uint32Array of keys, a Float64Array of values, a byte of
// occupancy; linear probing on a Fibonacci hash, at most half full); any other key (negative,
// fractional, NaN, ±Infinity, ≥ 2³²) goes to a Map inside, so every number key behaves as in a Map
// (-0 is 0 in both). Chosen only where it is exact and its operations suffice: a TypeScript file, keys
// and values declared `number`, no `delete`, nothing after the loop reading the object.
import { ts } from '../../analysis/ts.js';

export const TABLE_CLASS = 'HotloopIntTable';

export function tableHelperText(): string {
  return [
    '',
    '// hotloop: a Map<number, number> for integer keys — uint32 keys in typed arrays (open addressing,',
    '// linear probing, at most half full), any other key in a Map — with the Map methods used here.',
    `class ${TABLE_CLASS} {`,
    '  private keys = new Uint32Array(16);',
    '  private values = new Float64Array(16);',
    '  private used = new Uint8Array(16);',
    '  private shift = 28;',
    '  private count = 0;',
    '  private readonly rest = new Map<number, number>();',
    '  private slot(k: number): number {',
    '    const mask = this.keys.length - 1;',
    '    let i = Math.imul(k, 0x9e3779b1) >>> this.shift;',
    '    while (this.used[i] === 1 && this.keys[i] !== k) i = (i + 1) & mask;',
    '    return i;',
    '  }',
    '  get(k: number): number | undefined {',
    '    if (k >>> 0 !== k) return this.rest.get(k);',
    '    const i = this.slot(k);',
    '    return this.used[i] === 1 ? this.values[i] : undefined;',
    '  }',
    '  has(k: number): boolean {',
    '    return k >>> 0 === k ? this.used[this.slot(k)] === 1 : this.rest.has(k);',
    '  }',
    '  set(k: number, v: number): this {',
    '    if (k >>> 0 !== k) {',
    '      this.rest.set(k, v);',
    '      return this;',
    '    }',
    '    let i = this.slot(k);',
    '    if (this.used[i] !== 1) {',
    '      if (2 * (this.count + 1) > this.keys.length) {',
    '        this.grow();',
    '        i = this.slot(k);',
    '      }',
    '      this.used[i] = 1;',
    '      this.keys[i] = k;',
    '      this.count++;',
    '    }',
    '    this.values[i] = v;',
    '    return this;',
    '  }',
    '  private grow(): void {',
    '    const [keys, values, used] = [this.keys, this.values, this.used];',
    '    this.keys = new Uint32Array(keys.length * 2);',
    '    this.values = new Float64Array(keys.length * 2);',
    '    this.used = new Uint8Array(keys.length * 2);',
    '    this.shift--;',
    '    for (let j = 0; j < keys.length; j++)',
    '      if (used[j] === 1) {',
    '        const i = this.slot(keys[j]!);',
    '        this.used[i] = 1;',
    '        this.keys[i] = keys[j]!;',
    '        this.values[i] = values[j]!;',
    '      }',
    '  }',
    '}',
    '',
  ].join('\n');
}

/** Why the typed table does not fit (the Map rewrite is offered instead), or undefined where it does. */
export function tableMisfit(o: {
  readonly typescript: boolean;
  readonly keyKind: 'number' | 'string';
  readonly value: string;
  readonly before: readonly ts.Identifier[];
  readonly after: readonly ts.Identifier[];
}): string | undefined {
  if (!o.typescript) return 'not TypeScript';
  if (o.keyKind !== 'number') return 'string keys';
  if (o.value !== 'number') return `values of type \`${o.value}\`, not number`;
  if (o.after.length > 0) return 'the object is used after the loop';
  if (o.before.some((r) => ts.isElementAccessExpression(r.parent) && ts.isDeleteExpression(r.parent.parent)))
    return 'keys are deleted';
  return undefined;
}
