// Which iptables the node uses: iptables 1.8 ships two clients, `legacy` (the kernel's x_tables) and
// `nft` (translated into nf_tables). Rules must live where the host's other rules live, or their
// relative order is undefined, so kube-proxy follows the host the way upstream's iptables-wrapper
// does: the mode whose mangle table holds the kubelet's hint chain wins; without a hint, the mode
// the host's `iptables` command is installed in (upstream's wrapper defaults to nft there).
// The two differ a lot in cost at scale (iptables-nft 1.8.x restores of tens of thousands of chains
// take seconds; legacy rewrites one table blob), which is why the choice is also a flag.
import type { CommandRunner } from './exec.js';

export type IptablesBackend = 'legacy' | 'nft';
export type BackendChoice = IptablesBackend | 'auto';

const HINT_CHAINS = /^:(KUBE-IPTABLES-HINT|KUBE-KUBELET-CANARY)\s/m;

const TOOLS = ['iptables', 'iptables-restore', 'iptables-save'] as const;

export function parseBackendChoice(s: string): BackendChoice {
  if (!s || s === 'auto') return 'auto';
  if (s === 'legacy' || s === 'nft') return s;
  throw new Error(`--iptables-backend ${s}: expected auto, legacy or nft`);
}

/**
 * A runner that sends iptables, iptables-restore and iptables-save to one mode's binaries
 * (iptables-legacy-restore, …); every other command passes through unchanged.
 */
export function backendRunner(exec: CommandRunner, backend: IptablesBackend): CommandRunner {
  return (argv, stdin) => {
    const [tool, ...rest] = argv;
    const i = TOOLS.indexOf(tool as (typeof TOOLS)[number]);
    if (i < 0) return exec(argv, stdin);
    const name = i === 0 ? `iptables-${backend}` : `iptables-${backend}-${tool!.slice('iptables-'.length)}`;
    return exec([name, ...rest], stdin);
  };
}

/** Resolves `auto` as described in the file comment; an explicit choice is returned as is. */
export async function resolveBackend(exec: CommandRunner, choice: BackendChoice): Promise<IptablesBackend> {
  if (choice !== 'auto') return choice;
  // nft first and mangle only (cheap); legacy must be read whole: naming a table would create it.
  const nft = await exec(['iptables-nft-save', '-t', 'mangle']);
  if (nft.code === 0 && HINT_CHAINS.test(nft.stdout)) return 'nft';
  const legacy = await exec(['iptables-legacy-save']);
  if (legacy.code === 0 && HINT_CHAINS.test(legacy.stdout)) return 'legacy';
  const version = await exec(['iptables', '--version']);
  if (version.code === 0 && /\(legacy\)/.test(version.stdout)) return 'legacy';
  return nft.code === 0 || legacy.code !== 0 ? 'nft' : 'legacy';
}
