import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../util/clock.js';
import type { Fields, Logger } from '../../util/log.js';
import { throttleWarnings } from './log-throttle.js';

function recording(): { log: Logger; lines: [string, string, Fields | undefined][] } {
  const lines: [string, string, Fields | undefined][] = [];
  const log: Logger = {
    debug: (m, f) => lines.push(['debug', m, f]),
    info: (m, f) => lines.push(['info', m, f]),
    warn: (m, f) => lines.push(['warn', m, f]),
    error: (m, f) => lines.push(['error', m, f]),
    v: () => log,
    with: () => log,
  };
  return { log, lines };
}

test('each warning message passes once per interval and reports what it held back', () => {
  const clock = new FakeClock();
  const { log, lines } = recording();
  const t = throttleWarnings(log, clock, 1000);
  for (let i = 0; i < 5; i++) t.warn('event queue full', { i });
  t.warn('other');
  t.error('boom');
  assert.deepEqual(lines, [['warn', 'event queue full', { i: 0 }], ['warn', 'other', undefined], ['error', 'boom', undefined]]);
  clock.advance(1000);
  t.warn('event queue full', { i: 9 });
  assert.deepEqual(lines.at(-1), ['warn', 'event queue full', { i: 9, suppressedSinceLast: 4 }]);
});
