// The three calibration kernels as Kernel IR (what the analysis lowers them to), written out so
// the calibration does not load TypeScript. Source:
//   calSum(xs)      { let s = 0; for (…) s += xs[i]; return s; }                       reduce
//   calVar(xs)      two passes: mean, then Σ(x − mean)²; returns the population variance   map-reduce
//   calMap(x, out)  { for (…) out[i] = 2 * x[i] + 1; }                                    map
// test/unit/adviceCalibrate.test.ts checks these equal what analyzeSource produces today.
import type { Kernel } from '../ir/types.js';

export const CAL_SOURCE = `
export function calSum(xs: Float64Array): number { let s = 0; for (let i = 0; i < xs.length; i++) s += xs[i]; return s; }
export function calVar(xs: Float64Array): number { let m = 0; for (let i = 0; i < xs.length; i++) m += xs[i]; m /= xs.length; let v = 0; for (let i = 0; i < xs.length; i++) { const d = xs[i] - m; v += d * d; } return v / xs.length; }
export function calMap(x: Float64Array, out: Float64Array): void { for (let i = 0; i < x.length; i++) out[i] = 2 * x[i] + 1; }
`;

export const CAL_KERNELS: { readonly sum: Kernel; readonly var: Kernel; readonly map: Kernel } = {
  sum: {
    irVersion: 1,
    name: 'calSum',
    params: [{ kind: 'array', name: 'xs', dtype: 'f64', container: 'typed', access: 'read' }],
    consts: [],
    body: [
      { kind: 'let', name: 's', dtype: 'f64', init: { kind: 'const', value: 0 } },
      {
        kind: 'for',
        index: 'i',
        start: { kind: 'const', value: 0 },
        end: { kind: 'len', array: 'xs' },
        step: 1,
        body: [
          {
            kind: 'assign',
            name: 's',
            value: {
              kind: 'bin',
              op: '+',
              left: { kind: 'var', name: 's' },
              right: { kind: 'load', array: 'xs', index: { kind: 'var', name: 'i' } },
            },
          },
        ],
        parallel: { reductions: [{ name: 's', op: 'sum' }] },
      },
    ],
    result: { kind: 'scalar', expr: { kind: 'var', name: 's' } },
    pattern: 'reduce',
    orderSensitive: true,
    inlined: [],
  },
  var: {
    irVersion: 1,
    name: 'calVar',
    params: [{ kind: 'array', name: 'xs', dtype: 'f64', container: 'typed', access: 'read' }],
    consts: [],
    body: [
      { kind: 'let', name: 'm', dtype: 'f64', init: { kind: 'const', value: 0 } },
      {
        kind: 'for',
        index: 'i',
        start: { kind: 'const', value: 0 },
        end: { kind: 'len', array: 'xs' },
        step: 1,
        body: [
          {
            kind: 'assign',
            name: 'm',
            value: {
              kind: 'bin',
              op: '+',
              left: { kind: 'var', name: 'm' },
              right: { kind: 'load', array: 'xs', index: { kind: 'var', name: 'i' } },
            },
          },
        ],
        parallel: { reductions: [{ name: 'm', op: 'sum' }] },
      },
      {
        kind: 'assign',
        name: 'm',
        value: {
          kind: 'bin',
          op: '/',
          left: { kind: 'var', name: 'm' },
          right: { kind: 'len', array: 'xs' },
        },
      },
      { kind: 'let', name: 'v', dtype: 'f64', init: { kind: 'const', value: 0 } },
      {
        kind: 'for',
        index: 'i_2',
        start: { kind: 'const', value: 0 },
        end: { kind: 'len', array: 'xs' },
        step: 1,
        body: [
          {
            kind: 'let',
            name: 'd',
            dtype: 'f64',
            init: {
              kind: 'bin',
              op: '-',
              left: { kind: 'load', array: 'xs', index: { kind: 'var', name: 'i_2' } },
              right: { kind: 'var', name: 'm' },
            },
          },
          {
            kind: 'assign',
            name: 'v',
            value: {
              kind: 'bin',
              op: '+',
              left: { kind: 'var', name: 'v' },
              right: {
                kind: 'bin',
                op: '*',
                left: { kind: 'var', name: 'd' },
                right: { kind: 'var', name: 'd' },
              },
            },
          },
        ],
        parallel: { reductions: [{ name: 'v', op: 'sum' }] },
      },
    ],
    result: {
      kind: 'scalar',
      expr: { kind: 'bin', op: '/', left: { kind: 'var', name: 'v' }, right: { kind: 'len', array: 'xs' } },
    },
    pattern: 'map-reduce',
    orderSensitive: true,
    inlined: [],
  },
  map: {
    irVersion: 1,
    name: 'calMap',
    params: [
      { kind: 'array', name: 'x', dtype: 'f64', container: 'typed', access: 'read' },
      { kind: 'array', name: 'out', dtype: 'f64', container: 'typed', access: 'write' },
    ],
    consts: [],
    body: [
      {
        kind: 'for',
        index: 'i',
        start: { kind: 'const', value: 0 },
        end: { kind: 'len', array: 'x' },
        step: 1,
        body: [
          {
            kind: 'store',
            array: 'out',
            index: { kind: 'var', name: 'i' },
            value: {
              kind: 'bin',
              op: '+',
              left: {
                kind: 'bin',
                op: '*',
                left: { kind: 'const', value: 2 },
                right: { kind: 'load', array: 'x', index: { kind: 'var', name: 'i' } },
              },
              right: { kind: 'const', value: 1 },
            },
          },
        ],
        parallel: { reductions: [] },
      },
    ],
    result: { kind: 'void' },
    pattern: 'map',
    orderSensitive: false,
    inlined: [],
  },
};
