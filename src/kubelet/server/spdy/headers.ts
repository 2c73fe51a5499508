// SPDY/3 header compression: one zlib stream per direction for the whole connection, primed with
// the SPDY/3 dictionary and never reset; every header block ends with a sync flush (SPDY draft 3
// §2.6.10). Node's zlib streams are asynchronous, so encode/decode are serialized per direction.
import zlib from 'node:zlib';
import { SPDY3_DICTIONARY } from './dictionary.js';
import { decodeHeaderBlock, encodeHeaderBlock } from './frames.js';

/** Runs one write + sync flush through a zlib stream and collects what it produced. */
function pass(z: zlib.Inflate | zlib.Deflate, input: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const onData = (c: Buffer) => chunks.push(c);
    const onError = (err: Error) => {
      z.off('data', onData);
      reject(err);
    };
    z.on('data', onData);
    z.once('error', onError);
    z.write(input);
    z.flush(zlib.constants.Z_SYNC_FLUSH, () => {
      z.off('data', onData);
      z.off('error', onError);
      resolve(Buffer.concat(chunks));
    });
  });
}

export class HeaderCompressor {
  private readonly z = zlib.createDeflate({ dictionary: SPDY3_DICTIONARY });
  private chain: Promise<unknown> = Promise.resolve();

  encode(headers: Record<string, string>): Promise<Buffer> {
    const p = this.chain.then(() => pass(this.z, encodeHeaderBlock(headers)));
    this.chain = p.catch(() => {});
    return p;
  }

  close(): void {
    this.z.close();
  }
}

export class HeaderDecompressor {
  private readonly z = zlib.createInflate({ dictionary: SPDY3_DICTIONARY });
  private chain: Promise<unknown> = Promise.resolve();

  decode(block: Buffer): Promise<Record<string, string>> {
    const p = this.chain.then(async () => decodeHeaderBlock(await pass(this.z, block)));
    this.chain = p.catch(() => {});
    return p;
  }

  close(): void {
    this.z.close();
  }
}
