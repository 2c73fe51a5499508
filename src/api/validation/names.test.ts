import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue,
  validateAnnotations, validateLabels,
} from './names.js';
import { goQuote, goStringSlice } from './quote.js';

const SUBDOMAIN_MSG = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MSG = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1035_MSG = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const NAME_PART_MSG = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const VALUE_MSG = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

void test('isDNS1123Subdomain', () => {
  const cases: [string, string[]][] = [
    ['example.com', []],
    ['a', []],
    ['a-b.c-d.e', []],
    ['1.2.3.4', []],
    ['', [SUBDOMAIN_MSG]],
    ['Example.com', [SUBDOMAIN_MSG]],
    ['a_b', [SUBDOMAIN_MSG]],
    ['-a', [SUBDOMAIN_MSG]],
    ['a.', [SUBDOMAIN_MSG]],
    ['a..b', [SUBDOMAIN_MSG]],
    ['a'.repeat(253), []],
    ['a'.repeat(254), ['must be no more than 253 characters']],
    ['A'.repeat(254), ['must be no more than 253 characters', SUBDOMAIN_MSG]],
  ];
  for (const [v, want] of cases) assert.deepEqual(isDNS1123Subdomain(v), want, v);
});

void test('isDNS1123Label', () => {
  const cases: [string, string[]][] = [
    ['my-name', []],
    ['123-abc', []],
    ['a.b', ['must not contain dots']],
    ['', [LABEL_MSG]],
    ['a_b', [LABEL_MSG]],
    ['A', [LABEL_MSG]],
    ['a'.repeat(63), []],
    ['a'.repeat(64), ['must be no more than 63 characters']],
    ['-'.repeat(64), ['must be no more than 63 characters', LABEL_MSG]],
  ];
  for (const [v, want] of cases) assert.deepEqual(isDNS1123Label(v), want, v);
});

void test('isDNS1035Label', () => {
  const cases: [string, string[]][] = [
    ['my-name', []],
    ['abc-123', []],
    ['1abc', [DNS1035_MSG]],
    ['a-', [DNS1035_MSG]],
    ['a'.repeat(64), ['must be no more than 63 characters']],
  ];
  for (const [v, want] of cases) assert.deepEqual(isDNS1035Label(v), want, v);
});

void test('isQualifiedName', () => {
  const cases: [string, string[]][] = [
    ['app', []],
    ['App.Name_x-1', []],
    ['example.com/MyName', []],
    ['kubernetes.io/hostname', []],
    ['', ['name part must be non-empty', NAME_PART_MSG]],
    ['/a', ['prefix part must be non-empty']],
    ['a/', ['name part must be non-empty', NAME_PART_MSG]],
    ['Example.com/a', ['prefix part ' + SUBDOMAIN_MSG]],
    ['_a', [NAME_PART_MSG]],
    ['a'.repeat(64), ['name part must be no more than 63 characters']],
    ['a/b/c', ["a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"]],
  ];
  for (const [v, want] of cases) assert.deepEqual(isQualifiedName(v), want, v);
});

void test('isValidLabelValue', () => {
  const cases: [string, string[]][] = [
    ['', []],
    ['web', []],
    ['1.2_3-x', []],
    ['-x', [VALUE_MSG]],
    ['a b', [VALUE_MSG]],
    ['a'.repeat(64), ['must be no more than 63 characters']],
    ['é', [VALUE_MSG]],
  ];
  for (const [v, want] of cases) assert.deepEqual(isValidLabelValue(v), want, v);
});

void test('validateLabels reports each violation as an Invalid cause', () => {
  assert.deepEqual(validateLabels(undefined, 'metadata.labels'), []);
  assert.deepEqual(validateLabels({ app: 'web', 'example.com/tier': '' }, 'metadata.labels'), []);
  assert.deepEqual(validateLabels({ 'bad key': 'x', ok: '-bad' }, 'metadata.labels'), [
    { field: 'metadata.labels', reason: 'FieldValueInvalid', message: `Invalid value: "bad key": ${NAME_PART_MSG}` },
    { field: 'metadata.labels', reason: 'FieldValueInvalid', message: `Invalid value: "-bad": ${VALUE_MSG}` },
  ]);
  assert.equal(validateLabels({ a: 1 }, 'spec.selector')[0]!.reason, 'FieldValueTypeInvalid');
  assert.equal(validateLabels('x', 'metadata.labels').length, 1);
});

void test('validateAnnotations checks keys case-insensitively and the total size', () => {
  assert.deepEqual(validateAnnotations({ 'Example.COM/Key': 'anything at all' }, 'metadata.annotations'), []);
  assert.deepEqual(validateAnnotations({ 'a b': '' }, 'metadata.annotations'), [
    { field: 'metadata.annotations', reason: 'FieldValueInvalid', message: `Invalid value: "a b": ${NAME_PART_MSG}` },
  ]);
  const atLimit = { k: 'x'.repeat(256 * 1024 - 1) };
  assert.deepEqual(validateAnnotations(atLimit, 'metadata.annotations'), []);
  assert.deepEqual(validateAnnotations({ k: 'x'.repeat(256 * 1024) }, 'metadata.annotations'), [
    { field: 'metadata.annotations', reason: 'FieldValueTooLong', message: 'Too long: may not be more than 262144 bytes' },
  ]);
});

void test('goQuote and goStringSlice render like Go', () => {
  const cases: [string, string][] = [
    ['abc', '"abc"'],
    ['a"b\\c', '"a\\"b\\\\c"'],
    ['\n\t\x00\x7f', '"\\n\\t\\x00\\x7f"'],
    ['é日本', '"é日本"'],
    ['\u200b', '"\\u200b"'],
  ];
  for (const [v, want] of cases) assert.equal(goQuote(v), want, v);
  assert.equal(goStringSlice(undefined), '[]string(nil)');
  assert.equal(goStringSlice([]), '[]string{}');
  assert.equal(goStringSlice(['a', 'b']), '[]string{"a", "b"}');
});
