// One kernel as a C++ function: its constant tables and `static <ret> <fn>(views…, doubles…)`, after
// checking that the native target takes every IR form the kernel uses.
import type { Kernel } from '../../ir/types.js';
import { numLitValue } from '../../ir/numLit.js';
import { Lines } from '../../ir/stmtEmitter.js';
import { exitsOf } from '../../ir/walk.js';
import { assertLowerable } from '../common/support.js';
import { CppEmitter } from './cppEmit.js';
import { asDouble, C_TYPE, cppDouble, cppName, viewDType } from './cppOps.js';

/**
 * The read-only number[] parameters whose element type is a template parameter of the kernel (at
 * most 2: 4 instantiations), so that a Float32Array given for them is read in place as well as a
 * Float64Array (JS reads a Float32Array element as the same double the C++ float promotes to).
 */
export function genericParams(k: Kernel): string[] {
  return k.params
    .filter((p) => p.kind === 'array' && p.container === 'array' && p.rank !== 2 && p.access === 'read')
    .slice(0, 2)
    .map((p) => p.name);
}

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
    return `hotloop::${p.rank === 2 ? 'Rows' : 'View'}<${t}>& ${cppName(p.name)}`;
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
  out.line(`static ${resultTy} ${fnName}(${params.join(', ')}) {`);
  const text = body.text().replace(/\n$/, '');
  if (text.trim()) out.line(text);
  out.line('}');
  return { source: out.text(), resultTy, throws: em.throws };
}
