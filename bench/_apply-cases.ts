// Server-side apply benchmark cases, for bench/apiserver.ts's CASES list: the latency of applying a
// whole 20-container pod configuration (as `kubectl apply --server-side` sends it) where each apply
// changes one container's image, and of re-applying an unchanged configuration (a no-op).
import { drive, latency } from './lib.js';

/** What the cases need from bench/apiserver.ts's Api: one request that must answer `status`. */
export interface ApplyClient {
  must(method: string, path: string, status: number, body?: unknown, contentType?: string): Promise<{ status: number; body: Buffer }>;
}

/** A type alias, not an interface, so it fits bench/apiserver.ts's `Record<string, unknown> & { case }`. */
export type ApplyFigures = {
  case: string;
  opsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  applies: number;
};

const PATH = '/api/v1/namespaces/default/pods';
const APPLY = 'application/apply-patch+yaml';

function container(name: string, image: string, port: number): Record<string, unknown> {
  return {
    name, image,
    ports: [{ name: 'http', containerPort: port, protocol: 'TCP' }],
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
    env: [{ name: 'MODE', value: 'bench' }],
  };
}

function podConfig(name: string, images: string[]): Record<string, unknown> {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, labels: { app: 'web', tier: 'frontend' } },
    spec: { containers: images.map((image, c) => container(`c${c}`, image, 8000 + c)) },
  };
}

/**
 * Server-side apply of a 20-container pod: `applies` sequential applies (default 500), each changing
 * one container's image, then as many unchanged re-applies. Returns one figures object per case.
 */
export async function applyCase(api: ApplyClient, applies = 500): Promise<ApplyFigures[]> {
  const name = 'ssa';
  const images = Array.from({ length: 20 }, () => 'registry.example/app:1');
  const url = `${PATH}/${name}?fieldManager=bench&force=false`;
  await api.must('PATCH', url, 201, podConfig(name, images), APPLY);
  const changing = await drive(applies, 1, (i) => {
    images[i % 20] = `registry.example/app:${i + 2}`;
    return api.must('PATCH', url, 200, podConfig(name, images), APPLY);
  });
  const got = JSON.parse((await api.must('GET', `${PATH}/${name}`, 200)).body.toString()) as {
    spec: { containers: { name: string; image: string }[] }; metadata: { managedFields?: { manager: string }[] };
  };
  const last = got.spec.containers.find((c) => c.name === `c${(applies - 1) % 20}`);
  if (got.spec.containers.length !== 20 || last?.image !== `registry.example/app:${applies + 1}` || got.metadata.managedFields?.[0]?.manager !== 'bench') {
    throw new Error(`ssa: unexpected pod after applying: ${JSON.stringify(got).slice(0, 300)}`);
  }
  const noop = await drive(applies, 1, () => api.must('PATCH', url, 200, podConfig(name, images), APPLY));
  await api.must('DELETE', `${PATH}/${name}?gracePeriodSeconds=0`, 200);
  return [
    { case: 'ssa-20-containers', opsPerSec: changing.opsPerSec, ...latency(changing.samples), applies },
    { case: 'ssa-20-containers-noop', opsPerSec: noop.opsPerSec, ...latency(noop.samples), applies },
  ];
}
