// serviceaccounts/token (authentication.k8s.io/v1 TokenRequest): mints a signed, bound token for a
// service account, as upstream's pkg/registry/core/serviceaccount/storage/token.go (TokenREST).
import { errors, StatusError } from '../../util/errors.js';
import { realClock, type Clock } from '../../util/clock.js';
import {
  DEFAULT_EXPIRATION_SECONDS, DEFAULT_ISSUER, MIN_EXPIRATION_SECONDS, issueToken,
  type ObjectRef, type SigningKey,
} from '../serviceaccount/index.js';
import type { HandlerContext } from './context.js';
import { readObject } from './object.js';
import { respondObject } from './reply.js';

export interface TokenIssuerConfig {
  key: SigningKey;
  issuer?: string;
  /** Default audiences when a request names none (--api-audiences; default [issuer]). */
  audiences?: string[];
  clock?: Pick<Clock, 'now'>;
}

export interface TokenDeps {
  serviceAccountTokens?: TokenIssuerConfig;
}

const MAX_EXPIRATION_SECONDS = 2 ** 32;

export async function createToken(ctx: HandlerContext, deps: TokenDeps): Promise<void> {
  const cfg = deps.serviceAccountTokens;
  if (!cfg) throw errors.notFoundPath();
  const req = await readObject(ctx, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest' });
  const saName = ctx.info.name;
  if (req.metadata.name && req.metadata.name !== saName) throw errors.badRequest('name in URL does not match name in TokenRequest object');
  if (req.metadata.namespace && req.metadata.namespace !== ctx.namespace) throw errors.badRequest('namespace in URL does not match namespace in TokenRequest object');
  const spec = { ...((req.spec ?? {}) as Record<string, any>) };
  const issuer = cfg.issuer ?? DEFAULT_ISSUER;
  const expirationSeconds: number = spec.expirationSeconds ?? DEFAULT_EXPIRATION_SECONDS;
  validateExpiration(saName, expirationSeconds);
  const audiences: string[] = Array.isArray(spec.audiences) && spec.audiences.length ? spec.audiences : (cfg.audiences ?? [issuer]);

  const sa = await ctx.stores.store('', 'serviceaccounts').get(ctx.namespace, saName);
  const bound = await boundObjects(ctx, saName, spec.boundObjectRef);

  const { token, expiresAt } = issueToken(cfg.key, {
    namespace: ctx.namespace, serviceAccount: { name: saName, uid: sa.metadata.uid ?? '' },
    audiences, expirationSeconds, issuer, ...bound,
  }, cfg.clock ?? realClock);
  respondObject(ctx, 201, {
    kind: 'TokenRequest', apiVersion: 'authentication.k8s.io/v1',
    metadata: { name: saName, namespace: ctx.namespace, creationTimestamp: null },
    spec: { ...spec, audiences, expirationSeconds },
    status: { token, expirationTimestamp: new Date(expiresAt * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z') },
  });
}

function validateExpiration(name: string, seconds: unknown): void {
  const invalid = (message: string) => errors.invalid('TokenRequest', 'authentication.k8s.io', name, [{ reason: 'FieldValueInvalid', field: 'spec.expirationSeconds', message: `Invalid value: ${String(seconds)}: ${message}` }]);
  if (typeof seconds !== 'number' || !Number.isInteger(seconds)) throw invalid('must be an integer');
  if (seconds < MIN_EXPIRATION_SECONDS) throw invalid('may not specify a duration less than 10 minutes');
  if (seconds > MAX_EXPIRATION_SECONDS) throw invalid('may not specify a duration larger than 2^32 seconds');
}

// A Pod binding (the kubelet's projected volumes) ties the token to the pod and, as upstream since
// 1.30, names the pod's node. Secrets and Nodes as bound objects are not served yet.
async function boundObjects(ctx: HandlerContext, saName: string, ref: unknown): Promise<{ pod?: ObjectRef; node?: ObjectRef }> {
  if (!ref || typeof ref !== 'object') return {};
  const r = ref as { kind?: string; apiVersion?: string; name?: string; uid?: string };
  if (r.kind !== 'Pod' || (r.apiVersion && r.apiVersion !== 'v1')) throw errors.badRequest(`cannot bind token to object of type ${r.apiVersion ?? ''}, Kind=${r.kind ?? ''}`);
  if (!r.name) throw errors.badRequest('boundObjectRef.name is required');
  const pod = await ctx.stores.store('', 'pods').get(ctx.namespace, r.name);
  if (r.uid && r.uid !== pod.metadata.uid) {
    throw new StatusError(409, 'Conflict', `Operation cannot be fulfilled on pods "${r.name}": the UID in the bound object reference (${r.uid}) does not match the UID in record. The object might have been deleted and then recreated`);
  }
  const podSpec = (pod.spec ?? {}) as { serviceAccountName?: string; nodeName?: string };
  if ((podSpec.serviceAccountName || 'default') !== saName) throw errors.badRequest(`cannot bind token for serviceaccount "${saName}" to pod running with different serviceaccount name.`);
  const out: { pod: ObjectRef; node?: ObjectRef } = { pod: { name: r.name, uid: pod.metadata.uid ?? '' } };
  if (podSpec.nodeName) {
    const node = await ctx.stores.store('', 'nodes').get('', podSpec.nodeName).catch((err: unknown) => {
      if (err instanceof StatusError && err.code === 404) return null;
      throw err;
    });
    out.node = { name: podSpec.nodeName, uid: node?.metadata.uid ?? '' };
  }
  return out;
}
