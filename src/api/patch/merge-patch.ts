// RFC 7396 JSON merge patch (`application/merge-patch+json`): objects merge recursively, null
// deletes a member, anything else (arrays included) replaces. kube-apiserver applies it with
// evanphx/json-patch v4's MergePatch (handlers/patch.go, applyJSPatch).
import { badPatch } from './errors.js';
import { cloneJson, isObject, setKey } from './json-value.js';
import type { JsonObject } from './json-value.js';

/**
 * Applies an RFC 7396 merge patch to a copy of `doc` and returns the result. One difference from
 * the RFC, as in kube-apiserver: a whole-body patch of null or a scalar is refused with 400
 * "Invalid JSON Patch" rather than replacing the document (v4's ErrBadJSONPatch).
 */
export function applyMergePatch(doc: unknown, patch: unknown): unknown {
  if (!isObject(patch) && !Array.isArray(patch)) throw badPatch('Invalid JSON Patch');
  return mergeValue(cloneJson(doc), patch);
}

/** RFC 7396 §2 MergePatch(Target, Patch). */
function mergeValue(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return cloneJson(patch);
  const out: JsonObject = isObject(target) ? target : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else setKey(out, k, mergeValue(Object.hasOwn(out, k) ? out[k] : undefined, v));
  }
  return out;
}
