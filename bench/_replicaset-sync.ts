// Sync throughput of the ReplicaSet controller on the fake client (not auto-run; underscore):
//   node --import tsx bench/_replicaset-sync.ts [count]
// Cases: "steady" — every ReplicaSet already has its 3 ready pods (a resync: list, claim, status
// compare, no writes); "create" — every ReplicaSet needs 3 pods (3 creates + 1 status write each).
// Prints one JSON line per case on stdout (DESIGN §8).
import { configureLogging } from '../src/util/log.js';
import type { KubeObject } from '../src/api/types.js';
import { ReplicaSetController, replicaSetKind } from '../src/controllers/replicaset/index.js';
import { fakeControllerEnv, makePod, makeReplicaSet } from '../src/controllers/testing/index.js';

configureLogging({ quiet: true });
const count = Number(process.argv[2] ?? 1000);

function fixtures(withPods: boolean): KubeObject[] {
  const objs: KubeObject[] = [];
  for (let i = 0; i < count; i++) {
    const ns = `ns-${i % 20}`;
    const rs = makeReplicaSet().name(`rs-${i}`).namespace(ns).selector({ app: `a${i}` }).replicas(3)
      .status({ replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 3, availableReplicas: 3, observedGeneration: 1 }).obj();
    objs.push(rs);
    if (withPods) for (let j = 0; j < 3; j++) objs.push(makePod().name(`rs-${i}-${j}`).namespace(ns).label('app', `a${i}`).owner(rs).node(`n${j}`).ready().obj());
  }
  return objs;
}

async function run(name: string, withPods: boolean): Promise<void> {
  const env = fakeControllerEnv(fixtures(withPods));
  const c = new ReplicaSetController(env.ctx, { kind: replicaSetKind });
  env.fillCaches();
  const keys = Array.from({ length: count }, (_, i) => `ns-${i % 20}/rs-${i}`);
  const t0 = performance.now();
  for (const k of keys) await c.sync(k);
  const seconds = (performance.now() - t0) / 1000;
  const writes = env.writes().length;
  process.stdout.write(JSON.stringify({ bench: 'controllers', case: `replicaset-sync-${name}`, replicaSets: count, writes, seconds: +seconds.toFixed(3), keysPerSec: Math.round(count / seconds) }) + '\n');
}

await run('steady', true);
await run('create', false);
