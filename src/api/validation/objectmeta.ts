// ObjectMeta validation shared by every resource (upstream apimachinery ValidateObjectMetaAccessor
// and the per-resource name functions of pkg/apis/*/validation).
import type { ObjectMeta } from '../types.js';
import type { ResourceInfo } from '../registry.js';
import { isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isQualifiedName, maxLenError, validateAnnotations, validateLabels } from './names.js';
import { child, field, index, invalidEach, type FieldCause } from './field.js';

/** A name rule: messages for a bad name; `prefix` is true for generateName. */
export type NameRule = (name: string, prefix: boolean) => string[];

// Upstream's maskTrailingDash: a generateName may end in '-', the random suffix follows it.
const masked = (name: string, prefix: boolean) => (prefix && name.length > 1 && name.endsWith('-') ? name.slice(0, -2) + 'a' : name);

export const nameIsDNSSubdomain: NameRule = (n, p) => isDNS1123Subdomain(masked(n, p));
export const nameIsDNSLabel: NameRule = (n, p) => isDNS1123Label(masked(n, p));
export const nameIsDNS1035Label: NameRule = (n, p) => isDNS1035Label(masked(n, p));

/** RBAC and a few other names only need to be a usable URL path segment (upstream path.IsValidPathSegmentName). */
export const nameIsPathSegment: NameRule = (n, p) => {
  if (!p && (n === '.' || n === '..')) return [`may not be '${n}'`];
  const errs: string[] = [];
  for (const bad of ['/', '%']) if (n.includes(bad)) errs.push(`may not contain '${bad}'`);
  return errs;
};

/** CronJob names leave room for the 11-character job suffix (upstream ValidateCronJob). */
const cronJobName: NameRule = (n, p) => {
  const errs = nameIsDNSSubdomain(n, p);
  if (!p && Buffer.byteLength(n) > 52) errs.push(maxLenError(52));
  return errs;
};

const NAME_RULES: Record<string, NameRule> = {
  namespaces: nameIsDNSLabel,
  services: nameIsDNS1035Label,
  roles: nameIsPathSegment,
  rolebindings: nameIsPathSegment,
  clusterroles: nameIsPathSegment,
  clusterrolebindings: nameIsPathSegment,
  certificatesigningrequests: nameIsPathSegment,
  cronjobs: cronJobName,
};

/** The name rule upstream applies to a resource (DNS-1123 subdomain unless listed). */
export function nameRuleFor(resource: string): NameRule {
  return NAME_RULES[resource] ?? nameIsDNSSubdomain;
}

const STANDARD_FINALIZERS = new Set(['orphan', 'foregroundDeletion']);

/** metadata rules shared by all objects; `info` decides the name rule and whether a namespace is required. */
export function validateObjectMeta(meta: ObjectMeta | undefined, info: Pick<ResourceInfo, 'resource' | 'namespaced'>, path = 'metadata'): FieldCause[] {
  const causes: FieldCause[] = [];
  if (!meta || typeof meta !== 'object') return [field.required(path)];
  const rule = nameRuleFor(info.resource);
  if (meta.generateName) {
    if (typeof meta.generateName !== 'string') causes.push(field.typeInvalid(child(path, 'generateName'), meta.generateName, 'must be a string'));
    else causes.push(...invalidEach(child(path, 'generateName'), meta.generateName, rule(meta.generateName, true)));
  }
  if (!meta.name) causes.push(field.required(child(path, 'name'), 'name or generateName is required'));
  else if (typeof meta.name !== 'string') causes.push(field.typeInvalid(child(path, 'name'), meta.name, 'must be a string'));
  else causes.push(...invalidEach(child(path, 'name'), meta.name, rule(meta.name, false)));
  if (info.namespaced) {
    if (!meta.namespace) causes.push(field.required(child(path, 'namespace')));
    else causes.push(...invalidEach(child(path, 'namespace'), meta.namespace, isDNS1123Label(String(meta.namespace))));
  } else if (meta.namespace) causes.push(field.forbidden(child(path, 'namespace'), 'not allowed on this type'));
  if (typeof meta.generation === 'number' && meta.generation < 0) causes.push(field.invalid(child(path, 'generation'), meta.generation, 'must be greater than or equal to 0'));
  causes.push(...validateLabels(meta.labels, child(path, 'labels')));
  causes.push(...validateAnnotations(meta.annotations, child(path, 'annotations')));
  causes.push(...validateOwnerReferences(meta.ownerReferences, child(path, 'ownerReferences')));
  causes.push(...validateFinalizers(meta.finalizers, child(path, 'finalizers')));
  return causes;
}

function validateOwnerReferences(refs: unknown, path: string): FieldCause[] {
  if (refs == null) return [];
  if (!Array.isArray(refs)) return [field.typeInvalid(path, refs, 'must be a list')];
  const causes: FieldCause[] = [];
  const controllers: string[] = [];
  refs.forEach((r: any, i) => {
    const p = index(path, i);
    const apiVersion = String(r?.apiVersion ?? '');
    const version = apiVersion.includes('/') ? apiVersion.slice(apiVersion.indexOf('/') + 1) : apiVersion;
    if (!version) causes.push(field.invalid(child(p, 'apiVersion'), apiVersion, 'version must not be empty'));
    if (!r?.kind) causes.push(field.invalid(child(p, 'kind'), String(r?.kind ?? ''), 'must not be empty'));
    if (!r?.name) causes.push(field.invalid(child(p, 'name'), String(r?.name ?? ''), 'must not be empty'));
    if (!r?.uid) causes.push(field.invalid(child(p, 'uid'), String(r?.uid ?? ''), 'must not be empty'));
    if (r?.controller === true) controllers.push(`${r.kind}/${r.name}`);
  });
  if (controllers.length > 1) {
    causes.push(field.invalid(path, controllers, `Only one reference can have Controller set to true. Found "true" in references for ${controllers.join(' and ')}`));
  }
  return causes;
}

function validateFinalizers(finalizers: unknown, path: string): FieldCause[] {
  if (finalizers == null) return [];
  if (!Array.isArray(finalizers)) return [field.typeInvalid(path, finalizers, 'must be a list')];
  const causes: FieldCause[] = [];
  for (const f of finalizers) {
    if (typeof f !== 'string') {
      causes.push(field.typeInvalid(path, f, 'must be a string'));
      continue;
    }
    causes.push(...invalidEach(path, f, isQualifiedName(f)));
  }
  if (finalizers.includes('orphan') && finalizers.includes('foregroundDeletion')) {
    causes.push(field.invalid(path, finalizers, 'finalizer orphan and foregroundDeletion cannot be both set'));
  }
  return causes;
}

/** True for the finalizers the API server itself understands. */
export const isStandardFinalizer = (f: string) => STANDARD_FINALIZERS.has(f) || f === 'kubernetes';
