import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatLabelSelector, labelSelectorFromObject, labelSelectorFromSet, parseLabelSelector } from './labels.js';
import type { LabelSelectorObject } from './labels.js';
import { StatusError } from '../../util/errors.js';

const VALUE_MSG = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const NAME_PART_MSG = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

function badRequest(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof StatusError, `expected StatusError, got ${String(e)}`);
    assert.equal(e.code, 400);
    assert.equal(e.reason, 'BadRequest');
    return e.message;
  }
  assert.fail('expected a BadRequest');
}

void test('parseLabelSelector accepts upstream syntax and prints the canonical form', () => {
  // [input, toString()] — the canonical form sorts requirements by key and set values.
  const cases: [string, string][] = [
    ['', ''],
    ['   ', ''],
    ['a=b', 'a=b'],
    ['a==b', 'a==b'],
    ['a!=b', 'a!=b'],
    ['a', 'a'],
    ['!a', '!a'],
    [' ! a ', '!a'],
    ['a in (x,y)', 'a in (x,y)'],
    ['a in (y,x,y)', 'a in (x,y)'],
    ['a notin (x)', 'a notin (x)'],
    ['a>1', 'a>1'],
    ['a<-1'.replace('-', ''), 'a<1'],
    ['b=c,a', 'a,b=c'],
    ['x=a,y=b', 'x=a,y=b'],
    ['  x = a ,\ty\n!=\rb ', 'x=a,y!=b'],
    ['a=', 'a='],
    ['a=,b', 'a=,b'],
    ['a in ()', 'a in ()'],
    ['a in (,)', 'a in ()'],
    ['x in (foo,,baz),y,z notin ()', 'x in (,baz,foo),y,z notin ()'],
    ['a in (x,)', 'a in (,x)'],
    ['a in (x,,)', 'a in (,x)'],
    ['in in (in)', 'in in (in)'],
    ['notin notin (notin)', 'notin notin (notin)'],
    ['a=in', 'a=in'],
    ['example.com/app=web', 'example.com/app=web'],
    ['a=b,a!=c', 'a=b,a!=c'],
    ['a in(x)', 'a in (x)'],
  ];
  for (const [input, want] of cases) {
    const sel = parseLabelSelector(input);
    assert.equal(sel.toString(), want, JSON.stringify(input));
    assert.equal(sel.empty(), want === '', JSON.stringify(input));
  }
});

void test('parseLabelSelector exposes requirements with upstream operator names', () => {
  assert.deepEqual(parseLabelSelector('z,!y,x in (b,a),w notin (c),v=1,u==2,t!=3,s>4,r<5').requirements, [
    { key: 'r', operator: 'lt', values: ['5'] },
    { key: 's', operator: 'gt', values: ['4'] },
    { key: 't', operator: '!=', values: ['3'] },
    { key: 'u', operator: '==', values: ['2'] },
    { key: 'v', operator: '=', values: ['1'] },
    { key: 'w', operator: 'notin', values: ['c'] },
    { key: 'x', operator: 'in', values: ['a', 'b'] },
    { key: 'y', operator: '!', values: [] },
    { key: 'z', operator: 'exists', values: [] },
  ]);
});

void test('parseLabelSelector rejects bad input with upstream messages', () => {
  const cases: [string, string][] = [
    ['a b', "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"],
    ['a=b c', "found 'c', expected: ',' or 'end of string'"],
    ['a=b,', "found '', expected: identifier after ','"],
    [',a', "found ',', expected: !, identifier, or 'end of string'"],
    ['a=b,,c', "found ',', expected: identifier after ','"],
    ['a in x', "unable to parse requirement: found 'x' expected: '('"],
    ['a in (x', "unable to parse requirement: found '', expected: ',' or ')'"],
    ['a in (x y)', "unable to parse requirement: found 'y', expected: ',' or ')'"],
    ['a in (=)', "unable to parse requirement: found '=', expected: ',', ')' or identifier"],
    ['a in (x,=)', "unable to parse requirement: found '=', expected: ',', or identifier"],
    ['a==!b', "unable to parse requirement: found '!', expected: identifier"],
    ['!a=b', "found '=', expected: ',' or 'end of string'"],
    ['!', "unable to parse requirement: found '', expected: identifier"],
    ['a<=1', "unable to parse requirement: found '=', expected: identifier"],
    ['a=-b', `unable to parse requirement: values[0][a]: Invalid value: "-b": ${VALUE_MSG}`],
    ['-a=b', `unable to parse requirement: <nil>: Invalid value: "-a": ${NAME_PART_MSG}`],
    ['a>x', `unable to parse requirement: values[0]: Invalid value: "x": for 'Gt', 'Lt' operators, the value must be an integer`],
    ['a>99999999999999999999', `unable to parse requirement: values[0]: Invalid value: "99999999999999999999": for 'Gt', 'Lt' operators, the value must be an integer`],
    ['a>', `unable to parse requirement: values[0]: Invalid value: "": for 'Gt', 'Lt' operators, the value must be an integer`],
    ['a in (-x,y_)', `unable to parse requirement: [values[0][a]: Invalid value: "-x": ${VALUE_MSG}, values[1][a]: Invalid value: "y_": ${VALUE_MSG}]`],
  ];
  for (const [input, want] of cases) assert.equal(badRequest(() => parseLabelSelector(input)), want, input);
});

void test('label selectors match as upstream', () => {
  // [selector, labels, matches]
  const cases: [string, Record<string, string> | undefined, boolean][] = [
    ['', undefined, true],
    ['', { a: 'b' }, true],
    ['a=b', { a: 'b' }, true],
    ['a=b', { a: 'c' }, false],
    ['a=b', {}, false],
    ['a==b', { a: 'b' }, true],
    ['a!=b', { a: 'b' }, false],
    ['a!=b', { a: 'c' }, true],
    ['a!=b', undefined, true],
    ['a', { a: '' }, true],
    ['a', { b: 'x' }, false],
    ['!a', { b: 'x' }, true],
    ['!a', { a: '' }, false],
    ['a in (x,y)', { a: 'y' }, true],
    ['a in (x,y)', { a: 'z' }, false],
    ['a in (x,y)', {}, false],
    ['a notin (x)', { a: 'x' }, false],
    ['a notin (x)', { a: 'y' }, true],
    ['a notin (x)', {}, true],
    ['a in ()', { a: '' }, true],
    ['a=', { a: '' }, true],
    ['a>1', { a: '2' }, true],
    ['a>1', { a: '1' }, false],
    ['a>1', { a: 'x' }, false],
    ['a>1', {}, false],
    ['a<10', { a: '9' }, true],
    ['a<10', { a: '-3' }, true],
    ['a<10', { a: '10' }, false],
    ['a>9007199254740992', { a: '9007199254740993' }, true],
    ['a=b,c', { a: 'b', c: '' }, true],
    ['a=b,c', { a: 'b' }, false],
    ['toString', {}, false],
    ['!toString', {}, true],
  ];
  for (const [sel, labels, want] of cases) assert.equal(parseLabelSelector(sel).matches(labels), want, `${sel} ${JSON.stringify(labels)}`);
});

void test('labelSelectorFromObject follows LabelSelectorAsSelector', () => {
  const nothing = labelSelectorFromObject(null);
  assert.equal(nothing.matches({}), false);
  assert.equal(nothing.empty(), false);
  assert.equal(nothing.toString(), '');
  assert.equal(labelSelectorFromObject(undefined).matches({ a: 'b' }), false);

  const everything = labelSelectorFromObject({});
  assert.equal(everything.matches(undefined), true);
  assert.equal(everything.empty(), true);
  assert.equal(labelSelectorFromObject({ matchLabels: {}, matchExpressions: [] }).empty(), true);

  // [object, toString()]
  const cases: [LabelSelectorObject, string][] = [
    [{ matchLabels: { app: 'web' } }, 'app=web'],
    [{ matchLabels: { tier: 'fe', app: 'web' } }, 'app=web,tier=fe'],
    [{ matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'dev'] }] }, 'env in (dev,prod)'],
    [{ matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['x'] }] }, 'env notin (x)'],
    [{ matchExpressions: [{ key: 'b', operator: 'Exists' }, { key: 'a', operator: 'DoesNotExist', values: [] }] }, '!a,b'],
    [{ matchLabels: { z: '1' }, matchExpressions: [{ key: 'a', operator: 'Exists' }] }, 'a,z=1'],
  ];
  for (const [obj, want] of cases) assert.equal(labelSelectorFromObject(obj).toString(), want, JSON.stringify(obj));

  const sel = labelSelectorFromObject({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['dev'] }] });
  assert.equal(sel.matches({ app: 'web' }), true);
  assert.equal(sel.matches({ app: 'web', env: 'dev' }), false);
  assert.equal(sel.matches({ app: 'db' }), false);
});

void test('labelSelectorFromObject rejects invalid selectors with upstream messages', () => {
  const cases: [LabelSelectorObject, string][] = [
    [{ matchExpressions: [{ key: 'a', operator: 'in', values: ['x'] }] }, '"in" is not a valid label selector operator'],
    [{ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] }, '"Gt" is not a valid label selector operator'],
    [{ matchExpressions: [{ key: 'a', operator: 'In' }] }, "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty"],
    [{ matchExpressions: [{ key: 'a', operator: 'NotIn', values: [] }] }, "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty"],
    [{ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }, 'values: Invalid value: []string{"x"}: values set must be empty for exists and does not exist'],
    [{ matchLabels: { app: 'a b' } }, `values[0][app]: Invalid value: "a b": ${VALUE_MSG}`],
    [{ matchLabels: { '-app': 'web' } }, `key: Invalid value: "-app": ${NAME_PART_MSG}`],
    [{ matchExpressions: [{ key: '', operator: 'In' }] }, `[key: Invalid value: "": name part must be non-empty; ${NAME_PART_MSG}, values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty]`],
  ];
  for (const [obj, want] of cases) assert.equal(badRequest(() => labelSelectorFromObject(obj)), want, JSON.stringify(obj));
});

void test('formatLabelSelector prints as kubectl does', () => {
  const cases: [object | null | undefined, string][] = [
    [null, '<none>'],
    [undefined, '<none>'],
    [{}, '<none>'],
    [{ matchLabels: { app: 'web' } }, 'app=web'],
    [{ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'x', operator: 'In', values: ['b', 'a'] }] }, 'app=web,x in (a,b)'],
    [{ matchExpressions: [{ key: 'x', operator: 'Bogus' }] }, '<error>'],
  ];
  for (const [obj, want] of cases) assert.equal(formatLabelSelector(obj), want, JSON.stringify(obj));
});

void test('labelSelectorFromSet requires exactly the given labels', () => {
  assert.equal(labelSelectorFromSet(undefined).empty(), true);
  const sel = labelSelectorFromSet({ b: '2', a: '1' });
  assert.equal(sel.toString(), 'a=1,b=2');
  assert.equal(sel.matches({ a: '1', b: '2', c: '3' }), true);
  assert.equal(sel.matches({ a: '1' }), false);
});
