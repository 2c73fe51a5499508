export { FakeClient } from './client.js';
export type { Action, FakeClientOptions, Reactor, Verb } from './client.js';
export { ObjectTracker } from './tracker.js';
export type { Selection } from './tracker.js';
export { FakeWatch } from './watch.js';
