// Feeding rules to the kernel: one iptables-restore for both tables, and reading back chain names
// (never rules: iptables-save normalizes them, networking brief §2.7).
import { errors } from '../../util/errors.js';
import type { CommandInput, CommandRunner } from './exec.js';
import { describeFailure } from './exec.js';
import type { Table } from './chains.js';

/**
 * `iptables-restore --noflush --counters -w`: chains not named in the input are left alone, a chain
 * line flushes (or creates) its chain, and each table commits atomically. The input may be chunks
 * rendered while the tool runs. Throws InternalError on failure.
 */
export async function restore(exec: CommandRunner, input: CommandInput): Promise<void> {
  const argv = ['iptables-restore', '--noflush', '--counters', '-w'];
  const sent: string[] = [];
  const r = await exec(argv, typeof input === 'string' ? input : recording(input, sent));
  if (r.code !== 0) {
    const text = typeof input === 'string' ? input : sent.join('');
    throw errors.internal(`iptables-restore failed: ${describeFailure(argv, r)}${failedLines(r.stderr, text)}`);
  }
}

function* recording(chunks: Iterable<string>, into: string[]): Generator<string> {
  for (const c of chunks) {
    into.push(c);
    yield c;
  }
}

// iptables-restore names the failing input line ("line 42 failed"); quote it to make errors useful.
function failedLines(stderr: string, text: string): string {
  const m = /line:? (\d+)/i.exec(stderr);
  if (!m) return '';
  const n = Number(m[1]);
  const lines = text.split('\n');
  return ` (input line ${n}: ${lines[n - 1] ?? '?'})`;
}

/** Names of the chains in one table (the `:NAME POLICY [p:b]` lines of iptables-save). */
export async function listChains(exec: CommandRunner, table: Table): Promise<string[]> {
  const argv = ['iptables-save', '-t', table];
  const r = await exec(argv);
  if (r.code !== 0) throw errors.internal(describeFailure(argv, r));
  return parseChainNames(r.stdout);
}

/** The chain names declared in iptables-save output. */
export function parseChainNames(save: string): string[] {
  const out: string[] = [];
  for (const line of save.split('\n')) {
    if (line.startsWith(':')) {
      const sp = line.indexOf(' ');
      out.push(line.slice(1, sp < 0 ? undefined : sp));
    }
  }
  return out;
}
