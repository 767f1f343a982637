// The node-addon-api glue of one kernel: argument checks (TypeError with the argument's name),
// zero-copy typed-array views, converted number[] copies (written back when the kernel writes them),
// a synchronous entry and an AsyncWorker entry that returns a Promise and runs the kernel off the
// JS thread. Many kernels can share one addon (the fuzz tests build hundreds in one .cc file).
import type { DType, Kernel } from '../../ir/types.js';
import { Lines } from '../common/tsEmit.js';
import { TYPED_CTOR } from '../../ir/jsSyntax.js';
import { C_TYPE, cppName, genericParams, viewDType } from './cppOps.js';
import { cppConstTables, cppKernelFunction } from './cppKernel.js';

/** The N-API typed-array type of each dtype. */
export const NAPI_TYPE: Readonly<Record<DType, string>> = {
  f64: 'napi_float64_array',
  f32: 'napi_float32_array',
  i32: 'napi_int32_array',
  u32: 'napi_uint32_array',
  i16: 'napi_int16_array',
  u16: 'napi_uint16_array',
  i8: 'napi_int8_array',
  u8: 'napi_uint8_array',
  u8c: 'napi_uint8_clamped_array',
};
const JS_TYPE = TYPED_CTOR;

export interface NativeKernelSource {
  /** The kernel's namespace: constant tables, compute function, glue. */
  readonly source: string;
  /** Lines for the module's Init: `exports.Set(...)`. */
  readonly registrations: readonly string[];
}

/** C++ of one kernel exported as `<exportName>` (sync) and `<exportName>Async` (Promise); `opts`: loop versioning (on by default) and its unroll-and-jam factor. */
export function nativeKernelSource(
  k: Kernel,
  exportName: string,
  opts: { versioning?: boolean; jam?: number } = {},
): NativeKernelSource {
  const ns = `hl_${cppName(exportName)}`;
  const rows = k.params.some((p) => p.kind === 'array' && p.rank === 2);
  const fn = cppKernelFunction(k, 'compute', 'tbl_', opts);
  const generic = genericParams(k);
  const sig = `${exportName}(${k.params.map((p) => p.name).join(', ')})`;
  const out = new Lines();
  out.line(`namespace ${ns} {`);
  out.line();
  for (const t of cppConstTables(k, 'tbl_')) out.line(t);
  out.line(fn.source.trimEnd());
  out.line();
  // Args: the views and scalars of one call, plus the number[] copies the views point into.
  out.block(
    'struct Args',
    () => {
      if (fn.throws.length) out.line('int hl_thrown = 0;  // 1 + the index of the throw guard that fired');
      if (rows) out.line('int hl_fault = 0;  // a missing row (hotloop::RowFault): kind and column');
      if (rows) out.line('double hl_faultKey = 0;');
      for (const p of k.params) {
        const n = cppName(p.name);
        if (p.kind === 'scalar') out.line(`double ${n} = 0;`);
        else if (p.rank === 2) {
          const t = C_TYPE[viewDType(p)];
          out.line(`hotloop::Rows<${t}> ${n};`);
          out.line(`std::vector<hotloop::View<${t}>> ${n}_rows;`);
          out.line(`std::vector<double> ${n}_copy;  // number[] rows, one after another`);
          out.line(
            `std::vector<int64_t> ${n}_off;  // where each row starts in the copy (-1: viewed in place)`,
          );
        } else {
          out.line(`hotloop::View<${C_TYPE[viewDType(p)]}> ${n};`);
          if (p.container === 'array') out.line(`std::vector<double> ${n}_copy;`);
          if (generic.includes(p.name)) {
            out.line(`hotloop::View<float> ${n}_f32;  // a Float32Array, read in place`);
            out.line(`bool ${n}_isF32 = false;`);
          }
        }
      }
    },
    '};',
  );
  out.line();
  out.line('/** Reads and checks the arguments; false with a pending TypeError when they are wrong. */');
  out.block('static bool read(const Napi::CallbackInfo& info, Args& x)', () => {
    out.line(`if (!hotloop::checkCount(info, ${k.params.length}, "${sig}")) return false;`);
    k.params.forEach((p, i) => {
      const n = cppName(p.name);
      const where = `"${exportName}", "${p.name}"`;
      if (p.kind === 'scalar' && p.truthy) out.line(`hotloop::readTruthy(info[${i}], x.${n});`);
      else if (p.kind === 'scalar')
        out.line(`if (!hotloop::readScalar(info[${i}], ${where}, x.${n})) return false;`);
      // Rows: typed rows in place; number[] rows (which also take a Float64Array) copied into one buffer.
      else if (p.rank === 2) {
        const d = p.container === 'array' ? 'f64' : p.dtype;
        const type = `${NAPI_TYPE[d]}, "${JS_TYPE[d]}${p.container === 'array' ? ' or number[]' : ''}"`;
        out.line(
          `if (!hotloop::readRows(info[${i}], ${type}, ${p.container === 'array'}, ${where}, x.${n}_rows, x.${n}_copy, x.${n}_off, x.${n})) return false;`,
        );
      }
      // A number[] parameter also takes a Float64Array, zero-copy (the route advice recommends), and
      // any other typed array the original accepts (converted; written back with JS's conversion).
      else if (p.container === 'array') {
        // One Node-API call tells a typed array (and gives its elements) from anything else.
        out.line(
          `{ hotloop::Typed t; if (!hotloop::typedOf(info[${i}], t)) { if (!hotloop::readNumbers(info[${i}], ${where}, x.${n}_copy, x.${n})) return false; } else`,
        );
        if (generic.includes(p.name))
          out.line(
            `if (t.type == napi_float32_array) { x.${n}_isF32 = true; x.${n}_f32 = hotloop::viewOf<float>(t); } else`,
          );
        out.line(
          `if (!hotloop::takeAnyTyped(info.Env(), t, ${p.access !== 'readwrite'}, ${where}, x.${n}_copy, x.${n})) return false; }`,
        );
      } else
        out.line(
          `if (!hotloop::readTyped(info[${i}], ${NAPI_TYPE[p.dtype]}, "${JS_TYPE[p.dtype]}", ${where}, x.${n})) return false;`,
        );
    });
    out.line('return true;');
  });
  out.line();
  const throws = fn.throws.length > 0;
  if (throws) {
    // A `throw` guard of the kernel: the same JS error class and message as the original's.
    out.block('static Napi::Error thrown(Napi::Env env, int code)', () => {
      out.block('switch (code)', () => {
        fn.throws.forEach((t, i) => {
          const cls = t.error === 'Error' ? 'Napi::Error' : `Napi::${t.error}`;
          out.line(`case ${i + 1}: return ${cls}::New(env, ${JSON.stringify(t.message)});`);
        });
        out.line(`default: return Napi::Error::New(env, "hotloop: unknown error code");`);
      });
    });
    out.line();
  }
  const resT = fn.resultTy;
  runFunction(out, resT, computeCall(k, generic, throws), rows);
  out.line();
  const written = k.params.flatMap((p, i) =>
    p.kind === 'array' && p.container === 'array' && p.access !== 'read'
      ? [{ i, n: cppName(p.name), rows: p.rank === 2 }]
      : [],
  );
  const writeBack = (w: (typeof written)[number], v: string): string =>
    w.rows
      ? `hotloop::writeRows(${v}, x.${w.n}_copy, x.${w.n}_off, x.${w.n}_rows);`
      : `if (!${v}.IsTypedArray()) hotloop::writeNumbers(${v}, x.${w.n}_copy); else if (x.${w.n}.data == x.${w.n}_copy.data() && !x.${w.n}_copy.empty()) hotloop::writeConverted(${v}, x.${w.n}_copy);`;
  const resultArrayIndex =
    k.result.kind === 'array'
      ? k.params.findIndex((p) => k.result.kind === 'array' && p.name === k.result.name)
      : -1;
  const truthyResult = k.result.kind === 'scalar' && k.result.truthy === true;
  const toJs = (value: string, env: string): string => {
    // A flag the kernel gives back: JS truthiness of the number (0, -0 and NaN are false).
    if (resT === 'double' && truthyResult)
      return `Napi::Boolean::New(${env}, ${value} == ${value} && ${value} != 0)`;
    if (resT === 'double') return `Napi::Number::New(${env}, ${value})`;
    if (resT === 'bool') return `Napi::Boolean::New(${env}, ${value})`;
    return `${env}.Undefined()`;
  };
  out.block('static Napi::Value Sync(const Napi::CallbackInfo& info)', () => {
    out.line('Args x;');
    out.line('if (!read(info, x)) return info.Env().Undefined();');
    if (resT === 'void') out.line('run(x);');
    else out.line(`${resT} r = run(x);`);
    for (const w of written) out.line(writeBack(w, `info[${w.i}]`));
    if (rows)
      out.line(
        'if (x.hl_fault) { hotloop::rowFaultError(info.Env(), x.hl_fault, x.hl_faultKey).ThrowAsJavaScriptException(); return info.Env().Undefined(); }',
      );
    if (throws)
      out.line(
        'if (x.hl_thrown) { thrown(info.Env(), x.hl_thrown).ThrowAsJavaScriptException(); return info.Env().Undefined(); }',
      );
    if (resultArrayIndex >= 0) out.line(`return info[${resultArrayIndex}];`);
    else out.line(`return ${toJs('r', 'info.Env()')};`);
  });
  out.line();
  out.line(
    '/** Runs the kernel on a libuv worker thread; the arrays are kept alive until the Promise settles. */',
  );
  out.block(
    'class Worker : public Napi::AsyncWorker',
    () => {
      out.line(' public:');
      out.line(
        'explicit Worker(Napi::Env env) : Napi::AsyncWorker(env, "hotloop:' +
          exportName +
          '"), deferred(Napi::Promise::Deferred::New(env)) {}',
      );
      out.line('Args x;');
      out.line('Napi::Promise::Deferred deferred;');
      out.line('std::vector<Napi::ObjectReference> keep;  // the array arguments, by position');
      out.line(resT === 'void' ? '' : `${resT} r{};`);
      out.line(`void Execute() override { ${resT === 'void' ? 'run(x);' : 'r = run(x);'} }`);
      out.block('void OnOK() override', () => {
        out.line('Napi::Env env = Env();');
        for (const w of written) out.line(writeBack(w, `keep[${w.i}].Value()`));
        if (rows)
          out.line(
            'if (x.hl_fault) { deferred.Reject(hotloop::rowFaultError(env, x.hl_fault, x.hl_faultKey).Value()); return; }',
          );
        if (throws)
          out.line('if (x.hl_thrown) { deferred.Reject(thrown(env, x.hl_thrown).Value()); return; }');
        if (resultArrayIndex >= 0) out.line(`deferred.Resolve(keep[${resultArrayIndex}].Value());`);
        else out.line(`deferred.Resolve(${toJs('r', 'env')});`);
      });
      out.line('void OnError(const Napi::Error& e) override { deferred.Reject(e.Value()); }');
    },
    '};',
  );
  out.line();
  out.block('static Napi::Value Async(const Napi::CallbackInfo& info)', () => {
    out.line('auto* w = new Worker(info.Env());');
    out.block('if (!read(info, w->x))', () => {
      out.line('delete w;');
      out.line('return info.Env().Undefined();');
    });
    out.line('w->keep.resize(info.Length());');
    out.line(
      'for (size_t i = 0; i < info.Length(); i++) if (info[i].IsObject()) w->keep[i] = Napi::Persistent(info[i].As<Napi::Object>());',
    );
    out.line('Napi::Promise promise = w->deferred.Promise();');
    out.line('w->Queue();');
    out.line('return promise;');
  });
  out.line();
  out.line(`}  // namespace ${ns}`);
  return {
    source: out.text(),
    registrations: [
      `exports.Set("${exportName}", Napi::Function::New(env, ${ns}::Sync, "${exportName}"));`,
      `exports.Set("${exportName}Async", Napi::Function::New(env, ${ns}::Async, "${exportName}Async"));`,
    ],
  };
}

/**
 * `run(x)`: the kernel on the call's arguments. With arrays of rows, a missing row unwinds here
 * (longjmp from the prelude's row access) and is recorded in `x.hl_fault` for the glue to throw.
 */
/** The call of the kernel: one instantiation per element type (Float64/Float32) of each generic parameter. */
function computeCall(k: Kernel, generic: readonly string[], throws: boolean): string {
  const call = (f32: ReadonlySet<string>): string => {
    const args = k.params.map((p) => `x.${cppName(p.name)}${f32.has(p.name) ? '_f32' : ''}`);
    return `compute(${[...args, ...(throws ? ['x.hl_thrown'] : [])].join(', ')})`;
  };
  const pick = (j: number, f32: ReadonlySet<string>): string => {
    if (j === generic.length) return call(f32);
    const g = generic[j]!;
    return `(x.${cppName(g)}_isF32 ? ${pick(j + 1, new Set([...f32, g]))} : ${pick(j + 1, f32)})`;
  };
  return pick(0, new Set());
}

function runFunction(out: Lines, resT: string, call: string, rows: boolean): void {
  if (!rows) {
    out.line(`static ${resT} run(Args& x) { ${resT === 'void' ? '' : 'return '}${call}; }`);
    return;
  }
  out.block(`static ${resT} run(Args& x)`, () => {
    out.line('std::jmp_buf jump;');
    out.line('hotloop::RowFault& fault = hotloop::rowFault;');
    out.line('fault.jump = &jump;');
    out.block('if (setjmp(jump) != 0)', () => {
      out.line('fault.jump = nullptr;');
      out.line('x.hl_fault = fault.kind;');
      out.line('x.hl_faultKey = fault.key;');
      out.line(resT === 'void' ? 'return;' : 'return {};');
    });
    if (resT === 'void') out.line(`${call};`);
    else out.line(`${resT} r = ${call};`);
    out.line('fault.jump = nullptr;');
    if (resT !== 'void') out.line('return r;');
  });
}

/** A whole addon source: prelude once, then each kernel, then the module's Init. */
export function nativeModuleSource(prelude: string, kernels: readonly NativeKernelSource[]): string {
  const out = new Lines();
  out.line(prelude.trimEnd());
  out.line();
  for (const k of kernels) out.line(k.source.trimEnd()).line();
  out.block('static Napi::Object Init(Napi::Env env, Napi::Object exports)', () => {
    for (const k of kernels) for (const r of k.registrations) out.line(r);
    out.line('return exports;');
  });
  out.line();
  out.line('NODE_API_MODULE(NODE_GYP_MODULE_NAME, Init)');
  return out.text();
}

/**
 * The same addon split over `parts` translation units (compiled in parallel by node-gyp): part j
 * defines `hotloopRegister<j>`, and `init.cc` calls them all. For addons holding many kernels.
 */
export function nativeModuleParts(
  prelude: string,
  kernels: readonly NativeKernelSource[],
  parts: number,
): { path: string; source: string }[] {
  const n = Math.max(1, Math.min(parts, kernels.length));
  const files: { path: string; source: string }[] = [];
  for (let j = 0; j < n; j++) {
    const mine = kernels.filter((_, i) => i % n === j);
    const out = new Lines();
    out.line(prelude.trimEnd()).line();
    for (const k of mine) out.line(k.source.trimEnd()).line();
    out.block(`void hotloopRegister${j}(Napi::Env env, Napi::Object exports)`, () => {
      for (const k of mine) for (const r of k.registrations) out.line(r);
    });
    files.push({ path: `src/part${j}.cc`, source: out.text() });
  }
  const init = new Lines();
  init.line('#include <napi.h>').line();
  for (let j = 0; j < n; j++) init.line(`void hotloopRegister${j}(Napi::Env env, Napi::Object exports);`);
  init.line();
  init.block('static Napi::Object Init(Napi::Env env, Napi::Object exports)', () => {
    for (let j = 0; j < n; j++) init.line(`hotloopRegister${j}(env, exports);`);
    init.line('return exports;');
  });
  init.line().line('NODE_API_MODULE(NODE_GYP_MODULE_NAME, Init)');
  files.push({ path: 'src/init.cc', source: init.text() });
  return files;
}
