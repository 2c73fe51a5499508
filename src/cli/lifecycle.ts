// What every long-running command shares, kept apart from the control plane so that component
// commands (the agent above all) do not load the API server to use them.
import { homedir } from 'node:os';
import { join } from 'node:path';

export function defaultDataDir(): string {
  return process.getuid?.() === 0 ? '/var/lib/skiff' : join(homedir(), '.skiff');
}

/** Resolves on SIGINT/SIGTERM, after which the caller stops gracefully. */
export function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    const on = (sig: string) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(sig);
    };
    const onInt = () => on('SIGINT');
    const onTerm = () => on('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
  });
}
