// ConfigMap and Secret validation (upstream ValidateConfigMap / ValidateSecret and their updates).
import { child, configKeyErrors, field, immutable, invalidEach, isObj, key, type FieldCause, type Obj } from './common.js';
import { deepEqual } from './common.js';

/** Upstream's MaxSecretSize, also the ConfigMap limit. */
export const MAX_SECRET_SIZE = 1024 * 1024;

const entries = (v: unknown): [string, unknown][] => (isObj(v) ? Object.entries(v) : []);

export function validateConfigMap(o: Obj): FieldCause[] {
  const causes: FieldCause[] = [];
  let total = 0;
  const binary = isObj(o.binaryData) ? o.binaryData : {};
  const data = isObj(o.data) ? o.data : {};
  for (const [k, v] of entries(o.data)) {
    causes.push(...invalidEach(key('data', k), k, configKeyErrors(k)));
    if (k in binary) causes.push(field.invalid(key('data', k), k, 'duplicate of key present in binaryData'));
    total += Buffer.byteLength(String(v ?? ''));
  }
  for (const [k, v] of entries(o.binaryData)) {
    causes.push(...invalidEach(key('binaryData', k), k, configKeyErrors(k)));
    if (k in data) causes.push(field.invalid(key('binaryData', k), k, 'duplicate of key present in data'));
    total += Buffer.from(String(v ?? ''), 'base64').length;
  }
  if (total > MAX_SECRET_SIZE) causes.push(field.tooLong('', MAX_SECRET_SIZE));
  return causes;
}

const IMMUTABLE_SET = 'field is immutable when `immutable` is set';

function immutableObject(o: Obj, old: Obj, fields: string[]): FieldCause[] {
  if (old.immutable !== true) return [];
  const causes: FieldCause[] = [];
  if (o.immutable !== true) causes.push(field.forbidden('immutable', IMMUTABLE_SET));
  for (const f of fields) if (!deepEqual(o[f], old[f])) causes.push(field.forbidden(f, IMMUTABLE_SET));
  return causes;
}

export function validateConfigMapUpdate(o: Obj, old: Obj): FieldCause[] {
  return [...immutableObject(o, old, ['data', 'binaryData']), ...validateConfigMap(o)];
}

const decoded = (o: Obj, k: string): Buffer | undefined => {
  const v = isObj(o.data) ? o.data[k] : undefined;
  return typeof v === 'string' ? Buffer.from(v, 'base64') : undefined;
};

export function validateSecret(o: Obj): FieldCause[] {
  const causes: FieldCause[] = [];
  let total = 0;
  for (const [k, v] of entries(o.data)) {
    causes.push(...invalidEach(key('data', k), k, configKeyErrors(k)));
    total += Buffer.from(String(v ?? ''), 'base64').length;
  }
  if (total > MAX_SECRET_SIZE) causes.push(field.tooLong('data', MAX_SECRET_SIZE));
  const has = (k: string) => decoded(o, k) !== undefined;
  switch (o.type) {
    case 'kubernetes.io/service-account-token':
      if (!o.metadata?.annotations?.['kubernetes.io/service-account.name']) causes.push(field.required(key('metadata.annotations', 'kubernetes.io/service-account.name')));
      break;
    case 'kubernetes.io/dockercfg':
    case 'kubernetes.io/dockerconfigjson': {
      const k = o.type === 'kubernetes.io/dockercfg' ? '.dockercfg' : '.dockerconfigjson';
      const raw = decoded(o, k);
      if (!raw) {
        causes.push(field.required(key('data', k)));
        break;
      }
      try {
        const parsed: unknown = JSON.parse(raw.toString('utf8'));
        if (!isObj(parsed)) throw new Error(`json: cannot unmarshal ${Array.isArray(parsed) ? 'array' : typeof parsed} into Go value of type map[string]interface {}`);
      } catch (err) {
        causes.push(field.invalid(key('data', k), '<secret contents redacted>', (err as Error).message));
      }
      break;
    }
    case 'kubernetes.io/basic-auth':
      if (!has('username') && !has('password')) causes.push(field.required('data[username]'), field.required('data[password]'));
      break;
    case 'kubernetes.io/ssh-auth':
      if (!decoded(o, 'ssh-privatekey')?.length) causes.push(field.required('data[ssh-privatekey]'));
      break;
    case 'kubernetes.io/tls':
      if (!has('tls.crt')) causes.push(field.required('data[tls.crt]'));
      if (!has('tls.key')) causes.push(field.required('data[tls.key]'));
      break;
  }
  return causes;
}

export function validateSecretUpdate(o: Obj, old: Obj): FieldCause[] {
  return [...validateSecret(o), ...immutable(o.type, old.type, 'type'), ...immutableObject(o, old, ['data'])];
}

export { child };
