// CPU shares in tables: a loop with real but small CPU share must not read "0.0 %".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatShare } from '../../src/core/format.js';

test('shares: one decimal from 1 %, two significant digits below, 0 stays 0.0 %', () => {
  assert.equal(formatShare(0.4159), '41.6 %');
  assert.equal(formatShare(0.01), '1.0 %');
  assert.equal(formatShare(0.0035), '0.35 %');
  assert.equal(formatShare(0.00015544), '0.016 %');
  assert.equal(formatShare(0), '0.0 %');
});
