// Registry-driven docs check: every registered scaffold target is described in the README's
// "Scaffolding rewrites" section (a `- **<target>**` entry), so a new target cannot ship undocumented.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { emitters, targetNames } from '../../src/core/scaffold/registry.js';

const ROOT = join(import.meta.dirname, '..', '..');

test('every registered target has an entry in the README scaffolding section and a title', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('## Scaffolding rewrites');
  const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
  assert.ok(start >= 0 && section.length > 0, 'README has a "Scaffolding rewrites" section');
  const missing = targetNames().filter((t) => !section.includes(`\n- **${t}**`));
  assert.deepEqual(missing, [], 'targets without a `- **<target>**` entry in README.md');
  for (const e of emitters) assert.ok(e.title.trim().length > 0, `${e.target} has a picker title`);
  assert.ok(targetNames().includes('js'), 'the tuned-JS target is registered');
});
