// Required (mocha --require) by bench:rewrites for libraries whose shipped tests are jest-style
// (describe/it from the runner, `expect` as a global): jest's own `expect` package, resolved from the
// library's copy (where bench:rewrites installed it), becomes the global. Mocha supplies describe/it.
'use strict';
const { createRequire } = require('node:module');
const { join } = require('node:path');

globalThis.expect = createRequire(join(process.cwd(), 'package.json'))('expect').expect;
