// Ids and small helpers shared by the runtimes.
import { randomBytes } from 'node:crypto';
import { errors } from '../../util/errors.js';

/** A 64-hex-digit id, as containerd and Docker hand out. */
export function newId(): string {
  return randomBytes(32).toString('hex');
}

export const notFound = {
  sandbox: (id: string) => errors.notFound('podsandboxes', '', id),
  container: (id: string) => errors.notFound('containers', '', id),
  image: (ref: string) => errors.notFound('images', '', ref),
};

/** Exit code of a process killed by signal number sig, as a shell (and Kubernetes) reports it. */
export function signalExitCode(sig: number): number {
  return 128 + sig;
}

/** The reason an exited container gets, as containerd sets it. */
export function exitReason(exitCode: number, oomKilled: boolean): string {
  if (oomKilled) return 'OOMKilled';
  return exitCode === 0 ? 'Completed' : 'Error';
}
