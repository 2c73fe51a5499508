// The generated schemas (scripts/gen-schemas.mjs → generated/k8s-schemas.json): upstream's shapes,
// names, descriptions and strategic-merge extensions, and the generator itself (fast, repeatable).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { definitionNameFor, definitions, resolveSchema, schemaFor } from './index.js';
import type { Schema } from './index.js';
import { resources } from '../registry.js';

const def = (name: string): Schema => {
  const s = definitions().get(name);
  assert.ok(s, name);
  return s;
};
const refOf = (p: Schema): string | undefined => (p.$ref ?? p.allOf?.[0]?.$ref)?.replace('#/components/schemas/', '');

void test('Pod → PodSpec → containers: a list of Container merged by name', () => {
  const pod = schemaFor({ group: '', version: 'v1', kind: 'Pod' })!;
  assert.equal(refOf(pod.properties.spec), 'io.k8s.api.core.v1.PodSpec');
  assert.match(pod.properties.spec.description, /Specification of the desired behavior of the pod/);
  const containers = def('io.k8s.api.core.v1.PodSpec').properties.containers;
  assert.equal(containers.type, 'array');
  assert.equal(refOf(containers.items), 'io.k8s.api.core.v1.Container');
  assert.equal(containers['x-kubernetes-patch-merge-key'], 'name');
  assert.equal(containers['x-kubernetes-patch-strategy'], 'merge');
  assert.equal(containers['x-kubernetes-list-type'], 'map');
  assert.deepEqual(containers['x-kubernetes-list-map-keys'], ['name']);
  assert.deepEqual(def('io.k8s.api.core.v1.PodSpec').required, ['containers']);
  // Upstream keys container ports by port and protocol for server-side apply.
  assert.deepEqual(def('io.k8s.api.core.v1.Container').properties.ports['x-kubernetes-list-map-keys'], ['containerPort', 'protocol']);
  assert.equal(def('io.k8s.api.core.v1.PodSpec').properties.volumes['x-kubernetes-patch-strategy'], 'merge,retainKeys');
});

void test('kinds carry their GVK; every served kind and list has a schema', () => {
  assert.equal(definitionNameFor({ group: 'apps', version: 'v1', kind: 'Deployment' }), 'io.k8s.api.apps.v1.Deployment');
  assert.deepEqual(def('io.k8s.api.apps.v1.Deployment')['x-kubernetes-group-version-kind'], [{ group: 'apps', kind: 'Deployment', version: 'v1' }]);
  assert.equal(definitionNameFor({ group: 'autoscaling', version: 'v2', kind: 'HorizontalPodAutoscaler' }), 'io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler');
  assert.equal(definitionNameFor({ group: 'events.k8s.io', version: 'v1', kind: 'Event' }), 'io.k8s.api.events.v1.Event');
  assert.equal(definitionNameFor({ group: '', version: 'v1', kind: 'Event' }), 'io.k8s.api.core.v1.Event');
  for (const r of resources) {
    assert.ok(schemaFor(r), `${r.group}/${r.version} ${r.kind}`);
    if (r.verbs.includes('list')) assert.ok(schemaFor({ group: r.group, version: r.version, kind: r.listKind }), r.listKind);
  }
});

void test('named scalars have upstream shapes', () => {
  assert.deepEqual(def('io.k8s.apimachinery.pkg.api.resource.Quantity').oneOf, [{ type: 'string' }, { type: 'number' }]);
  const ios = def('io.k8s.apimachinery.pkg.util.intstr.IntOrString');
  assert.equal(ios.format, 'int-or-string');
  assert.equal(ios['x-kubernetes-int-or-string'], true);
  assert.deepEqual(ios.oneOf, [{ type: 'integer' }, { type: 'string' }]);
  assert.equal(def('io.k8s.apimachinery.pkg.apis.meta.v1.Time').format, 'date-time');
  assert.equal(def('io.k8s.apimachinery.pkg.runtime.RawExtension').type, 'object');
  const limits = def('io.k8s.api.core.v1.ResourceRequirements').properties.limits;
  assert.equal(limits.type, 'object');
  assert.equal(refOf(limits.additionalProperties), 'io.k8s.apimachinery.pkg.api.resource.Quantity');
  assert.equal(refOf(def('io.k8s.api.apps.v1.RollingUpdateDeployment').properties.maxSurge), 'io.k8s.apimachinery.pkg.util.intstr.IntOrString');
  assert.equal(refOf(def('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta').properties.creationTimestamp), 'io.k8s.apimachinery.pkg.apis.meta.v1.Time');
  const gen = def('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta').properties.generation;
  assert.deepEqual([gen.type, gen.format], ['integer', 'int64']);
});

void test('descriptions use upstream wording, newlines included', () => {
  // Checked word for word against kubernetes/api v0.32.0 (core/v1 and apps/v1 types.go).
  assert.equal(def('io.k8s.api.core.v1.Probe').properties.initialDelaySeconds.description,
    'Number of seconds after the container has started before liveness probes are initiated. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#container-probes');
  assert.equal(def('io.k8s.api.apps.v1.DeploymentSpec').properties.minReadySeconds.description,
    'Minimum number of seconds for which a newly created pod should be ready without any of its container crashing, for it to be considered available. Defaults to 0 (pod will be considered available as soon as it is ready)');
  assert.match(def('io.k8s.api.core.v1.AppArmorProfile').properties.type.description, /Valid options are:\n {2}Localhost - /);
  // Model-typed fields keep their own description beside the allOf reference.
  const probe = def('io.k8s.api.core.v1.Container').properties.livenessProbe;
  assert.equal(refOf(probe), 'io.k8s.api.core.v1.Probe');
  assert.match(probe.description, /^Periodic probe of container liveness/);
  assert.equal(def('io.k8s.api.apps.v1.DeploymentSpec').properties.strategy['x-kubernetes-patch-strategy'], 'retainKeys');
  assert.equal(resolveSchema(probe), def('io.k8s.api.core.v1.Probe'));
});

void test('the generator is fast and reproducible', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gen-schemas-'));
  try {
    const out = join(dir, 'schemas.json');
    const root = resolve(import.meta.dirname, '../../..');
    const started = performance.now();
    const r = spawnSync(process.execPath, [join(root, 'scripts/gen-schemas.mjs'), '--out', out], { encoding: 'utf8' });
    const ms = performance.now() - started;
    assert.equal(r.status, 0, r.stderr);
    // About 0.3–0.5 s on an idle machine; the bound leaves room for a loaded CI runner.
    assert.ok(ms < 10_000, `took ${ms} ms`);
    const fresh = JSON.parse(readFileSync(out, 'utf8')) as { schemas: Record<string, Schema> };
    assert.deepEqual(Object.keys(fresh.schemas), [...definitions().keys()]);
    assert.deepEqual(fresh.schemas['io.k8s.api.core.v1.Pod'], def('io.k8s.api.core.v1.Pod'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
