// JSON value helpers shared with the patch code (one definition of equality for the API machinery).
export { cloneJson, deepEqual } from '../patch/json-value.js';
