// Loop facts as the engine produces them, for the extension's pure-helper tests.
import type { FileAnalysis, LoopFacts } from '../../src/core/analysis/types.js';

export function loop(partial: Partial<LoopFacts> & Pick<LoopFacts, 'id'>): LoopFacts {
  const range = partial.range ?? { start: { line: 3, character: 2 }, end: { line: 5, character: 3 } };
  return {
    line: range.start.line + 1,
    file: 'src/stats.ts',
    kind: 'for',
    range: { start: { line: 3, character: 2 }, end: { line: 5, character: 3 } },
    functionName: 'sum',
    depth: 0,
    arrays: [{ name: 'xs', elementType: 'Float64Array', read: true, written: false }],
    verdict: { translatable: true, pattern: 'reduce', orderSensitive: true },
    ...partial,
  };
}

export const sumLoop = loop({ id: 'src/stats.ts#sum/0', tripCount: 'xs.length' });

export const parseLoop = loop({
  id: 'src/csv.ts#parseAll/0',
  file: 'src/csv.ts',
  functionName: 'parseAll',
  range: { start: { line: 10, character: 2 }, end: { line: 12, character: 3 } },
  arrays: [{ name: 'lines', elementType: 'unknown', read: true, written: false }],
  verdict: { translatable: false, code: 'calls-function', reason: 'calls parse()' },
});

export const gemmOuter = loop({
  id: 'src/matmul.ts#gemm/0',
  file: 'src/matmul.ts',
  functionName: 'gemm',
  range: { start: { line: 4, character: 2 }, end: { line: 14, character: 3 } },
  arrays: [
    { name: 'a', elementType: 'Float64Array', read: true, written: false },
    { name: 'b', elementType: 'Float64Array', read: true, written: false },
    { name: 'c', elementType: 'Float64Array', read: false, written: true },
  ],
  tripCount: 'n',
  verdict: { translatable: true, pattern: 'gemm', orderSensitive: true },
});

export const gemmInner = loop({
  ...gemmOuter,
  id: 'src/matmul.ts#gemm/1',
  depth: 1,
  parentId: 'src/matmul.ts#gemm/0',
  range: { start: { line: 5, character: 4 }, end: { line: 13, character: 5 } },
  verdict: { translatable: true, pattern: 'nested', orderSensitive: true },
});

export function fileAnalysis(file: string, loops: LoopFacts[]): FileAnalysis {
  return { schema: 1, file, loops, diagnostics: [] };
}
