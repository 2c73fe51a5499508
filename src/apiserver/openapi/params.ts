// Query and path parameters, inlined into each operation as upstream's v3 documents do. kubectl's
// field-validation check (cli-runtime query_param_verifier_v3) reads the PATCH operation's own
// `parameters` by name, so these must never become $refs.
import type { Schema } from './catalog.js';

function query(name: string, type: 'string' | 'boolean' | 'integer', description: string): Schema {
  return { name, in: 'query', description, schema: { type, uniqueItems: true } };
}

export function pathParam(name: string, description: string): Schema {
  return { name, in: 'path', description, required: true, schema: { type: 'string', uniqueItems: true } };
}

export const pretty = query('pretty', 'string', "If 'true', the output is indented.");

const dryRun = query('dryRun', 'string', 'When All, run every stage of the request except persisting it.');
const fieldManager = query('fieldManager', 'string', 'Name of the actor making the change, recorded in managedFields.');
const fieldValidation = query(
  'fieldValidation', 'string',
  'What to do with unknown or duplicate fields in the body: Ignore, Warn (default) or Strict (reject).',
);
const force = query('force', 'boolean', 'For apply requests: take ownership of fields other managers own instead of failing with a conflict.');

/** create (POST) and replace (PUT). */
export const writeParams = [dryRun, fieldManager, fieldValidation];
/** PATCH: includes fieldValidation, which kubectl 1.29+ requires to see (kubectl-wire §7.3). */
export const patchParams = [dryRun, fieldManager, fieldValidation, force];

export const deleteParams = [
  dryRun,
  query('gracePeriodSeconds', 'integer', 'Seconds before the object is deleted; 0 deletes immediately.'),
  query('orphanDependents', 'boolean', 'Deprecated: use propagationPolicy.'),
  query('propagationPolicy', 'string', 'Orphan, Background or Foreground deletion of dependents.'),
];

export const listParams = [
  query('allowWatchBookmarks', 'boolean', 'Ask for BOOKMARK events on a watch.'),
  query('continue', 'string', 'Continue token from a previous, limited list.'),
  query('fieldSelector', 'string', 'Restrict results by field values, e.g. metadata.name=x.'),
  query('labelSelector', 'string', 'Restrict results by labels.'),
  query('limit', 'integer', 'Maximum number of items in one response.'),
  query('resourceVersion', 'string', 'Read at or after this resourceVersion; see resourceVersionMatch.'),
  query('resourceVersionMatch', 'string', 'Exact or NotOlderThan.'),
  query('sendInitialEvents', 'boolean', 'With watch: start with synthetic ADDED events for existing objects.'),
  query('timeoutSeconds', 'integer', 'Deadline for a list or watch.'),
  query('watch', 'boolean', 'Stream changes instead of returning a list.'),
];

export const logParams = [
  query('container', 'string', 'Container to read; optional when the pod has one container.'),
  query('follow', 'boolean', 'Stream the log as it grows.'),
  query('limitBytes', 'integer', 'Stop after this many bytes.'),
  query('previous', 'boolean', 'Read the previous, terminated instance of the container.'),
  query('sinceSeconds', 'integer', 'Only lines newer than this many seconds.'),
  query('sinceTime', 'string', 'Only lines newer than this RFC 3339 time.'),
  query('tailLines', 'integer', 'Only this many lines from the end.'),
  query('timestamps', 'boolean', 'Prefix each line with its timestamp.'),
];

/** Parameters of the streaming (connect) subresources, by subresource name. */
export const connectParams: Record<string, Schema[]> = {
  exec: [
    query('command', 'string', 'Command to run; repeat for each argument.'),
    query('container', 'string', 'Container to run it in.'),
    query('stderr', 'boolean', 'Stream stderr.'),
    query('stdin', 'boolean', 'Stream stdin.'),
    query('stdout', 'boolean', 'Stream stdout.'),
    query('tty', 'boolean', 'Allocate a TTY.'),
  ],
  attach: [
    query('container', 'string', 'Container to attach to.'),
    query('stderr', 'boolean', 'Stream stderr.'),
    query('stdin', 'boolean', 'Stream stdin.'),
    query('stdout', 'boolean', 'Stream stdout.'),
    query('tty', 'boolean', 'The container has a TTY.'),
  ],
  portforward: [query('ports', 'integer', 'Ports to forward.')],
  proxy: [query('path', 'string', 'Path to proxy to.')],
};
