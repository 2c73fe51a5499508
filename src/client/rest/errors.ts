// Failed responses become StatusErrors carrying the server's Status (client-go's
// transformResponse / newUnstructuredResponseError), so callers test `isReason(err, 'NotFound')`.
import { StatusError, type Status, type StatusReason } from '../../util/errors.js';

const REASONS: Record<number, StatusReason> = {
  400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 405: 'MethodNotAllowed',
  406: 'NotAcceptable', 409: 'Conflict', 410: 'Gone', 413: 'RequestEntityTooLarge', 415: 'UnsupportedMediaType',
  422: 'Invalid', 429: 'TooManyRequests', 500: 'InternalError', 503: 'ServiceUnavailable', 504: 'Timeout',
};

/** The reason client-go assumes for a bare HTTP code. */
export function reasonForCode(code: number): StatusReason {
  return REASONS[code] ?? (code >= 500 ? 'InternalError' : 'BadRequest');
}

/** A StatusError from a Status object (a failed response body or a watch ERROR event). */
export function errorFromStatus(st: Status, httpCode = st.code): StatusError {
  const code = st.code || httpCode;
  const reason = (st.reason || reasonForCode(code)) as StatusReason;
  return new StatusError(code, reason, st.message ?? `the server responded with the status code ${code}`, st.details);
}

/** The error for a non-2xx response: its Status when the body is one, else a generic one by code. */
export function errorFromResponse(code: number, body: Buffer | string, method: string, path: string): StatusError {
  const text = body.toString();
  try {
    const parsed = JSON.parse(text) as Partial<Status>;
    if (parsed && parsed.kind === 'Status') return errorFromStatus(parsed as Status, code);
  } catch {
    // not JSON: fall through to a message built from the code, as client-go does
  }
  const snippet = text.length > 0 && text.length < 512 ? ` (${text.trim()})` : '';
  return new StatusError(code, reasonForCode(code), `the server responded with the status code ${code} to ${method} ${path}${snippet}`);
}
