// Pod validation tables: upstream field paths and messages (pkg/apis/core/validation).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { check, podSpec } from './fixtures.js';

const pod = (spec: Record<string, any>) => ({ spec });

test('a minimal pod is valid', () => {
  assert.deepEqual(check('', 'Pod', pod(podSpec())), []);
});

test('pod spec violations, one line each, as upstream words them', () => {
  const table: [Record<string, any>, string[]][] = [
    [{ containers: [] }, ['spec.containers: Required value']],
    [{ containers: [{ name: 'c' }] }, ['spec.containers[0].image: Required value']],
    [{ containers: [{ name: 'Bad_Name', image: 'i' }] }, [`spec.containers[0].name: Invalid value: "Bad_Name": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`]],
    [{ containers: [{ name: 'a', image: 'i' }, { name: 'a', image: 'j' }] }, ['spec.containers[1].name: Duplicate value: "a"']],
    [{ containers: [{ name: 'a', image: 'i', ports: [{ containerPort: 70000 }, { containerPort: 80, name: 'http' }, { containerPort: 81, name: 'http' }] }] }, [
      'spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
      'spec.containers[0].ports[2].name: Duplicate value: "http"',
    ]],
    [{ containers: [{ name: 'a', image: 'i', ports: [{ containerPort: 80, protocol: 'HTTP' }] }] }, ['spec.containers[0].ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"']],
    [{ containers: [{ name: 'a', image: 'i', resources: { requests: { cpu: '2' }, limits: { cpu: '1' } } }] }, ['spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1']],
    [{ containers: [{ name: 'a', image: 'i', resources: { requests: { memory: '-1' } } }] }, ['spec.containers[0].resources.requests[memory]: Invalid value: "-1": must be greater than or equal to 0']],
    [{ containers: [{ name: 'a', image: 'i', resources: { limits: { gpu: '1' } } }] }, [
      'spec.containers[0].resources.limits[gpu]: Invalid value: "gpu": must be a standard resource for containers',
      'spec.containers[0].resources.requests[gpu]: Invalid value: "gpu": must be a standard resource for containers',
    ]],
    [{ containers: [{ name: 'a', image: 'i', resources: { requests: { 'example.com/dev': '1' } } }] }, ['spec.containers[0].resources.limits: Required value: Limit must be set for non overcommitable resources']],
    [{ containers: [{ name: 'a', image: 'i', env: [{ name: 'A=B' }, { value: 'x' }] }] }, [
      "spec.containers[0].env[0].name: Invalid value: \"A=B\": a valid environment variable name must consist only of printable ASCII characters other than '='",
      'spec.containers[0].env[1].name: Required value',
      'spec.containers[0].env[1].name: Invalid value: "": environment variable name must be non-empty',
    ]],
    [{ containers: [{ name: 'a', image: 'i', env: [{ name: 'A', valueFrom: {} }] }] }, ['spec.containers[0].env[0].valueFrom: Invalid value: "": must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`']],
    [{ containers: [{ name: 'a', image: 'i', volumeMounts: [{ name: 'data', mountPath: '/d' }] }] }, ['spec.containers[0].volumeMounts[0].name: Not found: "data"']],
    [{ containers: [{ name: 'a', image: 'i', imagePullPolicy: 'Sometimes' }] }, ['spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"']],
    [{ containers: [{ name: 'a', image: 'i', livenessProbe: { exec: { command: ['x'] }, successThreshold: 2 } }] }, ['spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1']],
    [{ containers: [{ name: 'a', image: 'i', readinessProbe: { periodSeconds: 5 } }] }, ['spec.containers[0].readinessProbe: Required value: must specify a handler type']],
    [{ containers: [{ name: 'a', image: 'i', ports: [{ containerPort: 80, hostPort: 8080 }] }, { name: 'b', image: 'i', ports: [{ containerPort: 81, hostPort: 8080 }] }] }, ['spec.containers[1].ports[0].hostPort: Duplicate value: "/TCP/8080"']],
    [{ ...podSpec(), restartPolicy: 'Sometimes' }, ['spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"']],
    [{ ...podSpec(), dnsPolicy: 'Magic' }, ['spec.dnsPolicy: Unsupported value: "Magic": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"']],
    [{ ...podSpec(), volumes: [{ name: 'v', emptyDir: {} }, { name: 'v', emptyDir: {} }] }, ['spec.volumes[1].name: Duplicate value: "v"']],
    [{ ...podSpec(), volumes: [{ name: 'v', emptyDir: {}, configMap: { name: 'c' } }] }, ['spec.volumes[0].configMap: Forbidden: may not specify more than 1 volume type']],
    [{ ...podSpec(), volumes: [{ name: 'v', secret: {} }] }, ['spec.volumes[0].secret.secretName: Required value']],
    [{ ...podSpec(), tolerations: [{ operator: 'Equal', value: 'x' }] }, ['spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"']],
    [{ ...podSpec(), tolerations: [{ key: 'k', effect: 'NoSchedule', tolerationSeconds: 5 }] }, ["spec.tolerations[0].effect: Invalid value: \"NoSchedule\": effect must be 'NoExecute' when `tolerationSeconds` is set"]],
    [{ ...podSpec(), activeDeadlineSeconds: 0 }, ['spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive']],
    [{ ...podSpec(), affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'k', operator: 'Near' }] }] } } } }, [
      'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].operator: Unsupported value: "Near": supported values: "In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"',
    ]],
  ];
  for (const [spec, want] of table) assert.deepEqual(check('', 'Pod', pod(spec)), want, JSON.stringify(spec));
});

test('pod updates: images, activeDeadlineSeconds and added tolerations only', () => {
  const old = pod(podSpec({ tolerations: [{ key: 'a', operator: 'Exists' }] }));
  assert.deepEqual(check('', 'Pod', pod({ ...podSpec({ tolerations: [{ key: 'a', operator: 'Exists' }, { key: 'b', operator: 'Exists' }] }), containers: [{ name: 'c', image: 'nginx:1.26' }] }), old), []);
  const forbidden = 'spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';
  assert.deepEqual(check('', 'Pod', pod({ ...podSpec(), tolerations: [{ key: 'a', operator: 'Exists' }], restartPolicy: 'Never' }), old), [forbidden]);
  assert.deepEqual(check('', 'Pod', pod(podSpec()), old), ['spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds']);
  assert.deepEqual(check('', 'Pod', pod({ ...podSpec(), containers: [{ name: 'c', image: 'i' }, { name: 'd', image: 'i' }] }), pod(podSpec())), ['spec.containers: Forbidden: pod updates may not add or remove containers']);
  assert.deepEqual(check('', 'Pod', pod(podSpec({ activeDeadlineSeconds: 20 })), pod(podSpec({ activeDeadlineSeconds: 10 }))), ['spec.activeDeadlineSeconds: Invalid value: 20: must be less than or equal to previous value']);
  // The first nodeName assignment is the binding subresource's write.
  assert.deepEqual(check('', 'Pod', pod(podSpec({ nodeName: 'n1' })), pod(podSpec())), []);
  assert.deepEqual(check('', 'Pod', pod(podSpec({ nodeName: 'n2' })), pod(podSpec({ nodeName: 'n1' }))), [forbidden]);
});
