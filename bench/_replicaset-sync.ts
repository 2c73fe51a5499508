// Sync throughput of the ReplicaSet controller on the fake client. Run by bench/controllers.ts
// (cases replicaset-sync and replicaset-sync-create), or alone:
//   node --import tsx bench/_replicaset-sync.ts [count]
// "steady" — every ReplicaSet already has its 3 ready pods (a resync: list, claim, status compare,
// no writes); "create" — every ReplicaSet needs 3 pods (3 creates + 1 status write each).
import { pathToFileURL } from 'node:url';
import { configureLogging } from '../src/util/log.js';
import type { KubeObject } from '../src/api/types.js';
import { ReplicaSetController, replicaSetKind } from '../src/controllers/replicaset/index.js';
import { fakeControllerEnv, makePod, makeReplicaSet } from '../src/controllers/testing/index.js';

function fixtures(count: number, withPods: boolean): KubeObject[] {
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

/** One pass of sync() over `count` ReplicaSets; figures for a bench line. */
export async function replicaSetSync(count: number, mode: 'steady' | 'create'): Promise<Record<string, number>> {
  const env = fakeControllerEnv(fixtures(count, mode === 'steady'));
  const c = new ReplicaSetController(env.ctx, { kind: replicaSetKind });
  env.fillCaches();
  const keys = Array.from({ length: count }, (_, i) => `ns-${i % 20}/rs-${i}`);
  const t0 = performance.now();
  for (const k of keys) await c.sync(k);
  const seconds = (performance.now() - t0) / 1000;
  return { replicaSets: count, writes: env.writes().length, seconds: +seconds.toFixed(3), keysPerSec: Math.round(count / seconds) };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  configureLogging({ quiet: true });
  const count = Number(process.argv[2] ?? 1000);
  for (const mode of ['steady', 'create'] as const) {
    process.stdout.write(JSON.stringify({ bench: 'controllers', case: mode === 'steady' ? 'replicaset-sync' : 'replicaset-sync-create', ...await replicaSetSync(count, mode) }) + '\n');
  }
}
