// `skiff proxy --cleanup` for iptables mode (upstream CleanupLeftovers): remove our jump rules, then
// flush and delete every chain we own in filter, nat and mangle.
import { errors } from '../../util/errors.js';
import type { Table } from './chains.js';
import { OWNED_CHAINS } from './chains.js';
import type { CommandRunner } from './exec.js';
import { isServiceChainName } from './hash.js';
import { removeJumps } from './jumps.js';
import { listChains, restore } from './restore.js';

const TABLES: readonly Table[] = ['nat', 'filter', 'mangle'];

/** Restore input that flushes then deletes chains (a chain line flushes, so references go first). */
export function deleteChainsText(table: Table, chains: readonly string[]): string {
  return [`*${table}`, ...chains.map((c) => `:${c} - [0:0]`), ...chains.map((c) => `-X ${c}`), 'COMMIT', ''].join('\n');
}

/** Removes everything iptables mode programs; throws InternalError listing what could not be removed. */
export async function cleanupLeftovers(exec: CommandRunner): Promise<void> {
  const failures = await removeJumps(exec);
  for (const table of TABLES) {
    try {
      const owned = new Set(OWNED_CHAINS[table]);
      const ours = (await listChains(exec, table)).filter((c) => owned.has(c) || (table === 'nat' && isServiceChainName(c)));
      if (ours.length) await restore(exec, deleteChainsText(table, ours.sort()));
    } catch (e) {
      failures.push(`${table}: ${(e as Error).message}`);
    }
  }
  if (failures.length) throw errors.internal(`iptables cleanup: ${failures.join('; ')}`);
}
