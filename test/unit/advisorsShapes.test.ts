// The shapes advisor on its fixtures, each a small program run under V8's IC log: the positives
// (property orders, five decoders, class and literal, a property added later, a store site) get
// advice at the site with the shapes named and where each was made; the look-alikes (monomorphic
// sites, one factory, one class, polymorphic but cold) get none. Goldens hold the sites, states and
// shapes (not map counts or timings). And the V8 log parser on a hand-written log.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { adviseShapesRun, parseV8Log, type ShapesFinding } from '../../src/core/advisors/shapes/index.js';
import { fixtureNames, golden, type FixtureKind } from '../support/advisorFixtures.js';

const root = join(import.meta.dirname, '..', '..');
const dir = join(root, 'test', 'fixtures', 'advisors', 'shapes');

const summary = (f: ShapesFinding): unknown => ({
  line: f.line,
  column: f.column,
  key: f.key,
  access: f.access,
  state: f.state,
  functionName: f.functionName,
  inLoop: f.inLoop,
  verdict: f.verdict.kind,
  shapes: f.shapes
    .map(
      (s) => `{ ${s.properties.join(', ')} } ${s.madeAt ? `${s.madeAt.functionName}:${s.madeAt.line}` : '?'}`,
    )
    .sort(),
});

async function findings(kind: FixtureKind, name: string): Promise<ShapesFinding[]> {
  const file = `test/fixtures/advisors/shapes/${kind}/${name}`;
  const r = await adviseShapesRun({ root, file, timeoutMs: 120_000 });
  assert.equal(r.exit.code, 0, `${name} ran`);
  assert.ok(r.logBytes > 0, 'V8 wrote its log');
  return r.findings.filter((f) => f.file === file);
}

describe('shapes advisor: positive fixtures', () => {
  const names = fixtureNames(dir, 'positive');
  test('there are at least 5', () => {
    assert.ok(names.length >= 5, names.join(', '));
  });
  for (const name of names)
    test(`${name}: advice at the polymorphic site, shapes named`, async () => {
      const found = await findings('positive', name);
      const advice = found.filter((f) => f.verdict.kind === 'advice');
      assert.ok(advice.length > 0, JSON.stringify(found.map(summary)));
      for (const f of advice) {
        assert.ok(f.optimized && f.maps >= 2, JSON.stringify(summary(f)));
        assert.ok(
          f.shapes.some((s) => s.madeAt !== undefined),
          'where a shape was made',
        );
      }
      golden(
        join(dir, 'positive', name.replace(/\.js$/, '.golden.json')),
        `${JSON.stringify(advice.map(summary), null, 2)}\n`,
      );
    });
});

describe('shapes advisor: negative fixtures (look-alikes)', () => {
  const names = fixtureNames(dir, 'negative');
  test('there are at least 5', () => {
    assert.ok(names.length >= 5, names.join(', '));
  });
  for (const name of names)
    test(`${name}: no advice`, async () => {
      const found = await findings('negative', name);
      assert.deepEqual(found.filter((f) => f.verdict.kind === 'advice').map(summary), []);
      golden(
        join(dir, 'negative', name.replace(/\.js$/, '.golden.json')),
        `${JSON.stringify(found.map(summary), null, 2)}\n`,
      );
    });
});

test('parseV8Log: code objects, IC transitions, map properties and makers', () => {
  const log = parseV8Log(
    [
      'code-creation,JS,10,100,0x1000,64,sum /w/a.js:6:13,0xaa,~',
      'code-creation,JS,13,900,0x9000,640,sum /w/a.js:6:13,0xaa,*',
      'LoadIC,0x1010,500,9,52,0,1,0x77,x,,',
      'LoadIC,0x1010,510,9,52,1,P,0x88,x,,',
      String.raw`map-details,50,0x77,0x77: [Map]\n - type: JS_OBJECT_TYPE\n - instance descriptors (own) #2: 0x1 <DescriptorArray[2]>\n\n  [0]: 0x2: [String] in ReadOnlySpace: #y (const data field 0:v\x2C p: 0) @ None\n  [1]: 0x3: [String] in ReadOnlySpace: #x (const data field 1:v) @ None\n`,
      'map,Transition,60,0x66,0x77,0x1020,2,21,,x',
    ].join('\n'),
  );
  assert.equal(log.code.length, 2);
  assert.deepEqual(
    { name: log.code[0]!.name, script: log.code[0]!.script, tier: log.code[1]!.tier },
    { name: 'sum', script: '/w/a.js', tier: '*' },
  );
  assert.deepEqual(
    log.ics.map((e) => [e.line, e.column, [...e.states], [...e.maps], e.key]),
    [[9, 52, ['1', 'P'], ['0x77', '0x88'], 'x']],
  );
  assert.deepEqual(log.maps.get('0x77'), {
    properties: ['y', 'x'],
    type: 'JS_OBJECT_TYPE',
    madeAt: { pc: 0x1020, line: 2, column: 21 },
  });
});
