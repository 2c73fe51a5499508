// The conformance suite against memory:// (the semantic reference).
import { MemoryBackend } from '../memory/memory.js';
import { conformance } from './suite.js';

conformance('memory', async () => new MemoryBackend());
