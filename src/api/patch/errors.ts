// How patch failures are answered, matching kube-apiserver's PATCH handler
// (k8s.io/apiserver/pkg/endpoints/handlers/patch.go):
//   * a body that cannot be decoded as the patch type → 400 BadRequest with the decoder's message;
//   * a JSON patch that decodes but fails to apply (a failed "test", a missing path, …) → 422 built by
//     errors.NewGenericServerResponse, whose message is the fixed text below — upstream drops the
//     library's detail, so we keep it only as the error's `cause` (for logs);
//   * strategic merge patch: the mergepatch sentinel errors (bad $retainKeys, $setElementOrder,
//     $deleteFromPrimitiveList) → 400, lists of lists → 422 as above.
import { StatusError, errors } from '../../util/errors.js';

/** The message kube-apiserver gives every 422 it builds with NewGenericServerResponse. */
export const GENERIC_INVALID_MESSAGE = 'the server rejected our request due to an error in our request';

/** A 422 Invalid with upstream's generic message; `detail` (the library's reason) is kept as `cause`. */
export function unprocessable(detail: string): StatusError {
  const err = new StatusError(422, 'Invalid', GENERIC_INVALID_MESSAGE);
  err.cause = new Error(detail);
  return err;
}

/** A 400 BadRequest with upstream's message. */
export function badPatch(message: string): StatusError {
  return errors.badRequest(message);
}
