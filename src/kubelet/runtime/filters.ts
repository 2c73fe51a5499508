// List filters shared by the runtimes; CRI semantics: every set field must match, and a label
// selector is an exact-match map (not a Kubernetes selector expression).
import type { Container, ContainerFilter, ContainerStatsFilter, PodSandbox, PodSandboxConfig, PodSandboxFilter } from './types.js';

/** True when every pair of selector is present in labels with the same value. */
export function labelsMatch(labels: Record<string, string>, selector?: Record<string, string>): boolean {
  if (!selector) return true;
  for (const [k, v] of Object.entries(selector)) if (labels[k] !== v) return false;
  return true;
}

export function sandboxMatches(s: PodSandbox, f?: PodSandboxFilter): boolean {
  if (!f) return true;
  if (f.id && s.id !== f.id) return false;
  if (f.state && s.state !== f.state) return false;
  return labelsMatch(s.labels, f.labelSelector);
}

export function containerMatches(c: Container, f?: ContainerFilter): boolean {
  if (!f) return true;
  if (f.id && c.id !== f.id) return false;
  if (f.state && c.state !== f.state) return false;
  if (f.podSandboxId && c.podSandboxId !== f.podSandboxId) return false;
  return labelsMatch(c.labels, f.labelSelector);
}

/** What each runtime keeps about a sandbox, enough for ListPodSandbox. */
export interface SandboxRecord {
  id: string;
  config: PodSandboxConfig;
  state: PodSandbox['state'];
  createdAt: number;
}

/** ListPodSandbox over a runtime's records: the CRI rows that pass the filter. */
export function listSandboxRows(records: Iterable<SandboxRecord>, filter?: PodSandboxFilter): PodSandbox[] {
  const out: PodSandbox[] = [];
  for (const s of records) {
    const row: PodSandbox = {
      id: s.id, metadata: s.config.metadata, state: s.state, createdAt: s.createdAt,
      labels: s.config.labels ?? {}, annotations: s.config.annotations ?? {},
    };
    if (sandboxMatches(row, filter)) out.push(row);
  }
  return out;
}

/** ListContainerStats's filter over a runtime's container records (id, sandbox, labels). */
export function statsFilterMatches(c: { id: string; sandboxId: string; config: { labels?: Record<string, string> } }, f?: ContainerStatsFilter): boolean {
  if (f?.id && c.id !== f.id) return false;
  if (f?.podSandboxId && c.sandboxId !== f.podSandboxId) return false;
  return labelsMatch(c.config.labels ?? {}, f?.labelSelector);
}
