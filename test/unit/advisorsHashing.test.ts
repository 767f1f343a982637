// The hashing advisor on its fixtures: goldens of the findings and of the rewritten files; the
// rewritten positives return what the originals return (sizes 0, 1, odd, larger; values with NaN,
// ±Infinity, -0 and integers), and the look-alikes get no rewrite, each with its reason.
import { join } from 'node:path';
import { adviseHashing, applyHashing, type HashingFinding } from '../../src/core/advisors/hashing/index.js';
import { valueFixtureSuite } from '../support/advisorValueSuite.js';

const dir = join(import.meta.dirname, '..', 'fixtures', 'advisors', 'hashing');

const summary = (f: HashingFinding): unknown => {
  const v = f.verdict;
  return {
    kind: f.kind,
    line: f.line,
    functionName: f.functionName,
    object: f.object,
    verdict: v.kind === 'rewrite' ? { kind: v.kind, summary: v.summary, assumes: v.assumes } : v,
  };
};

valueFixtureSuite({ label: 'hashing', dir, advise: adviseHashing, apply: applyHashing, summary });
