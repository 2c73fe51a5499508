// Defaulting for built-in types, as upstream's SetDefaults_* functions (pkg/apis/*/v1/defaults.go).
// Applied on create and update before validation; defaults never overwrite what a client set.
import type { KubeObject } from './types.js';

type Obj = Record<string, any>;

const setIfMissing = (o: Obj, k: string, v: unknown) => {
  if (o[k] === undefined || o[k] === null) o[k] = v;
};

/** Defaults a PodSpec in place (pods and every pod template). */
export function defaultPodSpec(spec: Obj | undefined): void {
  if (!spec || typeof spec !== 'object') return;
  setIfMissing(spec, 'restartPolicy', 'Always');
  setIfMissing(spec, 'dnsPolicy', 'ClusterFirst');
  setIfMissing(spec, 'terminationGracePeriodSeconds', 30);
  setIfMissing(spec, 'schedulerName', 'default-scheduler');
  setIfMissing(spec, 'securityContext', {});
  setIfMissing(spec, 'enableServiceLinks', true);
  for (const list of ['containers', 'initContainers'] as const) {
    if (!Array.isArray(spec[list])) continue;
    for (const c of spec[list] as Obj[]) {
      if (!c || typeof c !== 'object') continue;
      setIfMissing(c, 'terminationMessagePath', '/dev/termination-log');
      setIfMissing(c, 'terminationMessagePolicy', 'File');
      setIfMissing(c, 'imagePullPolicy', pullPolicyFor(String(c.image ?? '')));
      setIfMissing(c, 'resources', {});
      if (Array.isArray(c.ports)) for (const p of c.ports as Obj[]) if (p && typeof p === 'object') setIfMissing(p, 'protocol', 'TCP');
      if (Array.isArray(c.env)) for (const e of c.env as Obj[]) if (e?.valueFrom?.fieldRef) setIfMissing(e.valueFrom.fieldRef, 'apiVersion', 'v1');
      for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) defaultProbe(c[probe]);
    }
  }
  if (Array.isArray(spec.volumes)) {
    for (const v of spec.volumes as Obj[]) {
      if (v?.configMap) setIfMissing(v.configMap, 'defaultMode', 0o644);
      if (v?.secret) setIfMissing(v.secret, 'defaultMode', 0o644);
      if (v?.downwardAPI) setIfMissing(v.downwardAPI, 'defaultMode', 0o644);
      if (v?.projected) setIfMissing(v.projected, 'defaultMode', 0o644);
      if (v?.hostPath) setIfMissing(v.hostPath, 'type', '');
    }
  }
}

function defaultProbe(p: Obj | undefined): void {
  if (!p || typeof p !== 'object') return;
  setIfMissing(p, 'timeoutSeconds', 1);
  setIfMissing(p, 'periodSeconds', 10);
  setIfMissing(p, 'successThreshold', 1);
  setIfMissing(p, 'failureThreshold', 3);
  if (p.httpGet) {
    setIfMissing(p.httpGet, 'path', '/');
    setIfMissing(p.httpGet, 'scheme', 'HTTP');
  }
}

/** Always for `:latest` or untagged images, IfNotPresent otherwise (digests included). */
export function pullPolicyFor(image: string): string {
  if (image.includes('@')) return 'IfNotPresent';
  const last = image.slice(image.lastIndexOf('/') + 1);
  const tag = last.includes(':') ? last.slice(last.indexOf(':') + 1) : '';
  return !tag || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultTemplate(spec: Obj): void {
  if (spec.template && typeof spec.template === 'object') {
    spec.template.metadata ??= {};
    defaultPodSpec(spec.template.spec);
  }
}

/** Applies the defaults of obj's kind (group '' = core). */
export function applyDefaults(group: string, kind: string, obj: KubeObject): void {
  const o = obj as Obj;
  const spec = o.spec as Obj | undefined;
  switch (`${group}/${kind}`) {
    case '/Pod':
      o.spec ??= {};
      defaultPodSpec(o.spec);
      return;
    case '/PodTemplate':
      if (o.template) defaultPodSpec(o.template.spec);
      return;
    case '/ReplicationController':
      if (!spec) return;
      setIfMissing(spec, 'replicas', 1);
      if (!spec.selector && spec.template?.metadata?.labels) spec.selector = { ...spec.template.metadata.labels };
      if (!o.metadata.labels && spec.template?.metadata?.labels) o.metadata.labels = { ...spec.template.metadata.labels };
      defaultTemplate(spec);
      return;
    case '/Service':
      defaultService(o);
      return;
    case '/Namespace':
      return;
    case '/Secret':
      setIfMissing(o, 'type', 'Opaque');
      return;
    case 'apps/Deployment':
      if (!spec) return;
      setIfMissing(spec, 'replicas', 1);
      setIfMissing(spec, 'strategy', { type: 'RollingUpdate' });
      if (spec.strategy?.type === 'RollingUpdate' || !spec.strategy?.type) {
        spec.strategy.type = 'RollingUpdate';
        spec.strategy.rollingUpdate ??= {};
        setIfMissing(spec.strategy.rollingUpdate, 'maxUnavailable', '25%');
        setIfMissing(spec.strategy.rollingUpdate, 'maxSurge', '25%');
      }
      setIfMissing(spec, 'revisionHistoryLimit', 10);
      setIfMissing(spec, 'progressDeadlineSeconds', 600);
      defaultTemplate(spec);
      return;
    case 'apps/ReplicaSet':
      if (!spec) return;
      setIfMissing(spec, 'replicas', 1);
      defaultTemplate(spec);
      return;
    case 'apps/StatefulSet':
      if (!spec) return;
      setIfMissing(spec, 'replicas', 1);
      setIfMissing(spec, 'podManagementPolicy', 'OrderedReady');
      setIfMissing(spec, 'updateStrategy', { type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
      setIfMissing(spec, 'revisionHistoryLimit', 10);
      setIfMissing(spec, 'persistentVolumeClaimRetentionPolicy', { whenDeleted: 'Retain', whenScaled: 'Retain' });
      defaultTemplate(spec);
      return;
    case 'apps/DaemonSet':
      if (!spec) return;
      setIfMissing(spec, 'updateStrategy', { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
      setIfMissing(spec, 'revisionHistoryLimit', 10);
      defaultTemplate(spec);
      return;
    case 'batch/Job':
      if (!spec) return;
      defaultJobSpec(spec);
      return;
    case 'batch/CronJob':
      if (!spec) return;
      setIfMissing(spec, 'concurrencyPolicy', 'Allow');
      setIfMissing(spec, 'suspend', false);
      setIfMissing(spec, 'successfulJobsHistoryLimit', 3);
      setIfMissing(spec, 'failedJobsHistoryLimit', 1);
      if (spec.jobTemplate?.spec) {
        spec.jobTemplate.metadata ??= {};
        defaultJobSpec(spec.jobTemplate.spec);
      }
      return;
  }
}

function defaultJobSpec(spec: Obj): void {
  if (spec.completions === undefined && spec.parallelism === undefined) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  setIfMissing(spec, 'parallelism', 1);
  setIfMissing(spec, 'backoffLimit', 6);
  setIfMissing(spec, 'completionMode', 'NonIndexed');
  setIfMissing(spec, 'suspend', false);
  if (spec.template && typeof spec.template === 'object') {
    spec.template.metadata ??= {};
    defaultPodSpec(spec.template.spec);
    if (spec.template.spec) setIfMissing(spec.template.spec, 'restartPolicy', 'Never');
  }
  if (spec.podReplacementPolicy === undefined) spec.podReplacementPolicy = 'TerminatingOrFailed';
}

function defaultService(o: Obj): void {
  const spec = (o.spec ??= {}) as Obj;
  setIfMissing(spec, 'type', 'ClusterIP');
  setIfMissing(spec, 'sessionAffinity', 'None');
  if (spec.type !== 'ExternalName') {
    setIfMissing(spec, 'internalTrafficPolicy', 'Cluster');
    setIfMissing(spec, 'ipFamilies', ['IPv4']);
    setIfMissing(spec, 'ipFamilyPolicy', 'SingleStack');
  }
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') setIfMissing(spec, 'externalTrafficPolicy', 'Cluster');
  if (spec.type === 'LoadBalancer') setIfMissing(spec, 'allocateLoadBalancerNodePorts', true);
  if (spec.sessionAffinity === 'ClientIP') {
    spec.sessionAffinityConfig ??= {};
    spec.sessionAffinityConfig.clientIP ??= {};
    setIfMissing(spec.sessionAffinityConfig.clientIP, 'timeoutSeconds', 10800);
  }
  if (Array.isArray(spec.ports)) {
    for (const p of spec.ports as Obj[]) {
      if (!p || typeof p !== 'object') continue;
      setIfMissing(p, 'protocol', 'TCP');
      setIfMissing(p, 'targetPort', p.port);
    }
  }
  o.status ??= { loadBalancer: {} };
}
