// Table tests taken from upstream's quantity_test.go (TestQuantityParse, TestQuantityString,
// TestQuantityParseEmit, TestAdd/TestSub, the invalid inputs) — facts about the format.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { add, canonicalQuantity, cmp, ERR_FORMAT_WRONG, ERR_SUFFIX, formatQuantity, parseQuantity, QuantityError, splitQuantity, sub, toMilli, toNumber, toValue, type QuantityFormat } from './index.js';

const DS: QuantityFormat = 'DecimalSI';
const BS: QuantityFormat = 'BinarySI';
const DE: QuantityFormat = 'DecimalExponent';
const MAX = (1n << 63n) - 1n;

/** nanos of v × 10^scale (upstream's decQuantity helper). */
function dec(v: bigint | number, scale: number): bigint {
  const e = scale + 9;
  return e >= 0 ? BigInt(v) * 10n ** BigInt(e) : BigInt(v) / 10n ** BigInt(-e);
}

const parseTable: [string, bigint, QuantityFormat][] = [
  ['0', 0n, DS], ['0n', 0n, DS], ['0u', 0n, DS], ['0m', 0n, DS], ['0Ki', 0n, BS], ['0k', 0n, DS],
  ['0Mi', 0n, BS], ['0M', 0n, DS], ['0Gi', 0n, BS], ['0G', 0n, DS], ['0Ti', 0n, BS], ['0T', 0n, DS],
  ['1', dec(1, 0), DS],
  ['1Ki', dec(1024, 0), BS], ['8Ki', dec(8 * 1024, 0), BS], ['7Mi', dec(7 * 1024 ** 2, 0), BS],
  ['6Gi', dec(6 * 1024 ** 3, 0), BS], ['5Ti', dec(5 * 1024 ** 4, 0), BS], ['4Pi', dec(4n * 1024n ** 5n, 0), BS],
  ['3Ei', dec(3n * 1024n ** 6n, 0), BS], ['10Ti', dec(10 * 1024 ** 4, 0), BS], ['100Ti', dec(100 * 1024 ** 4, 0), BS],
  ['5n', dec(5, -9), DS], ['4u', dec(4, -6), DS], ['3m', dec(3, -3), DS], ['9', dec(9, 0), DS], ['8k', dec(8, 3), DS],
  ['50k', dec(5, 4), DS], ['7M', dec(7, 6), DS], ['6G', dec(6, 9), DS], ['5T', dec(5, 12), DS], ['40T', dec(4, 13), DS],
  ['300T', dec(3, 14), DS], ['2P', dec(2, 15), DS], ['1E', dec(1, 18), DS],
  ['1E-3', dec(1, -3), DE], ['1e3', dec(1, 3), DE], ['1E6', dec(1, 6), DE], ['1e9', dec(1, 9), DE], ['1E12', dec(1, 12), DE],
  ['1e15', dec(1, 15), DE], ['1E18', dec(1, 18), DE], ['1e14', dec(1, 14), DE], ['1e13', dec(1, 13), DE],
  ['100.035k', dec(100035, 0), DS],
  ['0.001', dec(1, -3), DS], ['0.0005k', dec(5, -1), DS], ['0.005', dec(5, -3), DS], ['0.05', dec(5, -2), DS],
  ['0.5', dec(5, -1), DS], ['0.00050k', dec(5, -1), DS], ['0.00500', dec(5, -3), DS], ['0.05000', dec(5, -2), DS],
  ['0.50000', dec(5, -1), DS], ['0.5e0', dec(5, -1), DE], ['0.5e-1', dec(5, -2), DE], ['0.5e-2', dec(5, -3), DE],
  ['10.035M', dec(10035, 3), DS],
  ['1.2e3', dec(12, 2), DE], ['1.3E+6', dec(13, 5), DE], ['1.40e9', dec(14, 8), DE], ['1.53E12', dec(153, 10), DE],
  ['1.6e15', dec(16, 14), DE], ['1.7E18', dec(17, 17), DE],
  ['9.01', dec(901, -2), DS], ['8.1k', dec(81, 2), DS], ['7.123456M', dec(7123456, 0), DS], ['6.987654321G', dec(6987654321, 0), DS],
  ['5.444T', dec(5444, 9), DS], ['40.1T', dec(401, 11), DS], ['300.2T', dec(3002, 11), DS], ['2.5P', dec(25, 14), DS],
  ['1.01E', dec(101, 16), DS],
  ['3.001n', dec(4, -9), DS], ['1.1E-9', dec(2, -9), DE], ['0.0000000001', dec(1, -9), DS], ['0.0000000005', dec(1, -9), DS],
  ['0.00000000050', dec(1, -9), DS], ['0.5e-9', dec(1, -9), DE], ['0.9n', dec(1, -9), DS], ['0.00000012345', dec(124, -9), DS],
  ['0.00000012354', dec(124, -9), DS], ['9Ei', MAX * 1_000_000_000n, BS], ['9223372036854775807Ki', MAX * 1_000_000_000n, BS],
  ['12E', dec(12, 18), DS],
  ['100.035Ki', dec(10243584, -2), BS], ['0.5Mi', dec(512 * 1024, 0), BS], ['0.05Gi', dec(536870912, -1), BS],
  ['0.025Ti', dec(274877906944, -1), BS],
  ['0.000000000001Ki', dec(2, -9), DS], ['.001', dec(1, -3), DS], ['.0001k', dec(100, -3), DS], ['1.', dec(1, 0), DS],
  ['1.G', dec(1, 9), DS],
];

test('parseQuantity: upstream TestQuantityParse table, also negated and with an explicit +', () => {
  for (const [input, nanos, format] of parseTable) {
    for (const [prefix, want] of [['', nanos], ['-', -nanos], ['+', nanos]] as const) {
      const q = parseQuantity(prefix + input);
      assert.equal(q.nanos, want, `${prefix}${input} value`);
      assert.equal(q.format, format, `${prefix}${input} format`);
    }
  }
});

test('parseQuantity: invalid inputs fail with upstream messages', () => {
  const invalid = ['1.1.M', '1+1.0M', '0.1mi', '0.1am', 'aoeu', '.5i', '1i', '-3.01i', '-3.01e-', ' 1', '1 ', ''];
  for (const s of invalid) assert.throws(() => parseQuantity(s), QuantityError, s);
  assert.throws(() => parseQuantity('aoeu'), { message: ERR_FORMAT_WRONG });
  assert.throws(() => parseQuantity('0.1mi'), { message: ERR_SUFFIX });
  assert.equal(ERR_FORMAT_WRONG, "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
});

test('splitQuantity: upstream TestParseQuantityString', () => {
  const table: [string, boolean, string, string, string][] = [
    ['0.025Ti', true, '0', '025', 'Ti'], ['1.025Ti', true, '1', '025', 'Ti'], ['-1.025Ti', false, '1', '025', 'Ti'],
    ['.', true, '0', '', ''], ['-.', false, '0', '', ''], ['1E-3', true, '1', '', 'E-3'],
  ];
  for (const [input, positive, num, denom, suffix] of table) assert.deepEqual(splitQuantity(input), { positive, num, denom, suffix }, input);
});

test('formatQuantity: upstream TestQuantityString canonical forms and alternates', () => {
  // [canonical, alternate spelling that parses to the same value]
  const table: [string, string][] = [
    ['1Gi', '1024Mi'], ['300Mi', '307200Ki'], ['6Ki', ''], ['1001Gi', '1025024Mi'], ['1Ti', '1024Gi'], ['1G', '1000M'],
    ['1G', '0.001T'], ['1m', '1000u'], ['80m', ''], ['1080m', '1.08'], ['1080m', '1080000000n'], ['300M', ''], ['1T', ''],
    ['1234567M', ''], ['1234567m', ''], ['3k', ''], ['1025', ''], ['0', '00'], ['1e9', '.001e12'], ['1e-3', '0.001e0'],
    ['1e-9', '1000e-12'], ['80e-3', ''], ['300e6', ''], ['1e12', ''], ['1e3', ''], ['3e3', ''], ['1n', ''], ['80n', ''],
    ['1080n', ''], ['1u', ''], ['80u', ''], ['1080u', ''], ['5', '5000m'], ['500m', '0.5'],
  ];
  for (const [canonical, alternate] of table) {
    assert.equal(canonicalQuantity(canonical), canonical, canonical);
    if (alternate) {
      const q = parseQuantity(alternate);
      assert.equal(q.cached, undefined, `${alternate} is not kept verbatim`);
      assert.equal(formatQuantity(q), canonical, `${alternate} → ${canonical}`);
    }
    if (canonical !== '0') assert.equal(formatQuantity({ ...parseQuantity(canonical), nanos: -parseQuantity(canonical).nanos, cached: undefined }), '-' + canonical);
  }
});

test('formatQuantity: upstream TestQuantityParseEmit and common spellings', () => {
  const table: [string, string][] = [
    ['1Ki', '1Ki'], ['1Mi', '1Mi'], ['1Gi', '1Gi'], ['1024Mi', '1Gi'], ['1000M', '1G'], ['.001Ki', '1024m'],
    ['.000001Ki', '1024u'], ['.000000001Ki', '1024n'], ['.000000000001Ki', '2n'],
    ['1.5Gi', '1536Mi'], ['0.5', '500m'], ['100M', '100M'], ['500m', '500m'], ['2000m', '2'], ['1e3', '1e3'], ['0.1', '100m'],
    ['1536Mi', '1536Mi'], ['0.5Gi', '512Mi'], ['1024', '1024'], ['128974848', '128974848'], ['129e6', '129e6'], ['129M', '129M'],
  ];
  for (const [input, want] of table) {
    assert.equal(canonicalQuantity(input), want, input);
    if (parseQuantity(input).nanos !== 0n) assert.equal(formatQuantity({ ...parseQuantity('-' + input), cached: undefined }), '-' + want, '-' + input);
  }
  assert.equal(canonicalQuantity(2), '2');
  assert.equal(canonicalQuantity(0.25), '250m');
});

test('arithmetic: upstream TestAdd/TestSub, zero keeps the other suffix, cmp, milli and value', () => {
  assert.equal(cmp(add('10', '1e1'), '20'), 0);
  assert.equal(add('10', '1Ki').format, 'DecimalSI');
  assert.equal(add('1Ki', '1').format, 'BinarySI');
  assert.equal(formatQuantity(add('0', '100m')), '100m');
  assert.equal(formatQuantity(add('1Gi', '0')), '1Gi');
  assert.equal(formatQuantity(add('0', '1Gi')), '1Gi');
  assert.equal(cmp(sub('0', '50'), '-50'), 0);
  assert.equal(cmp(sub('10', '1Ki'), '-1014'), 0);
  assert.equal(cmp('1Gi', '1G'), 1);
  assert.equal(cmp('1000m', '1'), 0);
  assert.equal(cmp('999m', '1'), -1);
  assert.equal(toMilli('1'), 1000);
  assert.equal(toMilli('1.5'), 1500);
  assert.equal(toMilli('1n'), 1); // rounded up, as MilliValue
  assert.equal(toValue('1Gi'), 1073741824);
  assert.equal(toValue('100m'), 1);
  assert.equal(toNumber('1.5Gi'), 1610612736);
  assert.equal(toNumber('250m'), 0.25);
});
