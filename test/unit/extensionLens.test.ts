import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  elementTypes,
  hoverMarkdown,
  lensTitle,
  loopAtLine,
  loopTable,
  loopsWithLens,
  patternLabel,
  summaryText,
  verdictText,
} from '../../src/extension/lenses/lensModel.js';
import { fileAnalysis, gemmInner, gemmOuter, loop, parseLoop, sumLoop } from './extensionFixtures.js';

describe('lens titles', () => {
  test('a translatable reduction names its pattern and element type', () => {
    assert.equal(lensTitle(sumLoop), 'Hotloop: reduction over Float64Array · translatable');
  });

  test('a non-translatable loop gives the reason', () => {
    assert.equal(lensTitle(parseLoop), 'Hotloop: not translatable — calls parse()');
  });

  test('element types are listed once each, unknown ones left out', () => {
    const mixed = loop({
      id: 'x#f/0',
      arrays: [
        { name: 'a', elementType: 'Float32Array', read: true, written: false },
        { name: 'b', elementType: 'unknown', read: true, written: false },
        { name: 'c', elementType: 'Float32Array', read: false, written: true },
        { name: 'd', elementType: 'number[]', read: true, written: false },
      ],
      verdict: { translatable: true, pattern: 'map', orderSensitive: false },
    });
    assert.deepEqual(elementTypes(mixed), ['Float32Array', 'number[]']);
    assert.equal(verdictText(mixed), 'map over Float32Array, number[] · translatable');
    assert.equal(verdictText(loop({ id: 'y#g/0', arrays: [] })), 'reduction · translatable');
  });

  test('contributor segments go after the verdict, or before it with placement "before"; empty ones are skipped', () => {
    const title = lensTitle(sumLoop, [
      { text: 'try wasm (×3.1)' },
      { text: '41 % CPU', placement: 'before' },
      { text: '  ' },
      { text: '2.1 M iter/s', placement: 'before' },
    ]);
    assert.equal(
      title,
      'Hotloop: 41 % CPU · 2.1 M iter/s · reduction over Float64Array · translatable · try wasm (×3.1)',
    );
  });

  test('every pattern has a label', () => {
    const patterns = [
      'map',
      'reduce',
      'map-reduce',
      'scan',
      'stencil',
      'gemv',
      'gemm',
      'conv',
      'nested',
    ] as const;
    const labels = patterns.map(patternLabel);
    assert.equal(new Set(labels).size, patterns.length);
    assert.equal(patternLabel('gemm'), 'matrix product (gemm)');
  });
});

describe('which loops get lenses', () => {
  test('showNotTranslatable=false hides loops with a reason', () => {
    assert.deepEqual(loopsWithLens([sumLoop, parseLoop], true), [sumLoop, parseLoop]);
    assert.deepEqual(loopsWithLens([sumLoop, parseLoop], false), [sumLoop]);
  });

  test('the loop at a header line is the innermost one starting there', () => {
    const sameLine = { ...gemmInner, range: { ...gemmInner.range, start: gemmOuter.range.start } };
    assert.equal(loopAtLine([gemmOuter, sameLine], 4), sameLine);
    assert.equal(loopAtLine([gemmOuter, gemmInner], 5), gemmInner);
    assert.equal(loopAtLine([gemmOuter, gemmInner], 6), undefined);
  });
});

describe('hover', () => {
  test('states pattern, arrays with element types, trip count and order sensitivity', () => {
    const md = hoverMarkdown(gemmOuter);
    assert.match(md, /\| pattern \| matrix product \\\(gemm\\\) — translatable \|/);
    assert.match(md, /`a`: Float64Array \(read\), `b`: Float64Array \(read\), `c`: Float64Array \(write\)/);
    assert.match(md, /\| trip count \| `n` \|/);
    assert.match(md, /order-sensitive/);
    assert.match(md, /`src\/matmul\.ts#gemm\/0`/);
  });

  test('states the reason of a non-translatable loop and its stable code', () => {
    const md = hoverMarkdown(parseLoop);
    assert.match(md, /\| reason \| calls parse\\\(\\\) \|/);
    assert.match(md, /`calls-function`/);
    assert.match(md, /trip count \| not statically known/);
    assert.doesNotMatch(md, /order-/);
  });

  test('lists inlined helpers from the kernel', () => {
    const withKernel = loop({
      id: 'k#variance/0',
      kernel: {
        irVersion: 1,
        name: 'variance',
        params: [],
        consts: [],
        body: [],
        result: { kind: 'void' },
        pattern: 'map-reduce',
        orderSensitive: true,
        inlined: ['sq', 'mean'],
      },
    });
    assert.match(hoverMarkdown(withKernel), /\| inlined helpers \| `sq\(\)`, `mean\(\)` \|/);
  });
});

describe('log table and summary', () => {
  test('one row per loop with 1-based lines, nested loops indented', () => {
    const table = loopTable(fileAnalysis('src/matmul.ts', [gemmOuter, gemmInner]));
    const lines = table.split('\n');
    assert.equal(lines.length, 4);
    assert.match(lines[0]!, /^line\s+function\s+kind\s+arrays\s+verdict$/);
    assert.match(
      lines[2]!,
      /^5\s+gemm\s+for\s+a:Float64Array b:Float64Array c:Float64Array\s+matrix product \(gemm\)/,
    );
    assert.match(lines[3]!, /^6\s+ {2}gemm/);
  });

  test('summary counts loops and translatable ones over files', () => {
    assert.equal(
      summaryText([fileAnalysis('a', [sumLoop, parseLoop]), fileAnalysis('b', [gemmOuter])]),
      '3 loops, 2 translatable',
    );
    assert.equal(summaryText([fileAnalysis('a', [parseLoop])]), '1 loop, 0 translatable');
  });
});
