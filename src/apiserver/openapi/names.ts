// Upstream's naming conventions for OpenAPI: definition names (io.k8s.api.core.v1.Pod), operation IDs
// (readCoreV1NamespacedPod), tags (core_v1) and the per group-version document path (api/v1).
// kubectl never parses these, but clients generated from upstream's spec and humans reading it do.

export const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';

/** The Go package segment of a group: '' → core, rbac.authorization.k8s.io → rbac. */
export function packageOf(group: string): string {
  return group === '' ? 'core' : (group.split('.')[0] ?? group);
}

/** The definition name of a built-in kind, e.g. io.k8s.api.apps.v1.Deployment. */
export function schemaName(group: string, version: string, kind: string): string {
  return `io.k8s.api.${packageOf(group)}.${version}.${kind}`;
}

/** The key of a group-version in the /openapi/v3 index: api/v1 or apis/<group>/<version>. */
export function gvPath(group: string, version: string): string {
  return group === '' ? `api/${version}` : `apis/${group}/${version}`;
}

/** The URL prefix of a group-version: /api/v1 or /apis/<group>/<version>. */
export function urlPrefix(group: string, version: string): string {
  return `/${gvPath(group, version)}`;
}

// Upstream camel-cases by dropping every non-letter and upper-casing the letter after it.
function camel(s: string, capitalizeFirst: boolean): string {
  let out = '';
  let upper = capitalizeFirst;
  for (const ch of s) {
    if (/[A-Za-z_]/.test(ch) || (out !== '' && /[0-9]/.test(ch))) {
      out += upper ? ch.toUpperCase() : ch;
      upper = false;
    } else upper = true;
  }
  return out;
}

function groupWord(group: string): string {
  return group === '' ? 'core' : group.replace(/\.k8s\.io$/, '');
}

/** The operation-ID infix of a group-version: CoreV1, AppsV1, RbacAuthorizationV1. */
export function operationInfix(group: string, version: string): string {
  return camel(groupWord(group), true) + camel(version, true);
}

/** The tag upstream puts on every operation of a group-version: core_v1, rbacAuthorization_v1. */
export function operationTag(group: string, version: string): string {
  return `${camel(groupWord(group), false)}_${camel(version, false)}`;
}

/** Upper-cases the first letter (subresource names in operation IDs: status → Status). */
export function title(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
