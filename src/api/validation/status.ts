// The 422 Invalid StatusError upstream's errors.NewInvalid builds: message `Kind.group "name" is
// invalid: <aggregate>` where the aggregate is one message alone or "[a, b]" without repeats.
import { StatusError, type StatusCause } from '../../util/errors.js';

// field.Error.Error() is always `field: body`, even for the whole-object path "".
const causeText = (c: StatusCause) => (c.field !== undefined ? `${c.field}: ${c.message ?? ''}` : (c.message ?? ''));

/** upstream utilerrors aggregate Error(): duplicates dropped; brackets only for more than one. */
export function aggregateMessages(msgs: readonly string[]): string {
  const unique = [...new Set(msgs)];
  return unique.length === 1 ? unique[0]! : `[${unique.join(', ')}]`;
}

/** 422 Invalid for kind (in group) named name, with one cause per violation. */
export function invalidError(kind: string, group: string, name: string, causes: StatusCause[]): StatusError {
  const qualified = group ? `${kind}.${group}` : kind;
  const message = causes.length ? `${qualified} "${name}" is invalid: ${aggregateMessages(causes.map(causeText))}` : `${qualified} "${name}" is invalid`;
  return new StatusError(422, 'Invalid', message, { name, group, kind, causes });
}
