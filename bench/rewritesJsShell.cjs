// Runs a test written for a JavaScript shell (SpiderMonkey's `js -f`: globals `load(file)` and
// `print(…)`, no modules) under Node, for bench:rewrites: dsp.js's test/*-test.js are such scripts.
// `load(x)` finds x beside the script that calls it, else in the working folder; a file that is a
// CommonJS module (it assigns `module.exports`, as dsp.js does when `module` exists) is `require`d
// and its exports become globals — so an applied rewrite's `require('./hotloop/…')` works — and
// any other file runs as a script in the global scope, as the shell would run it. Exit 0 = pass.
//   node bench/rewritesJsShell.cjs test/fft-test.js
//   node bench/rewritesJsShell.cjs -e 'var FREQUENCY=440;' -f dsp.js -f bench/bench.js -f bench/fft.js
'use strict';
const { existsSync, readFileSync } = require('node:fs');
const { dirname, resolve } = require('node:path');
const vm = require('node:vm');

const stack = [];

function find(file) {
  const from = stack.length ? dirname(stack[stack.length - 1]) : process.cwd();
  for (const dir of [from, process.cwd()]) {
    const p = resolve(dir, file);
    if (existsSync(p)) return p;
  }
  throw new Error(`load: ${file} not found beside ${from} or in ${process.cwd()}`);
}

function load(file) {
  const path = find(file);
  const text = readFileSync(path, 'utf8');
  stack.push(path);
  try {
    if (/\bmodule\.exports\s*=/.test(text)) Object.assign(globalThis, require(path));
    else vm.runInThisContext(text, { filename: path });
  } finally {
    stack.pop();
  }
}

globalThis.load = load;
globalThis.print = (...args) => console.log(...args);
const argv = process.argv.slice(2);
if (argv.length === 1 && !argv[0].startsWith('-')) {
  const main = argv[0];
  stack.push(resolve(main));
  vm.runInThisContext(readFileSync(main, 'utf8'), { filename: resolve(main) });
} else {
  // The shell's own command line, as a Makefile writes it: `-e CODE` and `-f FILE` in order, one
  // global scope (dsp.js's `make benchmark`: -e 'var FREQUENCY=440;' -f dsp.js -f bench/bench.js …).
  if (argv.length === 0 || argv.length % 2)
    throw new Error('usage: node bench/rewritesJsShell.cjs SCRIPT | (-e CODE | -f FILE)…');
  for (let i = 0; i < argv.length; i += 2) {
    if (argv[i] === '-e') vm.runInThisContext(argv[i + 1], { filename: '-e' });
    else if (argv[i] === '-f') load(argv[i + 1]);
    else throw new Error(`unknown option ${argv[i]} (only -e CODE and -f FILE)`);
  }
}
