import { test } from 'node:test';
import assert from 'node:assert/strict';
import { typeMismatch } from './types.js';

const deployment = { group: 'apps', version: 'v1', kind: 'Deployment' };
const configMap = { group: '', version: 'v1', kind: 'ConfigMap' };
const pod = { group: '', version: 'v1', kind: 'Pod' };

test('typeMismatch reports the first value a Go field cannot hold, worded as encoding/json', () => {
  const cases: Array<[string, unknown, { group: string; version: string; kind: string }, string | undefined]> = [
    ['valid deployment', { metadata: { name: 'x', labels: { a: 'b' } }, spec: { replicas: 2, template: { spec: { containers: [{ name: 'c', image: 'i', ports: [{ containerPort: 80 }] }] } } } }, deployment, undefined],
    ['string into int32', { spec: { replicas: 'x' } }, deployment, 'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32'],
    ['fraction into int32', { spec: { replicas: 1.5 } }, deployment, 'json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32'],
    ['out of int32 range', { spec: { replicas: 3000000000 } }, deployment, 'json: cannot unmarshal number 3000000000 into Go struct field DeploymentSpec.spec.replicas of type int32'],
    ['number into string in a list item', { spec: { template: { spec: { containers: [{ name: 'c', image: 5 }] } } } }, deployment, 'json: cannot unmarshal number into Go struct field Container.spec.template.spec.containers.image of type string'],
    ['string into bool', { spec: { paused: 'yes' } }, deployment, 'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.paused of type bool'],
    ['object where a list is', { spec: { template: { spec: { containers: { name: 'c' } } } } }, deployment, 'json: cannot unmarshal object into Go struct field PodSpec.spec.template.spec.containers of type []v1.Container'],
    ['number in a map of strings', { data: { a: 1 } }, configMap, 'json: cannot unmarshal number into Go struct field ConfigMap.data of type string'],
    ['null is the zero value', { data: null, spec: null }, configMap, undefined],
    ['int-or-string and quantity take numbers and strings', { spec: { containers: [{ name: 'c', resources: { limits: { cpu: 1, memory: '1Gi' } }, livenessProbe: { httpGet: { port: 'http' } } }] } }, pod, undefined],
    ['int-or-string rejects a bool', { spec: { containers: [{ name: 'c', livenessProbe: { httpGet: { port: true } } }] } }, pod, 'json: cannot unmarshal bool into Go struct field HTTPGetAction.spec.containers.livenessProbe.httpGet.port of type intstr.IntOrString'],
    ['free-form fields take anything', { metadata: { managedFields: [{ manager: 'm', fieldsV1: { 'f:a': {} } }] } }, configMap, undefined],
    ['unknown fields are not its business', { bogus: 1 }, configMap, undefined],
    ['kinds without a schema', { anything: 1 }, { group: 'x.example', version: 'v1', kind: 'Nope' }, undefined],
  ];
  for (const [name, obj, gvk, want] of cases) assert.equal(typeMismatch(obj, gvk), want, name);
});
