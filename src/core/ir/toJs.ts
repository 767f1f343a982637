// The kernel as plain JS source: the "original JS" of generated kernels and the plain-JS rewrite in
// benchmarks. Every operator is parenthesised, so the source evaluates exactly what the interpreter
// evaluates (same operators, same order, same coercions).
import type { DType, Expr, Kernel, Stmt } from './types.js';
import { numLitSource } from './numLit.js';

/** The typed-array constructor of each dtype. */
export const TYPED_CTOR: Readonly<Record<DType, string>> = {
  f64: 'Float64Array',
  f32: 'Float32Array',
  i32: 'Int32Array',
  u32: 'Uint32Array',
  i16: 'Int16Array',
  u16: 'Uint16Array',
  i8: 'Int8Array',
  u8: 'Uint8Array',
  u8c: 'Uint8ClampedArray',
};

export interface KernelToJsOptions {
  /** Function name (default: the kernel's name). */
  readonly name?: string;
  /**
   * Where const tables go: `module` (default) emits `const T = [...];` before the function, like the
   * source it came from; `params` makes them extra parameters after the kernel's own.
   */
  readonly consts?: 'module' | 'params';
  /** Indentation unit (default two spaces). */
  readonly indent?: string;
}

/** JS source of one expression, fully parenthesised. */
export function exprToJs(e: Expr): string {
  switch (e.kind) {
    case 'const': {
      const s = numLitSource(e.value);
      return s.startsWith('-') ? `(${s})` : s;
    }
    case 'var':
      return e.name;
    case 'len':
      return e.row ? `${e.array}[${exprToJs(e.row)}].length` : `${e.array}.length`;
    case 'load':
      return `${e.array}[${exprToJs(e.index)}]${e.col ? `[${exprToJs(e.col)}]` : ''}`;
    case 'bin':
      return `(${exprToJs(e.left)} ${e.op} ${exprToJs(e.right)})`;
    case 'un':
      return `(${e.op}${exprToJs(e.arg)})`;
    case 'call':
      return `Math.${e.fn}(${e.args.map(exprToJs).join(', ')})`;
    case 'select':
      return `(${exprToJs(e.cond)} ? ${exprToJs(e.then)} : ${exprToJs(e.else)})`;
  }
}

/** JS of an early `return` in `k`: the value of a scalar kernel, the array of an array kernel. */
function returnToJs(k: Kernel, st: Extract<Stmt, { kind: 'return' }>): string {
  if (st.value) return `return ${exprToJs(st.value)};`;
  return k.result.kind === 'array' ? `return ${k.result.name};` : 'return;';
}

/** The JS loop header of a `for` (`stepName`: the variable holding a run-time step, evaluated once before). */
export function forHeaderJs(st: Extract<Stmt, { kind: 'for' }>, stepName?: string): string {
  const i = st.index;
  const cmp = st.step > 0 ? '<' : '>';
  const inc = stepName
    ? `${i} += ${stepName}`
    : st.step === 1
      ? `${i}++`
      : st.step === -1
        ? `${i}--`
        : `${i} += ${st.step}`;
  return `for (let ${i} = ${exprToJs(st.start)}; ${i} ${cmp} ${exprToJs(st.end)}; ${inc})`;
}

function stmtsToJs(k: Kernel, stmts: readonly Stmt[], pad: string, unit: string, out: string[]): void {
  for (const st of stmts) {
    switch (st.kind) {
      case 'let':
        out.push(`${pad}let ${st.name} = ${exprToJs(st.init)};`);
        break;
      case 'assign':
        out.push(`${pad}${st.name} = ${exprToJs(st.value)};`);
        break;
      case 'store': {
        const col = st.col ? `[${exprToJs(st.col)}]` : '';
        out.push(`${pad}${st.array}[${exprToJs(st.index)}]${col} = ${exprToJs(st.value)};`);
        break;
      }
      case 'if':
        out.push(`${pad}if (${exprToJs(st.cond)}) {`);
        stmtsToJs(k, st.then, pad + unit, unit, out);
        if (st.else.length) {
          out.push(`${pad}} else {`);
          stmtsToJs(k, st.else, pad + unit, unit, out);
        }
        out.push(`${pad}}`);
        break;
      case 'for': {
        // A run-time step is evaluated once, before the loop, in a block of its own.
        const stepName = st.stepExpr ? `${st.index}_step` : undefined;
        const inner = stepName ? pad + unit : pad;
        if (stepName && st.stepExpr)
          out.push(`${pad}{`, `${inner}const ${stepName} = ${exprToJs(st.stepExpr)};`);
        out.push(`${inner}${forHeaderJs(st, stepName)} {`);
        stmtsToJs(k, st.body, inner + unit, unit, out);
        out.push(`${inner}}`);
        if (stepName) out.push(`${pad}}`);
        break;
      }
      case 'break':
      case 'continue':
        out.push(`${pad}${st.kind};`);
        break;
      case 'return':
        out.push(`${pad}${returnToJs(k, st)}`);
        break;
      case 'throw':
        out.push(`${pad}throw new ${st.error}(${JSON.stringify(st.message)});`);
        break;
    }
  }
}

/** The kernel as the source of a plain JS function declaration (preceded by its const tables). */
export function kernelToJs(k: Kernel, opts: KernelToJsOptions = {}): string {
  const unit = opts.indent ?? '  ';
  const asParams = opts.consts === 'params';
  const out: string[] = [];
  if (!asParams) {
    for (const t of k.consts) {
      const list = `[${t.values.map(numLitSource).join(', ')}]`;
      // f64 tables are `number[]` literals, like the source; others are typed arrays of their dtype.
      out.push(`const ${t.name} = ${t.dtype === 'f64' ? list : `new ${TYPED_CTOR[t.dtype]}(${list})`};`);
    }
  }
  const params = [...k.params.map((p) => p.name), ...(asParams ? k.consts.map((t) => t.name) : [])];
  out.push(`function ${opts.name ?? k.name}(${params.join(', ')}) {`);
  stmtsToJs(k, k.body, unit, unit, out);
  switch (k.result.kind) {
    case 'void':
      break;
    case 'scalar':
      out.push(`${unit}return ${exprToJs(k.result.expr)};`);
      break;
    case 'array':
      out.push(`${unit}return ${k.result.name};`);
      break;
  }
  out.push('}');
  return out.join('\n') + '\n';
}
