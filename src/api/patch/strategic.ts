// Entry point for `application/strategic-merge-patch+json`, as kube-apiserver's PATCH handler runs
// it (handlers/patch.go: strategicPatchObject → strategicpatch.StrategicMergeMapPatch).
import { errors } from '../../util/errors.js';
import { badPatch } from './errors.js';
import { cloneJson, isObject } from './json-value.js';
import { mergeMap } from './strategic-merge.js';
import { builtinSchema, rootTypeFor } from './strategic-schema.js';
import type { PatchSchema } from './strategic-schema.js';

/** The media types a custom resource accepts for PATCH, in the order the apiextensions server lists them. */
const CUSTOM_RESOURCE_PATCH_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml'];

/**
 * Applies a strategic merge patch to a copy of `doc` (an object of the built-in kind `gvk`) and
 * returns the result. Throws 415 for kinds that are not built in (custom resources take JSON or merge
 * patches only, as upstream), 400 for a patch that is not a JSON object or misuses a directive, and
 * 422 for lists of lists.
 */
export function applyStrategicMergePatch(doc: unknown, patch: unknown, gvk: { group: string; version: string; kind: string }): unknown {
  const root = rootTypeFor(gvk);
  if (root === undefined) {
    throw errors.unsupportedMediaType(
      `the body of the request was in an unknown format - accepted media types include: ${CUSTOM_RESOURCE_PATCH_TYPES.join(', ')}`);
  }
  return applyStrategicMergePatchWithSchema(doc, patch, builtinSchema, root);
}

/** The same with an explicit schema and root type (tests use upstream's MergeItem test type). */
export function applyStrategicMergePatchWithSchema(doc: unknown, patch: unknown, schema: PatchSchema, rootType: string | undefined): unknown {
  // The handler decodes the body into map[string]interface{}: null leaves it empty, anything else fails.
  if (patch === null) return cloneJson(doc);
  if (!isObject(patch)) {
    throw badPatch(`json: cannot unmarshal ${Array.isArray(patch) ? 'array' : typeof patch === 'boolean' ? 'bool' : typeof patch} into Go value of type map[string]interface {}`);
  }
  if (!isObject(doc)) throw badPatch('invalid JSON document');
  return mergeMap(cloneJson(doc), cloneJson(patch), rootType, schema);
}
