// Name, label and annotation format checks, worded exactly as Kubernetes v1.32 words them
// (k8s.io/apimachinery v0.32: pkg/util/validation/validation.go for the Is* helpers,
// pkg/apis/meta/v1/validation ValidateLabels, pkg/api/validation ValidateAnnotations).
// Each Is* helper returns [] when valid, else one message per violated rule; upstream joins or
// wraps those messages differently per caller, so callers decide how to present them.
// Lengths are counted in UTF-8 bytes because upstream uses Go's len().

import { goQuote } from './quote.js';

/** One entry of a Status' details.causes, as upstream's field.Error becomes a StatusCause. */
export interface FieldCause {
  field: string;
  message: string;
  reason: string;
}

const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_LABEL_MSG = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
const DNS1123_LABEL_MAX = 63;
const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const DNS1123_SUBDOMAIN_MSG = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const DNS1123_SUBDOMAIN_MAX = 253;
const DNS1035_LABEL_FMT = '[a-z]([-a-z0-9]*[a-z0-9])?';
const DNS1035_LABEL_MSG = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";
const DNS1035_LABEL_MAX = 63;
const QNAME_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const QNAME_MSG = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const QNAME_MAX = 63;
const LABEL_VALUE_FMT = `(${QNAME_FMT})?`;
const LABEL_VALUE_MSG = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_MAX = 63;
/** Upstream's TotalAnnotationSizeLimitB: keys plus values of all annotations, in bytes. */
export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

const anchored = (fmt: string) => new RegExp(`^${fmt}$`);
const DNS1123_LABEL_RE = anchored(DNS1123_LABEL_FMT);
const DNS1123_SUBDOMAIN_RE = anchored(DNS1123_SUBDOMAIN_FMT);
const DNS1035_LABEL_RE = anchored(DNS1035_LABEL_FMT);
const QNAME_RE = anchored(QNAME_FMT);
const LABEL_VALUE_RE = anchored(LABEL_VALUE_FMT);

const byteLength = (s: string) => Buffer.byteLength(s, 'utf8');

/** Upstream's MaxLenError wording. */
export function maxLenError(length: number): string {
  return `must be no more than ${length} characters`;
}

/** Upstream's RegexError wording, including its "'x',  or 'y'" double space between examples. */
export function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  return `${msg} (e.g. ${examples.map((e) => `'${e}', `).join(' or ')}regex used for validation is '${fmt}')`;
}

/** RFC 1123 subdomain (most object names): ≤253 bytes of dot-separated DNS labels. */
export function isDNS1123Subdomain(v: string): string[] {
  const errs: string[] = [];
  if (byteLength(v) > DNS1123_SUBDOMAIN_MAX) errs.push(maxLenError(DNS1123_SUBDOMAIN_MAX));
  if (!DNS1123_SUBDOMAIN_RE.test(v)) errs.push(regexError(DNS1123_SUBDOMAIN_MSG, DNS1123_SUBDOMAIN_FMT, 'example.com'));
  return errs;
}

/** RFC 1123 label (namespace names, ...): ≤63 bytes, no dots. */
export function isDNS1123Label(v: string): string[] {
  const errs: string[] = [];
  if (byteLength(v) > DNS1123_LABEL_MAX) errs.push(maxLenError(DNS1123_LABEL_MAX));
  if (!DNS1123_LABEL_RE.test(v)) {
    // Upstream singles out "a valid subdomain, just with dots" for a friendlier message.
    errs.push(DNS1123_SUBDOMAIN_RE.test(v) ? 'must not contain dots' : regexError(DNS1123_LABEL_MSG, DNS1123_LABEL_FMT, 'my-name', '123-abc'));
  }
  return errs;
}

/** RFC 1035 label (service names): like a 1123 label but must start with a letter. */
export function isDNS1035Label(v: string): string[] {
  const errs: string[] = [];
  if (byteLength(v) > DNS1035_LABEL_MAX) errs.push(maxLenError(DNS1035_LABEL_MAX));
  if (!DNS1035_LABEL_RE.test(v)) errs.push(regexError(DNS1035_LABEL_MSG, DNS1035_LABEL_FMT, 'my-name', 'abc-123'));
  return errs;
}

/** Qualified name (label and annotation keys): `[prefix/]name`, prefix a DNS subdomain, name ≤63 bytes. */
export function isQualifiedName(v: string): string[] {
  const errs: string[] = [];
  const parts = v.split('/');
  if (parts.length > 2) {
    return [`a qualified name ${regexError(QNAME_MSG, QNAME_FMT, 'MyName', 'my.name', '123-abc')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`];
  }
  const name = parts.length === 2 ? parts[1]! : parts[0]!;
  if (parts.length === 2) {
    const prefix = parts[0]!;
    if (prefix.length === 0) errs.push('prefix part must be non-empty');
    else errs.push(...isDNS1123Subdomain(prefix).map((m) => 'prefix part ' + m));
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (byteLength(name) > QNAME_MAX) errs.push('name part ' + maxLenError(QNAME_MAX));
  if (!QNAME_RE.test(name)) errs.push('name part ' + regexError(QNAME_MSG, QNAME_FMT, 'MyName', 'my.name', '123-abc'));
  return errs;
}

/** Label value: empty, or ≤63 bytes of alphanumerics, '-', '_', '.' starting and ending alphanumeric. */
export function isValidLabelValue(v: string): string[] {
  const errs: string[] = [];
  if (byteLength(v) > LABEL_VALUE_MAX) errs.push(maxLenError(LABEL_VALUE_MAX));
  if (!LABEL_VALUE_RE.test(v)) errs.push(regexError(LABEL_VALUE_MSG, LABEL_VALUE_FMT, 'MyValue', 'my_value', '12345'));
  return errs;
}

/** A FieldValueInvalid cause as upstream's field.Invalid renders it (ErrorBody for a string value). */
export function invalidCause(field: string, value: string, detail: string): FieldCause {
  return { field, reason: 'FieldValueInvalid', message: `Invalid value: ${goQuote(value)}: ${detail}` };
}

// Upstream decodes metadata into map[string]string before validating, so a non-string value
// never reaches ValidateLabels there (decoding fails with 400). Skiff validates JSON as sent, so
// it reports such values as a type error on the same field instead of silently accepting them.
function typeCause(field: string, value: unknown): FieldCause {
  return { field, reason: 'FieldValueTypeInvalid', message: `Invalid value: ${JSON.stringify(value) ?? String(value)}: must be a string` };
}

function entries(map: unknown, field: string, causes: FieldCause[]): [string, string][] {
  if (map == null) return [];
  if (typeof map !== 'object' || Array.isArray(map)) {
    causes.push({ field, reason: 'FieldValueTypeInvalid', message: `Invalid value: ${JSON.stringify(map)}: must be a map of string keys to string values` });
    return [];
  }
  const out: [string, string][] = [];
  for (const [k, v] of Object.entries(map as Record<string, unknown>)) {
    if (typeof v === 'string') out.push([k, v]);
    else causes.push(typeCause(field, v));
  }
  return out;
}

/** metadata.labels rules (upstream ValidateLabels): every key a qualified name, every value a label value. */
export function validateLabels(labels: unknown, fieldPath: string): FieldCause[] {
  const causes: FieldCause[] = [];
  for (const [k, v] of entries(labels, fieldPath, causes)) {
    for (const msg of isQualifiedName(k)) causes.push(invalidCause(fieldPath, k, msg));
    for (const msg of isValidLabelValue(v)) causes.push(invalidCause(fieldPath, v, msg));
  }
  return causes;
}

/**
 * metadata.annotations rules (upstream ValidateAnnotations): keys are qualified names compared
 * case-insensitively, and keys plus values together stay within 256 KiB.
 */
export function validateAnnotations(ann: unknown, fieldPath: string): FieldCause[] {
  const causes: FieldCause[] = [];
  let total = 0;
  for (const [k, v] of entries(ann, fieldPath, causes)) {
    for (const msg of isQualifiedName(k.toLowerCase())) causes.push(invalidCause(fieldPath, k, msg));
    total += byteLength(k) + byteLength(v);
  }
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT) {
    causes.push({ field: fieldPath, reason: 'FieldValueTooLong', message: `Too long: may not be more than ${TOTAL_ANNOTATION_SIZE_LIMIT} bytes` });
  }
  return causes;
}
