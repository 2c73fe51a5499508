#!/usr/bin/env node
// Runs every *.test.ts under the given folders (default: src and test) with Node's built-in test
// runner, TypeScript loaded through tsx. Node 20's runner does not glob, so we list files here.
import { readdirSync, statSync } from 'node:fs';
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
const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-force-exit', '--test-concurrency=2', ...passthrough, ...files], {
  stdio: 'inherit',
  env: { ...process.env, SKIFF_LOG: process.env.SKIFF_LOG ?? 'quiet' },
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
