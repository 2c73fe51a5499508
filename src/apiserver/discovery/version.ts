// GET /version. kubectl's dispatcher picks its client binary from `minor` (kubectl-wire §0), so the
// answer is the API level Skiff implements, not Skiff's own release number.
import { version } from '../../util/version.js';

/** The version.Info object served at /version (major, minor "32", gitVersion, …); a fresh copy each call. */
export function versionInfo(): object {
  return { ...version };
}
