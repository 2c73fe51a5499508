// Reading and decoding request bodies: JSON, YAML and Kubernetes protobuf, capped at 3 MiB as
// kube-apiserver's default MaxRequestBodyBytes.
import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { errors } from '../../util/errors.js';
import { decodeKubernetesProtobuf, isKubernetesProtobuf } from '../../api/protobuf/index.js';

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
  const type = mediaType(contentType);
  if (isKubernetesProtobuf(type)) return decodeKubernetesProtobuf(body);
  if (body.length === 0) throw errors.badRequest('the body of the request is empty');
  let v: unknown;
  if (type === 'application/yaml' || type === 'application/apply-patch+yaml') {
    try {
      v = parseYaml(body.toString('utf8'), { uniqueKeys: false, maxAliasCount: 100 });
    } catch (err) {
      throw errors.badRequest(`the body of the request could not be decoded as ${kindHint}: ${(err as Error).message.split('\n')[0]}`);
    }
  } else if (type === '' || type === 'application/json' || type.endsWith('+json') || type === '*/*') {
    try {
      v = JSON.parse(body.toString('utf8'));
    } catch (err) {
      throw errors.badRequest(`couldn't get version/kind; json parse error: ${(err as Error).message}`);
    }
  } else {
    throw errors.unsupportedMediaType(`the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf`);
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    throw errors.badRequest(`the body of the request must be a JSON object for ${kindHint}`);
  }
  return v as Record<string, unknown>;
}
