// The Kubernetes protobuf envelope (kubectl-wire.md §8.2): the 4-byte magic "k8s\0" followed by a
// runtime.Unknown {1 typeMeta {1 apiVersion, 2 kind}, 2 raw, 3 contentEncoding, 4 contentType}.

import { Reader, WireType, expectWireType, malformed } from './wire.js';

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

export interface Envelope {
  apiVersion: string;
  kind: string;
  /** The object's own message bytes. */
  raw: Buffer;
  contentEncoding: string;
  contentType: string;
}

/** Splits a body into its type and raw object bytes; throws StatusError 400 if it is not an envelope. */
export function readEnvelope(body: Buffer): Envelope {
  if (body.length < MAGIC.length || !body.subarray(0, MAGIC.length).equals(MAGIC)) {
    malformed('missing the "k8s\\0" prefix of a Kubernetes protobuf body');
  }
  const env: Envelope = { apiVersion: '', kind: '', raw: Buffer.alloc(0), contentEncoding: '', contentType: '' };
  const r = new Reader(body, MAGIC.length);
  while (!r.done()) {
    const tag = r.tag();
    switch (tag.field) {
      case 1: expectWireType(tag, WireType.Bytes, 'Unknown'); readTypeMeta(r.sub(), env); break;
      case 2: expectWireType(tag, WireType.Bytes, 'Unknown'); env.raw = r.bytes(); break;
      case 3: expectWireType(tag, WireType.Bytes, 'Unknown'); env.contentEncoding = r.string(); break;
      case 4: expectWireType(tag, WireType.Bytes, 'Unknown'); env.contentType = r.string(); break;
      default: r.skip(tag);
    }
  }
  return env;
}

function readTypeMeta(r: Reader, env: Envelope): void {
  while (!r.done()) {
    const tag = r.tag();
    if (tag.field === 1) { expectWireType(tag, WireType.Bytes, 'TypeMeta'); env.apiVersion = r.string(); }
    else if (tag.field === 2) { expectWireType(tag, WireType.Bytes, 'TypeMeta'); env.kind = r.string(); }
    else r.skip(tag);
  }
}
