// Scaffolds of kernels with fresh output arrays (`ArrayParam.fresh`: arrays the original allocates
// itself). Every target emits the kernel with each fresh array as an ordinary written typed-array
// parameter (`withoutFresh`), so no emitter needs to know; its wrapper becomes `fast.ts`, and a thin
// `index.ts` with the original's own signature allocates the arrays, calls it and, where the original
// returned a plain `Array`, copies the result into a `number[]` — one pass over the result, the
// boundary cost the notes state. The folder's `npm run check` compares `fast.ts` with `original.ts`
// (both take the arrays as parameters).
import { freshParams, inputParams } from '../ir/fresh.js';
import type { Kernel } from '../ir/types.js';
import { TYPED_CTOR } from '../ir/toJs.js';
import { Lines, TsExprEmitter, paramType } from './common/tsEmit.js';
import type { GeneratedFile } from './types.js';

/** The result type of the original (a fresh plain array comes back as `number[]`). */
export function outerReturn(k: Kernel): string {
  const r = k.result;
  if (r.kind === 'void') return 'void';
  if (r.kind === 'scalar') return 'number';
  const p = k.params.find((q) => q.name === r.name);
  if (p?.kind !== 'array') return 'never';
  if (p.fresh) return p.fresh.plain ? 'number[]' : TYPED_CTOR[p.dtype];
  return paramType(p);
}

/** `index.ts`: the original's signature over `fast.ts`, allocating the fresh arrays. */
function outerIndex(k: Kernel, name: string, async: boolean): string {
  const ex = new TsExprEmitter();
  const out = new Lines();
  const ret = outerReturn(k);
  out.line(`import { ${name} as fast } from './fast.js';`);
  out.line();
  out.line("export * from './fast.js';");
  out.line();
  // A plain Array the original returns is a copy of its typed array: on a synchronous call that typed
  // array never escapes, so one of each length is kept and zeroed again (as a new one would be)
  // instead of allocating — an ArrayBuffer per call costs ≈ 3 µs at 8,192 doubles and counts as
  // external memory towards the next GC.
  const scratch = async ? [] : freshParams(k).filter((p) => p.fresh.plain);
  for (const p of scratch) out.line(`let hl_scratch_${p.name}: ${TYPED_CTOR[p.dtype]} | undefined;`);
  if (scratch.length) out.line();
  out.line('/**');
  out.line(` * \`${name}\` with the original's signature: the arrays the original allocates itself`);
  out.line(
    ` * (${freshParams(k)
      .map((p) => p.name)
      .join(', ')}) are allocated here and passed to the fast path (\`fast.ts\`).`,
  );
  out.line(' */');
  const sig = inputParams(k)
    .map((p) => `${p.name}: ${paramType(p)}`)
    .join(', ');
  const head = async
    ? `export async function ${name}(${sig}): Promise<${ret}>`
    : `export function ${name}(${sig}): ${ret}`;
  out.block(head, () => {
    for (const p of freshParams(k)) {
      out.line(`const ${p.name}_length = ${ex.num(p.fresh.length)};`);
      // As the original: `new Array(n)` throws this; a typed array constructor throws its own RangeError.
      if (p.fresh.plain) {
        out.line(
          `if (!(Number.isInteger(${p.name}_length) && ${p.name}_length >= 0 && ${p.name}_length <= 4294967295))`,
        );
        out.line("  throw new RangeError('Invalid array length');");
      }
      if (scratch.includes(p)) {
        const h = `hl_scratch_${p.name}`;
        out.line(
          `const ${p.name} = ${h}?.length === ${p.name}_length ? ${h}.fill(0) : (${h} = new ${TYPED_CTOR[p.dtype]}(${p.name}_length));`,
        );
      } else out.line(`const ${p.name} = new ${TYPED_CTOR[p.dtype]}(${p.name}_length);`);
    }
    const call = `${async ? 'await ' : ''}fast(${k.params.map((p) => p.name).join(', ')})`;
    const r = k.result;
    const resultParam = r.kind === 'array' ? k.params.find((p) => p.name === r.name) : undefined;
    if (resultParam?.kind === 'array' && resultParam.fresh?.plain) {
      out.line(`const result = ${call};`);
      out.line(
        '// The original returned a plain Array: one copy back (the boundary cost of a number[] API).',
      );
      // A counted loop into `new Array(n)`: Array.from(typedArray) walks the iterator protocol, ≈ 21 ns
      // an element against ≈ 3 here (Node 20, 8,192 doubles: 175 µs vs 22 µs) — fili's
      // Fft.magnitude spent four times its loop in that copy.
      out.line('const hl_plain = new Array<number>(result.length);');
      out.line('for (let hl_i = 0; hl_i < result.length; hl_i++) hl_plain[hl_i] = result[hl_i]!;');
      out.line('return hl_plain;');
    } else if (r.kind === 'void') out.line(`${call};`);
    else out.line(`return ${call};`);
  });
  return out.text();
}

/** Notes for the README and preview: what the wrapper allocates and copies. */
export function freshWrapperNotes(k: Kernel): string[] {
  return freshParams(k).map((p) =>
    p.fresh.plain
      ? `${p.name} is allocated by the wrapper (index.ts) as a ${TYPED_CTOR[p.dtype]} and copied into a number[] on return, as the original returns a plain Array (one pass over the result; pass the typed array on by calling fast.ts directly where the caller accepts one)`
      : `${p.name} is allocated by the wrapper (index.ts) as a ${TYPED_CTOR[p.dtype]} and returned as is`,
  );
}

/** The target's files with its wrapper moved to `fast.ts` and the original-signature `index.ts` added. */
export function withFreshWrapper(
  k: Kernel,
  files: readonly GeneratedFile[],
  name: string,
  async: boolean,
): GeneratedFile[] {
  const out = files.map((f): GeneratedFile => {
    if (f.path === 'index.ts') return { ...f, path: 'fast.ts' };
    if (f.path === 'check.ts')
      return { ...f, contents: f.contents.replace("from './index.js';", "from './fast.js';") };
    return f;
  });
  return [...out, { path: 'index.ts', role: 'wrapper', contents: outerIndex(k, name, async) }];
}
