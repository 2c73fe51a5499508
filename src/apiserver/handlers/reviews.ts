// The virtual review resources: SelfSubjectAccessReview (kubectl auth can-i), SubjectAccessReview,
// LocalSubjectAccessReview, SelfSubjectRulesReview, SelfSubjectReview (auth whoami) and TokenReview.
// Answers come from the server's authorizer and authenticators.
import { errors } from '../../util/errors.js';
import { apiVersionOf } from '../../api/registry.js';
import type { HandlerContext, UserInfo } from './context.js';
import { readObject } from './object.js';
import { respondObject } from './reply.js';

export interface ReviewDeps {
  authorize(user: UserInfo, attrs: Record<string, unknown>): Promise<{ allowed: boolean; reason: string }>;
  authenticateToken(token: string): Promise<UserInfo | null>;
}

export async function review(ctx: HandlerContext, deps: ReviewDeps): Promise<void> {
  const obj = await readObject(ctx);
  const spec = (obj.spec ?? {}) as Record<string, any>;
  let status: Record<string, unknown>;
  switch (ctx.resource.resource) {
    case 'selfsubjectaccessreviews':
    case 'subjectaccessreviews':
    case 'localsubjectaccessreviews': {
      const user: UserInfo = ctx.resource.resource === 'selfsubjectaccessreviews'
        ? ctx.user
        : { username: String(spec.user ?? ''), groups: (spec.groups as string[] | undefined) ?? [], uid: spec.uid };
      if (ctx.resource.resource !== 'selfsubjectaccessreviews' && !user.username && !user.groups.length) {
        throw errors.invalid(ctx.resource.kind, ctx.resource.group, '', [{ reason: 'FieldValueRequired', field: 'spec.user', message: 'Invalid value: "": at least one of user or group must be specified' }]);
      }
      const attrs = spec.resourceAttributes ?? spec.nonResourceAttributes;
      if (!attrs) throw errors.invalid(ctx.resource.kind, ctx.resource.group, '', [{ reason: 'FieldValueRequired', field: 'spec.resourceAttributes', message: 'Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified' }]);
      if (ctx.resource.resource === 'localsubjectaccessreviews' && spec.resourceAttributes) spec.resourceAttributes.namespace = ctx.namespace;
      const d = await deps.authorize(user, attrs);
      status = { allowed: d.allowed, ...(d.reason ? { reason: d.reason } : {}) };
      break;
    }
    case 'selfsubjectrulesreviews':
      status = {
        resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
        nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
        incomplete: false,
      };
      break;
    case 'selfsubjectreviews':
      status = { userInfo: { username: ctx.user.username, ...(ctx.user.uid ? { uid: ctx.user.uid } : {}), groups: ctx.user.groups, ...(ctx.user.extra ? { extra: ctx.user.extra } : {}) } };
      break;
    case 'tokenreviews': {
      const u = spec.token ? await deps.authenticateToken(String(spec.token)).catch(() => null) : null;
      status = u ? { authenticated: true, user: { username: u.username, uid: u.uid, groups: u.groups }, audiences: spec.audiences ?? [] } : { authenticated: false, user: {} };
      break;
    }
    default:
      throw errors.methodNotAllowed();
  }
  const meta = { ...obj.metadata, creationTimestamp: null };
  respondObject(ctx, 201, { kind: ctx.resource.kind, apiVersion: apiVersionOf(ctx.resource), metadata: meta, spec, status });
}
