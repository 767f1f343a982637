// The tuned-JS target ("js"): no language boundary. The kernel is re-emitted as plain monomorphic
// JavaScript over the caller's own arrays — typed arrays or `number[]`, never converted — with lengths
// read once, loop invariants and rows hoisted (hoist.ts), in two clones of one function each: one for
// calls whose flat arrays are all typed arrays (fixed lengths, so every length is read once), one for
// the rest. Separate functions keep V8's feedback for each monomorphic. Every rewrite keeps JS's own
// operations in JS's own order, so results are bit-identical to the original (reassociates: false).
// For small n, `number[]` APIs and many short calls, where crossing into wasm or native cannot pay.
import type { ArrayParam, Kernel, Param } from '../../ir/types.js';
import { TYPED_CTOR } from '../../ir/jsSyntax.js';
import { stmtUses } from '../../ir/walk.js';
import type { EmitContext, EmitResult, Emitter } from '../types.js';
import {
  Lines,
  TsStmtEmitter,
  constTables,
  paramType,
  returnType,
  signatureParams,
} from '../common/tsEmit.js';
import { GUARD_IMPORT } from '../common/guards.js';
import { hoistKernel, type Hoisted } from './hoist.js';

const flatArrays = (k: Kernel): ArrayParam[] =>
  k.params.filter((p): p is ArrayParam => p.kind === 'array' && p.rank !== 2);

/** A parameter type of the wrapper: the original's, plus the other array kind (run as is, not converted). */
function wideType(p: Param): string {
  if (p.kind !== 'array' || p.rank === 2) return paramType(p);
  return p.container === 'array' ? 'number[] | Float64Array' : `${TYPED_CTOR[p.dtype]} | number[]`;
}

function wideReturn(k: Kernel): string {
  const r = k.result;
  if (r.kind !== 'array') return returnType(k);
  const p = k.params.find((q) => q.name === r.name);
  return p ? wideType(p) : 'never';
}

/** One clone: the hoisted body printed as a function. */
function clone(out: Lines, k: Kernel, fn: string, h: Hoisted, sig: string, ret: string, doc: string): void {
  const st = new TsStmtEmitter(
    (n) => n,
    stmtUses(h.body).assigns,
    k.result.kind === 'array' ? k.result.name : undefined,
  );
  out.line(`/** ${doc} */`);
  out.block(`function ${fn}(${sig}): ${ret}`, () => {
    st.stmts(out, h.body);
    if (h.result.kind === 'scalar') out.line(`return ${st.ex.num(h.result.expr)};`);
    else if (h.result.kind === 'array') out.line(`return ${h.result.name};`);
  });
}

/**
 * The run-time preconditions of the hoisting that the source's types could not promise (inferred
 * types): arrays must be arrays or non-BigInt typed arrays, inferred scalars numbers. Else the
 * original runs, reported through `fallback` (a warning; an error under HOTLOOP_STRICT=1).
 */
function guard(out: Lines, k: Kernel, name: string): boolean {
  const arrays = k.params.filter((p) => p.kind === 'array' && p.typeSource === 'inferred');
  const scalars = k.params.filter((p) => p.kind === 'scalar' && p.typeSource === 'inferred');
  if (!arrays.length && !scalars.length) return false;
  const report = (why: string): string => `fallback('${name}', 'js', ${JSON.stringify(why)});`;
  out.line(
    '/** Arrays and numbers as the hoisting assumes (the types were inferred); false: run the original (reported). */',
  );
  out.block(
    `function fastPathApplies(${k.params.map((p) => `${p.name}: unknown`).join(', ')}): boolean`,
    () => {
      for (const p of arrays) {
        const test =
          p.kind === 'array' && p.rank === 2
            ? `Array.isArray(${p.name})`
            : `Array.isArray(${p.name}) || (ArrayBuffer.isView(${p.name}) && !(${p.name} instanceof DataView) && !(${p.name} instanceof BigInt64Array) && !(${p.name} instanceof BigUint64Array))`;
        out.block(`if (!(${test}))`, () => {
          out.line(
            report(
              `\`${p.name}\` is not an array or a numeric typed array; its type was inferred from how the loop uses it`,
            ),
          );
          out.line('return false;');
        });
      }
      for (const p of scalars) {
        out.block(`if (typeof ${p.name} !== 'number')`, () => {
          out.line(report(`\`${p.name}\` is not a number; its type was inferred from how the loop uses it`));
          out.line('return false;');
        });
      }
      out.line('return true;');
    },
  );
  return true;
}

/** `index.ts` of the js target: the clones and the exported dispatcher. */
export function tunedJsSource(k: Kernel, name: string): { source: string; notes: string[] } {
  const flat = flatArrays(k);
  const args = k.params.map((p) => p.name).join(', ');
  const sig = k.params.map((p) => `${p.name}: ${wideType(p)}`).join(', ');
  const ret = wideReturn(k);
  const body = new Lines();
  const guarded = guard(body, k, name);
  if (guarded) body.line();
  const typed = hoistKernel(k, { typed: true });
  const plain = hoistKernel(k, { typed: false });
  const twoClones = flat.length > 0;
  if (twoClones) {
    clone(
      body,
      k,
      `${name}_typed`,
      typed,
      sig,
      ret,
      'Every flat array argument is a typed array: every length is read once.',
    );
    body.line();
  }
  clone(
    body,
    k,
    `${name}_any`,
    plain,
    sig,
    ret,
    twoClones ? 'Any mix of typed arrays and `number[]` (run as is, never converted).' : 'The kernel.',
  );
  body.line();
  const out = new Lines();
  if (guarded) {
    out.line(`import { ${name} as original } from './original.js';`);
    out.line(GUARD_IMPORT);
    out.line();
  }
  for (const c of constTables(k)) out.line(c);
  if (k.consts.length) out.line();
  for (const l of body.lines()) out.line(l);
  out.line('/**');
  out.line(
    ` * \`${name}\` as tuned JavaScript: the original's results bit for bit, on the caller's own arrays`,
  );
  out.line(' * (typed arrays or `number[]`, never copied).');
  out.line(' */');
  const sameSig = sig === signatureParams(k) && ret === returnType(k);
  if (!sameSig) out.line(`export function ${name}(${signatureParams(k)}): ${returnType(k)};`);
  if (!sameSig) out.line(`export function ${name}(${sig}): ${ret};`);
  out.block(`export function ${name}(${sig}): ${ret}`, () => {
    if (guarded)
      out.line(`if (!fastPathApplies(${args})) return (original as (...a: unknown[]) => ${ret})(${args});`);
    const call = (fn: string): string => `${fn}(${args})`;
    if (twoClones) {
      const test = flat.map((p) => `ArrayBuffer.isView(${p.name})`).join(' && ');
      out.line(`return ${test} ? ${call(`${name}_typed`)} : ${call(`${name}_any`)};`);
    } else out.line(`return ${call(`${name}_any`)};`);
  });
  const c = typed.counts;
  const notes = [
    "Tuned JavaScript: no language boundary, no copies — the caller's typed arrays or `number[]` are used as they are.",
    `Same operations in the same order as the original (results bit-identical); ${c.lengths} length(s) read once, ${c.invariants} loop invariant(s) and ${c.rows} row read(s) hoisted out of their loops.`,
    ...(twoClones
      ? [
          'Two clones keep V8 monomorphic: one for calls whose flat arrays are all typed arrays, one for the rest (`number[]` runs the same code unconverted).',
        ]
      : []),
  ];
  return { source: out.text(), notes };
}

/** The tuned-JS emitter. */
export const jsEmitter: Emitter = {
  target: 'js',
  title: 'Tuned JavaScript (no language boundary)',
  properties: { reassociates: false, precision: 'f64', async: false },
  emit(k: Kernel, ctx: EmitContext): EmitResult {
    const { source, notes } = tunedJsSource(k, ctx.exportName);
    return {
      ok: true,
      files: [{ path: 'index.ts', role: 'wrapper', contents: source }],
      notes: [
        ...notes,
        'The folder is plain JavaScript with .d.ts types: `npm run build` only copies it to dist/ (no toolchain to install).',
      ],
      commands: { build: ['npm run build'], check: ['npm run check'] },
      dependencies: {},
      devDependencies: {},
      properties: { reassociates: false, precision: 'f64', async: false },
    };
  },
};
