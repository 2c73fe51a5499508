// The benchmark harness behind `npm run bench -- <name>…`: each bench is a module bench/<name>.ts
// exporting run(); no name runs every bench in this folder.
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { progress } from './lib.js';

const here = dirname(fileURLToPath(import.meta.url));
const NOT_BENCHES = new Set(['run', 'lib']);

/** Bench names: every bench/<name>.ts except the harness, helpers and tests. */
function known(): string[] {
  return readdirSync(here)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts'))
    .map((f) => f.slice(0, -3))
    .filter((n) => !NOT_BENCHES.has(n) && !n.startsWith('_'))
    .sort();
}

async function main(): Promise<number> {
  const all = known();
  const names = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const unknown = names.filter((n) => !all.includes(n));
  if (unknown.length) {
    process.stderr.write(`unknown bench ${unknown.join(', ')}; known: ${all.join(', ')}\n`);
    return 2;
  }
  let failed = 0;
  for (const name of names.length ? names : all) {
    const mod = (await import(pathToFileURL(join(here, `${name}.ts`)).href)) as { run?: () => Promise<void> };
    if (typeof mod.run !== 'function') {
      progress(`${name}: no run() export, skipped`);
      continue;
    }
    const t0 = performance.now();
    progress(`${name}: starting`);
    try {
      await mod.run();
      progress(`${name}: done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    } catch (err) {
      failed++;
      progress(`${name}: failed: ${err instanceof Error ? err.stack : String(err)}`);
    }
  }
  return failed ? 1 : 0;
}

process.exitCode = await main();
