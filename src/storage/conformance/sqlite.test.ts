// The conformance suite against sqlite://, one fresh file per case.
import { after } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBackend } from '../open.js';
import { conformance } from './suite.js';

const dir = mkdtempSync(join(tmpdir(), 'skiff-sqlite-conf-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

conformance('sqlite', () => openBackend(`sqlite://${join(dir, `db${++n}`, 'state.db')}`, { compaction: false }));
