export { startAgent } from './agent.js';
export type { AgentOptions, RunningAgent } from './agent.js';
export { parseNodeLabels, parseNodeTaints } from './flags.js';
