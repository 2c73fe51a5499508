// What every handler gets: the parsed request, the authenticated user, and the server's stores.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestInfo } from '../http/requestinfo.js';
import type { ResourceStore } from '../registry/store.js';
import type { ResourceInfo } from '../../api/registry.js';

export interface UserInfo {
  username: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

/** Access to other resources' stores (subresources such as eviction touch several). */
export interface StoreLookup {
  store(group: string, resource: string): ResourceStore;
}

export interface HandlerContext {
  req: IncomingMessage;
  res: ServerResponse;
  info: RequestInfo;
  query: URLSearchParams;
  user: UserInfo;
  resource: ResourceInfo;
  store: ResourceStore;
  stores: StoreLookup;
  /** The namespace the request addresses ('' for cluster-scoped resources and all-namespace lists). */
  namespace: string;
  /** Warnings to send as Warning headers. */
  warnings: string[];
  /** Default watch duration floor (seconds). */
  minRequestTimeoutSeconds: number;
}

export type Handler = (ctx: HandlerContext) => Promise<void>;

/** ?dryRun=All (the only value upstream accepts). */
export function isDryRun(values: string[] | null | undefined): boolean {
  return !!values?.length && values.every((v) => v === 'All');
}
