import { MAX_VALUE_BYTES } from './backend.js';
import { InvalidKeyError, ValueTooLargeError } from './errors.js';

const MAX_KEY_BYTES = 1024;

/** Keys are absolute slash paths of printable ASCII: `/registry/pods/ns/name`. */
export function validateKey(key: unknown): asserts key is string {
  if (typeof key !== 'string' || key.length === 0) throw new InvalidKeyError(String(key), 'empty');
  if (key[0] !== '/') throw new InvalidKeyError(key, 'must start with "/"');
  if (key.length > MAX_KEY_BYTES) throw new InvalidKeyError(key.slice(0, 64) + '…', `longer than ${MAX_KEY_BYTES} bytes`);
  if (key.includes('//')) throw new InvalidKeyError(key, 'empty path segment');
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f) throw new InvalidKeyError(key, 'only printable ASCII without spaces is allowed');
  }
}

/** Prefixes follow the key rules but may end with "/" (and "/" alone lists everything). */
export function validatePrefix(prefix: unknown): asserts prefix is string {
  if (prefix === '/') return;
  validateKey(typeof prefix === 'string' && prefix.endsWith('/') ? prefix.slice(0, -1) || '/' : prefix);
}

export function validateValue(value: unknown): asserts value is Buffer {
  if (!Buffer.isBuffer(value)) throw new TypeError('value must be a Buffer');
  if (value.length > MAX_VALUE_BYTES) throw new ValueTooLargeError(value.length, MAX_VALUE_BYTES);
}
