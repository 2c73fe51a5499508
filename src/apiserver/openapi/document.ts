// The OpenAPI v3 documents, one per served group-version, and the /openapi/v3 index that points at
// them. Each document carries only the schemas its paths reach, as upstream's do. Built once: the
// registry and the schema tables are static for the server's lifetime.
import { createHash } from 'node:crypto';
import { groupVersions, resourcesIn } from '../../api/registry.js';
import { version } from '../../util/version.js';
import { gvPath } from './names.js';
import { resourcePaths } from './paths.js';
import { schemaCatalog } from './catalog.js';
import type { Schema } from './catalog.js';

const REF_PREFIX = '#/components/schemas/';

function collectRefs(node: unknown, into: Set<string>, catalog: ReadonlyMap<string, Schema>): void {
  if (Array.isArray(node)) {
    for (const x of node) collectRefs(x, into, catalog);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  for (const [k, v] of Object.entries(node)) {
    if (k === '$ref' && typeof v === 'string' && v.startsWith(REF_PREFIX)) {
      const name = v.slice(REF_PREFIX.length);
      if (into.has(name)) continue;
      const schema = catalog.get(name);
      if (!schema) throw new Error(`openapi: dangling reference ${name}`);
      into.add(name);
      collectRefs(schema, into, catalog);
    } else collectRefs(v, into, catalog);
  }
}

function buildDocument(group: string, ver: string, used: Set<string>): Schema {
  const paths: Record<string, Schema> = {};
  for (const r of resourcesIn(group, ver)) Object.assign(paths, resourcePaths(r));
  const catalog = schemaCatalog();
  const names = new Set<string>();
  collectRefs(paths, names, catalog);
  for (const n of names) used.add(n);
  // Sorted keys, like upstream (Go serializes maps in key order): the document, and so its hash, is
  // then independent of registry order within a group-version.
  const sortedPaths = Object.fromEntries(Object.keys(paths).sort().map((k) => [k, paths[k]]));
  const schemas = Object.fromEntries([...names].sort().map((n) => [n, catalog.get(n)]));
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: version.gitVersion },
    paths: sortedPaths,
    components: {
      schemas,
      securitySchemes: { BearerToken: { type: 'apiKey', description: 'Bearer Token authentication', name: 'authorization', in: 'header' } },
    },
    security: [{ BearerToken: [] }],
  };
}

/** Upstream's document hash: SHA-512 of the served bytes, upper-case hex (kube-openapi handler3). */
export function documentHash(json: string): string {
  return createHash('sha512').update(json).digest('hex').toUpperCase();
}

let docs: Map<string, { json: string; hash: string }> | undefined;
let usedNames: Set<string> | undefined;

function allDocuments(): Map<string, { json: string; hash: string }> {
  if (docs) return docs;
  const used = new Set<string>();
  docs = new Map();
  for (const g of groupVersions()) {
    for (const v of g.versions) {
      const json = JSON.stringify(buildDocument(g.group, v, used));
      docs.set(gvPath(g.group, v), { json, hash: documentHash(json) });
    }
  }
  usedNames = used;
  return docs;
}

/** Names of the component schemas some group-version document uses (what /openapi/v2 publishes). */
export function servedDefinitionNames(): string[] {
  allDocuments();
  return [...usedNames!].sort();
}

/** GET /openapi/v3/<path> ('api/v1', 'apis/apps/v1'): the serialized document and its hash, or undefined. */
export function openapiV3Document(path: string): { json: string; hash: string } | undefined {
  return allDocuments().get(path.replace(/^\/+|\/+$/g, ''));
}

/** GET /openapi/v3: each group-version's relative URL, carrying the hash so clients' URL caches stay valid. */
export function openapiV3Index(): object {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const [path, d] of allDocuments()) paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${d.hash}` };
  return { paths };
}
