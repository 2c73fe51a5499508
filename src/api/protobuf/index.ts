// Kubernetes protobuf request bodies → the JSON objects the rest of the API server works with.
// kubectl 1.32+ sends these for its typed-client commands and does not retry as JSON after a 415,
// so every kind in kubectl-wire.md §8.1 must decode (responses stay JSON).

import { StatusError, errors } from '../../util/errors.js';
import { readEnvelope } from './envelope.js';
import { decodeMessage } from './decode.js';
import { messageForKind } from './schema/index.js';
import { Reader } from './wire.js';

export { supportedKinds } from './schema/index.js';

/** The media type kubectl uses for protobuf bodies. */
export const KUBERNETES_PROTOBUF = 'application/vnd.kubernetes.protobuf';

/** True for the Kubernetes protobuf media type (ignoring parameters). */
export function isKubernetesProtobuf(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const semi = contentType.indexOf(';');
  const type = (semi < 0 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
  return type === KUBERNETES_PROTOBUF;
}

/** Decodes a `k8s\0`-enveloped body into the equivalent JSON object (apiVersion and kind set from the envelope).
 *  Throws StatusError 400 BadRequest for malformed bytes, and for a kind it has no schema for
 *  (message naming the kind). Never throws anything else, whatever the input (it will be fuzzed). */
export function decodeKubernetesProtobuf(body: Buffer): Record<string, unknown> {
  try {
    const env = readEnvelope(body);
    if (env.contentEncoding !== '') {
      throw errors.badRequest(`protobuf body with content encoding "${clip(env.contentEncoding)}" is not supported`);
    }
    if (env.contentType !== '' && !isKubernetesProtobuf(env.contentType)) {
      throw errors.badRequest(`protobuf envelope with inner content type "${clip(env.contentType)}" is not supported`);
    }
    if (env.kind === '') throw errors.badRequest('protobuf body has no kind in its type information');
    const spec = messageForKind(env.apiVersion, env.kind);
    if (!spec) {
      throw errors.badRequest(
        `no protobuf decoder for kind "${clip(env.kind)}" in version "${clip(env.apiVersion)}"; send it as application/json`);
    }
    const obj: Record<string, unknown> = { kind: env.kind, apiVersion: env.apiVersion };
    return decodeMessage(new Reader(env.raw), spec, obj);
  } catch (err) {
    if (err instanceof StatusError) throw err;
    // Belt and braces: nothing but a Status may escape, whatever the bytes (e.g. a RangeError).
    throw errors.badRequest(`unable to decode protobuf body: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Client-supplied text echoed in an error is cut short, so a huge body cannot make a huge Status. */
function clip(s: string): string {
  return s.length > 100 ? `${s.slice(0, 100)}…` : s;
}
