export { EventBroadcaster } from './recorder.js';
export type { EventRecorder, EventRecorderOptions } from './recorder.js';
export { makeEvent, referenceTo, isomorphicKey, spamKey, MAX_NOTE_LENGTH } from './event.js';
export type { EventObject, EventSeries, EventType, ObjectReference } from './event.js';
export { SpamFilter } from './spamfilter.js';
export { FakeRecorder } from './fake.js';
