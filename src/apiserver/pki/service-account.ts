// The key that signs service account tokens (kube-apiserver's --service-account-signing-key-file,
// k3s's DATA/server/tls/service.key): an EC P-256 key made on first start and kept beside the
// certificates. It is not tied to the CA: rotating the CA does not invalidate issued tokens.
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeAtomic } from './files.js';

export const SERVICE_ACCOUNT_KEY_FILE = 'service-account.key';

/** Reads `<dir>/service-account.key`, or creates it (0600) when missing or not an EC P-256 key; returns the PEM. */
export async function ensureServiceAccountKey(dir: string): Promise<string> {
  const path = join(dir, SERVICE_ACCOUNT_KEY_FILE);
  const existing = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw err;
  });
  if (existing && isP256(existing)) return existing;
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  await writeAtomic(path, pem, 0o600);
  return pem;
}

function isP256(pem: string): boolean {
  try {
    const key = createPrivateKey(pem);
    return key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1';
  } catch {
    return false;
  }
}
