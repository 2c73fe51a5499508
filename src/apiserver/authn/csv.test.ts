import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCsv } from './csv.js';

void test('parseCsv reads quoted fields, CRLF and blank lines like Go encoding/csv', () => {
  assert.deepEqual(parseCsv('a,b,c\r\n\n"x,y","say ""hi""",\n"multi\nline",z'), [
    ['a', 'b', 'c'], ['x,y', 'say "hi"', ''], ['multi\nline', 'z'],
  ]);
  assert.deepEqual(parseCsv(''), []);
  assert.deepEqual(parseCsv('only\n'), [['only']]);
});

void test('parseCsv rejects stray quotes', () => {
  assert.throws(() => parseCsv('a"b,c'), /line 1: bare "/);
  assert.throws(() => parseCsv('ok\n"abc"d,e'), /line 2: extraneous/);
  assert.throws(() => parseCsv('"open'), /missing "/);
});
