// Every component schema the OpenAPI documents may refer to: the compiled tables, plus what is derived
// from the kinds registry — apiVersion/kind/metadata and x-kubernetes-group-version-kind on each
// served kind (kubectl explain finds a kind's schema by that extension), and a <Kind>List per kind.
import { resources } from '../../../api/registry.js';
import { groupVersion } from '../../../api/types.js';
import { META, schemaName } from '../names.js';
import { compile, ref } from './dsl.js';
import type { Package, Schema } from './dsl.js';
import { meta, quantity, intstr } from './meta.js';
import { core } from './core.js';
import { apps, batch, autoscalingV1, autoscalingV2 } from './workloads.js';
import {
  authentication, authorization, certificates, coordination, discovery, events, networking, node, policy, rbac, scheduling, storage,
} from './platform.js';

/**
 * Whether the schemas describe every field of their kinds. kubectl apply computes strategic-merge
 * patches from the OpenAPI v3 schema when a PATCH operation advertises
 * application/strategic-merge-patch+json, and fails with "unable to find api field" on any field the
 * schema lacks (apimachinery strategicpatch PatchMetaFromOpenAPIV3). The hand-written tables are a
 * summary, so while this is false the documents leave that content type out and kubectl falls back
 * to its compiled-in patch metadata, which is complete. Flip it when a complete source is loaded.
 */
export const SCHEMAS_COMPLETE = false;

const PACKAGES: Package[] = [
  meta, quantity, intstr, core, apps, batch, autoscalingV1, autoscalingV2,
  authentication, authorization, certificates, coordination, discovery, events, networking, node, policy, rbac, scheduling, storage,
];

// Short names not found in the declaring package resolve here, in order.
const FALLBACKS = [META, quantity.prefix, intstr.prefix, core.prefix];

type GVK = { group: string; version: string; kind: string };

function typeMeta(kind: string, gvk: GVK, inner: Schema): Schema {
  const props = (inner.properties ?? {}) as Record<string, Schema>;
  return {
    description: inner.description ?? `${kind} (no field-level schema is published for it yet).`,
    type: 'object',
    ...(inner.required ? { required: inner.required } : {}),
    properties: {
      apiVersion: { type: 'string', description: `APIVersion of this representation: ${groupVersion(gvk.group, gvk.version)}.` },
      kind: { type: 'string', description: `Kind of this representation: ${kind}.` },
      metadata: { allOf: [ref(`${META}.ObjectMeta`)], default: {}, description: 'Standard object metadata.' },
      ...props,
    },
    'x-kubernetes-group-version-kind': [{ group: gvk.group, kind: gvk.kind, version: gvk.version }],
  };
}

function listSchema(itemName: string, gvk: GVK): Schema {
  return {
    description: `A list of ${gvk.kind} objects.`,
    type: 'object',
    required: ['items'],
    properties: {
      apiVersion: { type: 'string', description: `APIVersion of this representation: ${groupVersion(gvk.group, gvk.version)}.` },
      items: { type: 'array', items: ref(itemName), description: `The ${gvk.kind} objects.` },
      kind: { type: 'string', description: `Kind of this representation: ${gvk.kind}List.` },
      metadata: { allOf: [ref(`${META}.ListMeta`)], default: {}, description: 'Standard list metadata.' },
    },
    'x-kubernetes-group-version-kind': [{ group: gvk.group, kind: `${gvk.kind}List`, version: gvk.version }],
  };
}

function build(): Map<string, Schema> {
  const out = compile(PACKAGES, FALLBACKS);
  // Top-level kinds: every registry kind, and every non-connect subresource kind (Scale, Eviction,
  // TokenRequest…), since those are request and response bodies too.
  const kinds = new Map<string, GVK>();
  for (const r of resources) {
    kinds.set(schemaName(r.group, r.version, r.kind), r);
    for (const s of r.subresources) if (!s.kind.kind.endsWith('Options')) kinds.set(schemaName(s.kind.group, s.kind.version, s.kind.kind), s.kind);
  }
  for (const [name, gvk] of kinds) {
    out.set(name, typeMeta(gvk.kind, gvk, out.get(name) ?? {}));
  }
  for (const r of resources) out.set(`${schemaName(r.group, r.version, r.kind)}List`, listSchema(schemaName(r.group, r.version, r.kind), r));
  return out;
}

let cached: Map<string, Schema> | undefined;

/** All component schemas by definition name (built once; callers must not mutate them). */
export function schemaCatalog(): ReadonlyMap<string, Schema> {
  cached ??= build();
  return cached;
}
