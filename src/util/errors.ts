// Typed API errors that carry a Kubernetes Status `reason` and HTTP `code` (STYLE.md: "typed errors
// with stable reasons"). The API server turns any thrown error into a Status in one place
// (statusFromError); anything that is not a StatusError becomes a 500 InternalError.

export type StatusReason =
  | 'BadRequest' | 'Unauthorized' | 'Forbidden' | 'NotFound' | 'AlreadyExists' | 'Conflict'
  | 'Gone' | 'Expired' | 'Invalid' | 'ServerTimeout' | 'Timeout' | 'TooManyRequests'
  | 'MethodNotAllowed' | 'NotAcceptable' | 'RequestEntityTooLarge' | 'UnsupportedMediaType'
  | 'InternalError' | 'ServiceUnavailable';

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, unknown>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: StatusReason | string;
  details?: StatusDetails;
  code: number;
}

/** An error that is answered with a Kubernetes Status. */
export class StatusError extends Error {
  constructor(
    readonly code: number,
    readonly reason: StatusReason,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
    this.name = 'StatusError';
  }

  toStatus(): Status {
    const s: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: this.message, reason: this.reason, code: this.code };
    if (this.details) s.details = this.details;
    return s;
  }
}

/** "pods" or "deployments.apps": how upstream names a resource in messages. */
export function qualifiedResource(resource: string, group: string): string {
  return group ? `${resource}.${group}` : resource;
}

export const errors = {
  badRequest: (message: string, causes?: StatusCause[]) =>
    new StatusError(400, 'BadRequest', message, causes ? { causes } : undefined),
  unauthorized: (message = 'Unauthorized') => new StatusError(401, 'Unauthorized', message),
  forbidden: (message: string) => new StatusError(403, 'Forbidden', message),
  notFound: (resource: string, group: string, name: string) =>
    new StatusError(404, 'NotFound', `${qualifiedResource(resource, group)} "${name}" not found`, { name, group, kind: resource }),
  notFoundPath: (message = 'the server could not find the requested resource') =>
    new StatusError(404, 'NotFound', message, {}),
  alreadyExists: (resource: string, group: string, name: string) =>
    new StatusError(409, 'AlreadyExists', `${qualifiedResource(resource, group)} "${name}" already exists`, { name, group, kind: resource }),
  conflict: (resource: string, group: string, name: string, why = 'the object has been modified; please apply your changes to the latest version and try again') =>
    new StatusError(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedResource(resource, group)} "${name}": ${why}`, { name, group, kind: resource }),
  /** 422 with one cause per violation, worded as upstream: `Kind "name" is invalid: field: detail`. */
  invalid: (kind: string, group: string, name: string, causes: StatusCause[]) =>
    new StatusError(422, 'Invalid',
      `${kind} "${name}" is invalid: ${causes.length === 1 ? causeText(causes[0]!) : '[' + causes.map(causeText).join(', ') + ']'}`,
      { name, group, kind, causes }),
  /** 422 for one field of an object whose name is not known here. */
  invalidField: (kind: string, field: string, value: unknown, detail: string) =>
    new StatusError(422, 'Invalid', `${kind} is invalid: ${field}: Invalid value: ${JSON.stringify(value)}: ${detail}`,
      { kind, causes: [{ reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(value)}: ${detail}`, field }] }),
  expired: (message: string) => new StatusError(410, 'Expired', message),
  gone: (message: string) => new StatusError(410, 'Gone', message),
  methodNotAllowed: (message = 'the server does not allow this method on the requested resource') =>
    new StatusError(405, 'MethodNotAllowed', message),
  notAcceptable: (message: string) => new StatusError(406, 'NotAcceptable', message),
  unsupportedMediaType: (message: string) => new StatusError(415, 'UnsupportedMediaType', message),
  tooLarge: (message = 'Request entity too large: limit is 3145728') => new StatusError(413, 'RequestEntityTooLarge', message),
  tooManyRequests: (message: string, retryAfterSeconds?: number) =>
    new StatusError(429, 'TooManyRequests', message, retryAfterSeconds ? { retryAfterSeconds } : undefined),
  internal: (message: string) => new StatusError(500, 'InternalError', `Internal error occurred: ${message}`),
  unavailable: (message: string) => new StatusError(503, 'ServiceUnavailable', message),
  timeout: (message: string) => new StatusError(504, 'Timeout', message),
};

function causeText(c: StatusCause): string {
  return c.field ? `${c.field}: ${c.message ?? ''}` : (c.message ?? '');
}

/** Converts anything thrown into a Status; unknown errors become 500 InternalError. */
export function statusFromError(err: unknown): Status {
  if (err instanceof StatusError) return err.toStatus();
  const msg = err instanceof Error ? err.message : String(err);
  return errors.internal(msg).toStatus();
}

/** True when err is a StatusError with the given reason. */
export function isReason(err: unknown, reason: StatusReason): boolean {
  return err instanceof StatusError && err.reason === reason;
}
