// A pod's imagePullSecrets → a keyring (upstream credentialprovider/secrets MakeDockerKeyring and
// kubelet getPullSecretsForPod): only `kubernetes.io/dockerconfigjson` secrets with a non-empty
// `.dockerconfigjson` and `kubernetes.io/dockercfg` secrets with a non-empty `.dockercfg` count.
import { errors } from '../../util/errors.js';
import type { Obj } from '../types.js';
import { DockerKeyring, type DockerConfig } from './keyring.js';

export const SECRET_TYPE_DOCKER_CONFIG_JSON = 'kubernetes.io/dockerconfigjson';
export const SECRET_TYPE_DOCKERCFG = 'kubernetes.io/dockercfg';

function dataOf(secret: Obj, key: string): string | undefined {
  const b64 = secret.data?.[key];
  if (typeof b64 !== 'string' || b64 === '') return undefined;
  return Buffer.from(b64, 'base64').toString('utf8');
}

function parseJson(text: string, what: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(text);
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new Error(`${what} is not a JSON object`);
}

/**
 * Builds the keyring of the given secrets (API objects, data base64-encoded). A malformed secret
 * fails the whole build (upstream returns the error and the pull fails with it).
 */
export function keyringFromSecrets(secrets: Obj[]): DockerKeyring {
  const kr = new DockerKeyring();
  for (const s of secrets) {
    const name = `secret ${s.metadata?.namespace ?? ''}/${s.metadata?.name ?? ''}`;
    const json = s.type === SECRET_TYPE_DOCKER_CONFIG_JSON ? dataOf(s, '.dockerconfigjson') : undefined;
    const cfg = s.type === SECRET_TYPE_DOCKERCFG ? dataOf(s, '.dockercfg') : undefined;
    try {
      if (json !== undefined) {
        const auths = parseJson(json, '.dockerconfigjson').auths;
        if (auths && typeof auths === 'object') kr.add(auths as DockerConfig);
      } else if (cfg !== undefined) {
        kr.add(parseJson(cfg, '.dockercfg') as DockerConfig);
      }
    } catch (err) {
      throw errors.badRequest(`${name}: ${(err as Error).message}`);
    }
  }
  return kr;
}

/**
 * The pod's pull secrets that exist; `missing` names the others (upstream warns with an event
 * FailedToRetrieveImagePullSecret and pulls without them).
 */
export async function podPullSecrets(pod: Obj, get: (ns: string, name: string) => Promise<Obj | undefined>): Promise<{ secrets: Obj[]; missing: string[] }> {
  const secrets: Obj[] = [];
  const missing: string[] = [];
  for (const ref of (pod.spec?.imagePullSecrets ?? []) as Obj[]) {
    if (!ref?.name) continue;
    const s = await get(pod.metadata.namespace, ref.name).catch(() => undefined);
    if (s) secrets.push(s);
    else missing.push(ref.name);
  }
  return { secrets, missing };
}
