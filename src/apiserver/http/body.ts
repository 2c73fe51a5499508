// Reading and decoding request bodies: JSON, YAML and Kubernetes protobuf, capped at 3 MiB as
// kube-apiserver's default MaxRequestBodyBytes.
import type { IncomingMessage } from 'node:http';
import { parse as parseYaml, parseDocument } from 'yaml';
import { errors } from '../../util/errors.js';
import { decodeKubernetesProtobuf, isKubernetesProtobuf } from '../../api/protobuf/index.js';
import { jsonDuplicateFields, yamlDuplicateKeyMessage } from '../../api/schema/index.js';

export const MAX_BODY_BYTES = 3 * 1024 * 1024;

/** Reads the whole body; 413 once it passes the limit (the rest is drained, not buffered). */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) {
    req.resume();
    return Promise.reject(errors.tooLarge(`Request entity too large: limit is ${limit}`));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (c: Buffer) => {
      if (failed) return;
      size += c.length;
      if (size > limit) {
        failed = true;
        reject(errors.tooLarge(`Request entity too large: limit is ${limit}`));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => failed || resolve(Buffer.concat(chunks)));
    req.on('error', (err) => failed || reject(err));
  });
}

export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

/** Decodes an object body by content type; malformed input is a 400 with the parser's reason. */
export function decodeBody(body: Buffer, contentType: string | undefined, kindHint: string): Record<string, unknown> {
  return decodeObjectBody(body, contentType, kindHint, false).obj;
}

/**
 * Like decodeBody, and with `checkDuplicates` also reports repeated keys as upstream's strict
 * decoders word them (`duplicate field "spec.replicas"` for JSON, go-yaml's `yaml: unmarshal
 * errors: …` for YAML), for fieldValidation Strict/Warn. Protobuf bodies cannot repeat fields.
 */
export function decodeObjectBody(
  body: Buffer, contentType: string | undefined, kindHint: string, checkDuplicates: boolean,
): { obj: Record<string, unknown>; duplicates: string[] } {
  const type = mediaType(contentType);
  if (isKubernetesProtobuf(type)) return { obj: decodeKubernetesProtobuf(body), duplicates: [] };
  if (body.length === 0) throw errors.badRequest('the body of the request is empty');
  let v: unknown;
  const duplicates: string[] = [];
  if (type === 'application/yaml' || type === 'application/apply-patch+yaml') {
    const text = body.toString('utf8');
    try {
      if (checkDuplicates) {
        const doc = parseDocument(text, { uniqueKeys: true });
        const other = doc.errors.find((e) => e.code !== 'DUPLICATE_KEY');
        if (other) throw other;
        v = doc.toJS({ maxAliasCount: 100 });
        const dup = yamlDuplicateKeyMessage(doc.errors, text);
        if (dup) duplicates.push(dup);
      } else {
        v = parseYaml(text, { uniqueKeys: false, maxAliasCount: 100 });
      }
    } catch (err) {
      throw errors.badRequest(`the body of the request could not be decoded as ${kindHint}: ${(err as Error).message.split('\n')[0]}`);
    }
  } else if (type === '' || type === 'application/json' || type.endsWith('+json') || type === '*/*') {
    const text = body.toString('utf8');
    try {
      v = JSON.parse(text);
    } catch (err) {
      throw errors.badRequest(`couldn't get version/kind; json parse error: ${(err as Error).message}`);
    }
    if (checkDuplicates) for (const p of jsonDuplicateFields(text)) duplicates.push(`duplicate field ${JSON.stringify(p)}`);
  } else {
    throw errors.unsupportedMediaType(`the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf`);
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    throw errors.badRequest(`the body of the request must be a JSON object for ${kindHint}`);
  }
  return { obj: v as Record<string, unknown>, duplicates };
}
