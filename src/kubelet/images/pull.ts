// Pulling with the pod's credentials (upstream kuberuntime_image.go PullImage): no matching
// credentials → one anonymous pull; otherwise each matching credential in turn until one works.
import { StatusError } from '../../util/errors.js';
import type { AuthConfig, ImageService, ImageSpec, PodSandboxConfig } from '../runtime/index.js';
import type { DockerKeyring } from './keyring.js';

/**
 * Pulls `image` trying every credential the keyring has for it; resolves to the image ref. When all
 * fail, rejects with the only error, or (as upstream's aggregate) one naming all of them.
 */
export async function pullWithKeyring(runtime: Pick<ImageService, 'pullImage'>, image: ImageSpec, keyring: DockerKeyring | undefined, sandboxConfig?: PodSandboxConfig): Promise<string> {
  const creds: AuthConfig[] = keyring?.lookup(image.image) ?? [];
  if (creds.length === 0) return runtime.pullImage(image, undefined, sandboxConfig);
  const errs: Error[] = [];
  for (const auth of creds) {
    try {
      return await runtime.pullImage(image, auth, sandboxConfig);
    } catch (err) {
      errs.push(err as Error);
    }
  }
  if (errs.length === 1) throw errs[0]!;
  const last = errs[errs.length - 1]!;
  const message = `[${errs.map((e) => e.message).join(', ')}]`;
  // Keep the last error's reason and code, but say what every attempt got.
  throw last instanceof StatusError ? new StatusError(last.code, last.reason, message, last.details) : new Error(message);
}
