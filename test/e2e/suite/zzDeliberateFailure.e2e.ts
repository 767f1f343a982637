import assert from 'node:assert/strict';
suite('Deliberate failure (temporary)', () => {
  test('fails on purpose', () => {
    assert.equal(1 + 1, 3, 'deliberately failing in-host test');
  });
});
