#!/usr/bin/env node
// Runs every *.test.ts under the given folders (default: src and test) with Node's built-in test
// runner, TypeScript loaded through tsx. Node 20's runner does not glob, so we list files here.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';

const args = process.argv.slice(2);
const passthrough = args.filter((a) => a.startsWith('--'));
const roots = args.filter((a) => !a.startsWith('--'));
if (roots.length === 0) roots.push('src', 'test');

function walk(p, out) {
  const st = statSync(p);
  if (st.isFile()) {
    if (p.endsWith('.test.ts')) out.push(p);
    return out;
  }
  for (const e of readdirSync(p).sort()) {
    if (e === 'node_modules' || e === 'dist') continue;
    walk(join(p, e), out);
  }
  return out;
}

const files = roots.flatMap((r) => walk(r, []));
if (files.length === 0) {
  console.error('no test files found under', roots.join(', '));
  process.exit(1);
}
// Files marked `// @serial: <reason>` (e.g. e2e tests running a real node agent, which share the
// host's pod bridge and range) run after the others, one at a time.
const serial = files.filter((f) => /^\/\/ @serial:/m.test(readFileSync(f, 'utf8').slice(0, 2000)));
const parallel = files.filter((f) => !serial.includes(f));

function run(list, concurrency) {
  return new Promise((resolve) => {
    if (list.length === 0) return resolve(0);
    const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-force-exit', `--test-concurrency=${concurrency}`, ...passthrough, ...list], {
      stdio: 'inherit',
      env: { ...process.env, SKIFF_LOG: process.env.SKIFF_LOG ?? 'quiet' },
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

const first = await run(parallel, 2);
const second = await run(serial, 1);
process.exit(first || second);
