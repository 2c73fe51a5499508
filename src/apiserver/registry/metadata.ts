// ObjectMeta validation shared by every resource (upstream ValidateObjectMeta): name rules per
// resource, generateName, labels, annotations, owner references, finalizers.
import type { StatusCause } from '../../util/errors.js';
import type { ObjectMeta } from '../../api/types.js';
import type { ResourceInfo } from '../../api/registry.js';
import { isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, validateAnnotations, validateLabels } from '../../api/validation/names.js';

type NameRule = (v: string) => string[];

/** Resources whose names follow a rule other than DNS-1123 subdomain (as upstream's validation). */
const nameRules: Record<string, NameRule> = {
  namespaces: isDNS1123Label,
  services: isDNS1035Label,
  roles: pathSegmentName,
  rolebindings: pathSegmentName,
  clusterroles: pathSegmentName,
  clusterrolebindings: pathSegmentName,
};

/** Names of RBAC objects only need to be usable as a URL path segment. */
function pathSegmentName(v: string): string[] {
  if (v === '.' || v === '..') return [`may not be '${v}'`];
  for (const bad of ['/', '%']) if (v.includes(bad)) return [`may not contain '${bad}'`];
  return [];
}

export function validateObjectMeta(meta: ObjectMeta | undefined, info: ResourceInfo): StatusCause[] {
  const causes: StatusCause[] = [];
  const add = (field: string, reason: string, message: string) => causes.push({ reason, message, field });
  if (!meta || typeof meta !== 'object') {
    add('metadata', 'FieldValueRequired', 'Required value');
    return causes;
  }
  const rule = nameRules[info.resource] ?? isDNS1123Subdomain;
  if (!meta.name) {
    add('metadata.name', 'FieldValueRequired', 'Required value: name or generateName is required');
  } else if (typeof meta.name !== 'string') {
    add('metadata.name', 'FieldValueInvalid', `Invalid value: ${JSON.stringify(meta.name)}: must be a string`);
  } else {
    for (const msg of rule(meta.name)) add('metadata.name', 'FieldValueInvalid', `Invalid value: ${JSON.stringify(meta.name)}: ${msg}`);
  }
  if (info.namespaced && meta.namespace) {
    for (const msg of isDNS1123Label(meta.namespace)) add('metadata.namespace', 'FieldValueInvalid', `Invalid value: ${JSON.stringify(meta.namespace)}: ${msg}`);
  }
  for (const c of validateLabels(meta.labels, 'metadata.labels')) causes.push(c);
  for (const c of validateAnnotations(meta.annotations, 'metadata.annotations')) causes.push(c);
  if (meta.finalizers !== undefined && !Array.isArray(meta.finalizers)) add('metadata.finalizers', 'FieldValueInvalid', 'Invalid value: must be a list');
  if (meta.ownerReferences !== undefined) {
    if (!Array.isArray(meta.ownerReferences)) add('metadata.ownerReferences', 'FieldValueInvalid', 'Invalid value: must be a list');
    else {
      let controllers = 0;
      meta.ownerReferences.forEach((r, i) => {
        const f = `metadata.ownerReferences[${i}]`;
        if (!r?.apiVersion) add(`${f}.apiVersion`, 'FieldValueInvalid', 'Invalid value: "": version must not be empty');
        if (!r?.kind) add(`${f}.kind`, 'FieldValueInvalid', 'Invalid value: "": kind must not be empty');
        if (!r?.name) add(`${f}.name`, 'FieldValueInvalid', 'Invalid value: "": name must not be empty');
        if (!r?.uid) add(`${f}.uid`, 'FieldValueInvalid', 'Invalid value: "": uid must not be empty');
        if (r?.controller) controllers++;
      });
      if (controllers > 1) add('metadata.ownerReferences', 'FieldValueInvalid', 'Invalid value: only one reference can have Controller set to true');
    }
  }
  return causes;
}
