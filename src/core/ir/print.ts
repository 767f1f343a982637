// A stable, readable text form of a kernel for golden tests and hovers. Expressions use JS syntax
// with the fewest parentheses JS precedence allows; statements use a compact loop notation:
//   kernel dot(a: f64[] typed read, b: f64[] typed read, n: i32) -> scalar
//     pattern reduce, order-sensitive
//     let s: f64 = 0
//     for i in 0 ..< n step 1 parallel(sum s) {
//       s = s + a[i] * b[i]
//     }
//     return s
import type { Expr, Kernel, Param, Stmt } from './types.js';
import { numLitSource } from './numLit.js';
import { JS_ATOM_PREC, JS_PREC, JS_SELECT_PREC, JS_UNARY_PREC } from './jsSyntax.js';

const PREC = JS_PREC;
const UNARY_PREC = JS_UNARY_PREC;
const ATOM_PREC = JS_ATOM_PREC;

function prec(e: Expr): number {
  switch (e.kind) {
    case 'bin':
      return PREC[e.op];
    case 'un':
      return e.op === 'notNull' ? PREC['!=='] : UNARY_PREC;
    case 'select':
      return JS_SELECT_PREC;
    case 'const':
      return numLitSource(e.value).startsWith('-') ? UNARY_PREC : ATOM_PREC;
    default:
      return ATOM_PREC;
  }
}

function wrap(e: Expr, min: number): string {
  const s = printExpr(e);
  return prec(e) < min ? `(${s})` : s;
}

/** One expression in JS syntax with minimal parentheses. */
export function printExpr(e: Expr): string {
  switch (e.kind) {
    case 'const':
      return numLitSource(e.value);
    case 'var':
      return e.name;
    case 'len':
      return e.row ? `${e.array}[${printExpr(e.row)}].length` : `${e.array}.length`;
    case 'load':
      return `${e.array}[${printExpr(e.index)}]${e.col ? `[${printExpr(e.col)}]` : ''}`;
    case 'bin': {
      const p = PREC[e.op];
      if (e.op === '**') {
        // `**` is right-associative and a unary operand on its left is a syntax error.
        return `${wrap(e.left, UNARY_PREC + 1)} ** ${wrap(e.right, p)}`;
      }
      return `${wrap(e.left, p)} ${e.op} ${wrap(e.right, p + 1)}`;
    }
    case 'un': {
      if (e.op === 'notNull') return `${wrap(e.arg, PREC['!=='] + 1)} !== null`;
      const inner = wrap(e.arg, UNARY_PREC);
      // Avoid `--x` / `++x` when the operand itself starts with the same sign.
      return (e.op === '-' || e.op === '+') && inner.startsWith(e.op)
        ? `${e.op}(${inner})`
        : `${e.op}${inner}`;
    }
    case 'call':
      return `Math.${e.fn}(${e.args.map(printExpr).join(', ')})`;
    case 'select':
      return `${wrap(e.cond, JS_SELECT_PREC + 1)} ? ${wrap(e.then, JS_SELECT_PREC)} : ${wrap(e.else, JS_SELECT_PREC)}`;
  }
}

function printParam(p: Param): string {
  if (p.kind === 'scalar') return `${p.name}: ${p.dtype}${p.truthy ? ' truthy' : ''}`;
  const fresh = p.fresh ? ` fresh(${printExpr(p.fresh.length)}${p.fresh.plain ? ', plain' : ''})` : '';
  const extra = `${p.rank === 2 ? ' rank2' : ''}${p.typeSource === 'inferred' ? ' inferred' : ''}${fresh}`;
  return `${p.name}: ${p.dtype}[]${p.rank === 2 ? '[]' : ''} ${p.container} ${p.access}${extra}`;
}

function printStmts(stmts: readonly Stmt[], pad: string, out: string[]): void {
  for (const st of stmts) {
    switch (st.kind) {
      case 'let':
        out.push(`${pad}let ${st.name}: ${st.dtype} = ${printExpr(st.init)}`);
        break;
      case 'assign':
        out.push(`${pad}${st.name} = ${printExpr(st.value)}`);
        break;
      case 'store':
        out.push(
          `${pad}${st.array}[${printExpr(st.index)}]${st.col ? `[${printExpr(st.col)}]` : ''} = ${printExpr(st.value)}`,
        );
        break;
      case 'if':
        out.push(`${pad}if ${printExpr(st.cond)} {`);
        printStmts(st.then, pad + '  ', out);
        if (st.else.length) {
          out.push(`${pad}} else {`);
          printStmts(st.else, pad + '  ', out);
        }
        out.push(`${pad}}`);
        break;
      case 'for': {
        const par = st.parallel
          ? ` parallel(${st.parallel.reductions.map((r) => `${r.op} ${r.name}`).join(', ')})`
          : '';
        const range = st.step > 0 ? '..<' : '..>';
        const step = st.stepExpr ? `(${printExpr(st.stepExpr)})` : String(st.step);
        out.push(
          `${pad}for ${st.index} in ${printExpr(st.start)} ${range} ${printExpr(st.end)} step ${step}${par} {`,
        );
        printStmts(st.body, pad + '  ', out);
        out.push(`${pad}}`);
        break;
      }
      case 'break':
      case 'continue':
        out.push(`${pad}${st.kind}`);
        break;
      case 'return':
        out.push(`${pad}${st.value ? `return ${printExpr(st.value)}` : 'return'} early`);
        break;
      case 'throw':
        out.push(`${pad}throw ${st.error}(${JSON.stringify(st.message)})`);
        break;
    }
  }
}

/** The kernel as stable text (one trailing newline). */
export function printKernel(k: Kernel): string {
  const ret =
    k.result.kind === 'void'
      ? 'void'
      : k.result.kind === 'scalar'
        ? k.result.truthy
          ? 'scalar truthy'
          : 'scalar'
        : `array ${k.result.name}`;
  const out = [`kernel ${k.name}(${k.params.map(printParam).join(', ')}) -> ${ret}`];
  const flags = [`pattern ${k.pattern}`, k.orderSensitive ? 'order-sensitive' : 'order-free'];
  if (k.inlined.length) flags.push(`inlined ${k.inlined.join(', ')}`);
  out.push(`  ${flags.join(', ')}`);
  for (const t of k.consts)
    out.push(
      `  const ${t.name}: ${t.dtype}[${t.values.length}] = [${t.values.map(numLitSource).join(', ')}]`,
    );
  printStmts(k.body, '  ', out);
  if (k.result.kind === 'scalar') out.push(`  return ${printExpr(k.result.expr)}`);
  else if (k.result.kind === 'array') out.push(`  return ${k.result.name}`);
  return out.join('\n') + '\n';
}
