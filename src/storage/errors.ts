import type { KeyValue } from './backend.js';

export type StorageErrorCode =
  | 'KeyExists' | 'NotFound' | 'Conflict' | 'Compacted' | 'InvalidKey' | 'ValueTooLarge'
  | 'Unavailable' | 'Corrupt' | 'Closed';

/** Base class of every error a Backend throws on purpose; callers switch on `code`. */
export class StorageError extends Error {
  constructor(readonly code: StorageErrorCode, message: string) {
    super(message);
    this.name = `${code}Error`;
  }
}

export class KeyExistsError extends StorageError {
  constructor(readonly key: string) { super('KeyExists', `key exists: ${key}`); }
}

export class NotFoundError extends StorageError {
  constructor(readonly key: string) { super('NotFound', `key not found: ${key}`); }
}

/** The key's modRevision differs from the expected one; `current` is what is stored now. */
export class ConflictError extends StorageError {
  constructor(readonly key: string, readonly current: KeyValue | undefined) {
    super('Conflict', `conflict on ${key}: expected revision does not match`);
  }
}

/** The requested revision is older than the compaction point. */
export class CompactedError extends StorageError {
  constructor(readonly requested: number, readonly compactRevision: number, readonly currentRevision: number) {
    super('Compacted', `required revision ${requested} has been compacted (oldest available ${compactRevision})`);
  }
}

export class InvalidKeyError extends StorageError {
  constructor(key: string, why: string) { super('InvalidKey', `invalid key ${JSON.stringify(key)}: ${why}`); }
}

export class ValueTooLargeError extends StorageError {
  constructor(size: number, limit: number) { super('ValueTooLarge', `value of ${size} bytes exceeds the limit of ${limit} bytes`); }
}

export class UnavailableError extends StorageError {
  constructor(message: string) { super('Unavailable', message); }
}

export class CorruptError extends StorageError {
  constructor(readonly path: string, reason: string) { super('Corrupt', `${path}: ${reason}`); }
}

export class ClosedError extends StorageError {
  constructor() { super('Closed', 'store is closed'); }
}
