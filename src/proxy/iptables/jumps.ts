// Rules in the built-in chains, ensured one command at a time outside the restore (upstream
// EnsureChain + EnsureRule(Prepend)), plus the canary chains whose disappearance reveals a flush.
import { errors } from '../../util/errors.js';
import type { Table } from './chains.js';
import { JUMP_RULES, KUBE_IPTABLES_HINT, KUBE_PROXY_CANARY } from './chains.js';
import type { JumpRule } from './chains.js';
import type { CommandRunner } from './exec.js';
import { describeFailure } from './exec.js';

const CANARY_TABLES: readonly Table[] = ['mangle', 'nat', 'filter'];

const ipt = (table: Table, ...args: string[]) => ['iptables', '-w', '-t', table, ...args];

/** Creates chain in table unless it exists. */
export async function ensureChain(exec: CommandRunner, table: Table, chain: string): Promise<void> {
  const r = await exec(ipt(table, '-N', chain));
  if (r.code !== 0 && !/exists/i.test(r.stderr)) throw errors.internal(describeFailure(ipt(table, '-N', chain), r));
}

function ruleArgs(j: JumpRule): string[] {
  return [...j.args, '-j', j.to];
}

/** Ensures our chains exist and every jump rule is present (inserted at position 1 when missing). */
export async function ensureJumps(exec: CommandRunner): Promise<void> {
  const seen = new Set<string>();
  for (const j of JUMP_RULES) {
    const id = `${j.table}/${j.to}`;
    if (seen.has(id)) continue;
    seen.add(id);
    await ensureChain(exec, j.table, j.to);
  }
  for (const j of JUMP_RULES) {
    const check = await exec(ipt(j.table, '-C', j.from, ...ruleArgs(j)));
    if (check.code === 0) continue;
    const argv = ipt(j.table, '-I', j.from, '1', ...ruleArgs(j));
    const r = await exec(argv);
    if (r.code !== 0) throw errors.internal(`ensuring jump ${j.from} -> ${j.to}: ${describeFailure(argv, r)}`);
  }
}

/**
 * Creates the empty KUBE-PROXY-CANARY chain in mangle, nat and filter, and the mode hint in mangle
 * (upstream's kubelet creates it; on a Skiff node the proxy is the one writing iptables), so the
 * next start and wrapper-based tools pick the same mode.
 */
export async function ensureCanaries(exec: CommandRunner): Promise<void> {
  for (const t of CANARY_TABLES) await ensureChain(exec, t, KUBE_PROXY_CANARY);
  await ensureChain(exec, 'mangle', KUBE_IPTABLES_HINT);
}

/** Whether every canary chain still exists (false: someone flushed iptables; resync in full). */
export async function canariesExist(exec: CommandRunner): Promise<boolean> {
  for (const t of CANARY_TABLES) {
    const r = await exec(ipt(t, '-S', KUBE_PROXY_CANARY));
    if (r.code !== 0) return false;
  }
  return true;
}

// What each client says when the rule, chain or jump target is not there (legacy names a missing
// jump target "Couldn't load target `X':No such file or directory"); upstream's isNotFoundError.
const NOT_FOUND = /does a matching rule exist|No chain\/target\/match|No such file or directory|doesn't exist|does not exist/i;

/** Deletes every copy of our jump rules; returns the failures other than "rule not there". */
export async function removeJumps(exec: CommandRunner): Promise<string[]> {
  const failures: string[] = [];
  for (const j of JUMP_RULES) {
    // A rule may have been inserted more than once (e.g. by an older version); delete all copies.
    for (let i = 0; i < 10; i++) {
      const argv = ipt(j.table, '-D', j.from, ...ruleArgs(j));
      const r = await exec(argv);
      if (r.code === 0) continue;
      if (!NOT_FOUND.test(r.stderr)) failures.push(describeFailure(argv, r));
      break;
    }
  }
  return failures;
}
