// One kernel as a C++ function: its constant tables and `static <ret> <fn>(views…, doubles…)`, after
// checking that the native target takes every IR form the kernel uses.
import type { Kernel } from '../../ir/types.js';
import { numLitValue } from '../../ir/numLit.js';
import { Lines } from '../../ir/stmtEmitter.js';
import { exitsOf } from '../../ir/walk.js';
import { assertLowerable } from '../common/support.js';
import { CppEmitter } from './cppEmit.js';
import { asDouble, C_TYPE, cppDouble, cppName, genericParams, viewDType } from './cppOps.js';

/** C++ declarations of the kernel's constant tables (file-level statics). */
export function cppConstTables(k: Kernel, prefix: string): string[] {
  return k.consts.map((t) => {
    const ct = C_TYPE[t.dtype];
    const vals = t.values.map((v) => cppDouble(numLitValue(v)));
    const name = `${prefix}${cppName(t.name)}`;
    // A JS const array literal converts to the typed array's type on construction, as `T.from([...])` does.
    const conv =
      t.dtype === 'f64'
        ? vals
        : vals.map((v) =>
            t.dtype === 'u8c'
              ? `hotloop::toUint8Clamp(${v})`
              : `static_cast<${ct}>(hotloop::conv(static_cast<${ct}*>(nullptr), ${v}))`,
          );
    return [
      `static const ${ct} ${name}_data[${Math.max(1, vals.length)}] = {${conv.join(', ') || '0'}};`,
      `static const hotloop::View<const ${ct}> ${name}{${name}_data, ${vals.length}};`,
    ].join('\n');
  });
}

/** The kernel as `static <ret> <fn>(views…, doubles…)`; `ret` is double, bool or void. */
export function cppKernelFunction(
  k: Kernel,
  fnName: string,
  constPrefix: string,
  opts: { versioning?: boolean; jam?: number } = {},
): { source: string; resultTy: 'double' | 'bool' | 'void'; throws: CppEmitter['throws'] } {
  assertLowerable(k, 'native', {
    breakContinue: true,
    return: true,
    throw: true,
    steps: true,
    rank2: true,
    localSteps: true,
  });
  const em = new CppEmitter(k, constPrefix);
  em.versioning = opts.versioning ?? true;
  em.jam = opts.jam ?? em.jam;
  const generic = genericParams(k);
  const params = k.params.map((p) => {
    if (p.kind !== 'array') return `double ${cppName(p.name)}`;
    const g = generic.indexOf(p.name);
    const t = g >= 0 ? `HL_T${g}` : C_TYPE[viewDType(p)];
    // A view by value: a local the kernel's stores cannot alias (with -fno-strict-aliasing a store
    // through a double* may write any object whose address escaped, so a view taken by reference had
    // its data pointer and length reloaded after every store of a checked loop).
    return p.rank === 2
      ? `hotloop::Rows<${t}>& ${cppName(p.name)}`
      : `hotloop::View<${t}> ${cppName(p.name)}`;
  });
  if (exitsOf(k.body).throw) params.push('int& hl_thrown');
  const out = new Lines();
  let resultTy: 'double' | 'bool' | 'void' = 'void';
  const body = new Lines();
  body.indent();
  // The body's top-level scope is shared with the result expression.
  em.topLevel(body, k.body);
  const r = em.result();
  if (r) {
    if (r.ty === 'bool' && exitsOf(k.body).return)
      throw new Error(
        'a kernel that returns a comparison result (true/false) and exits early is not lowered to C++',
      );
    resultTy = r.ty === 'bool' ? 'bool' : 'double';
    body.line(`return ${r.ty === 'bool' ? r.text : asDouble(r)};`);
  }
  const tmpl = generic.map((_, g) => `typename HL_T${g}`).join(', ');
  if (tmpl) out.line(`template <${tmpl}>`);
  out.line(`HOTLOOP_CLONES static ${resultTy} ${fnName}(${params.join(', ')}) {`);
  const text = body.text().replace(/\n$/, '');
  if (text.trim()) out.line(text);
  out.line('}');
  return { source: out.text(), resultTy, throws: em.throws };
}
