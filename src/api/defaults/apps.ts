// apps/v1 defaults (upstream pkg/apis/apps/v1/defaults.go).
import { defaultPodTemplateSpec, defaultPVCSpec } from './pod.js';
import { isObj, objects, setIfEmpty, setIfMissing, type Obj } from './util.js';

export function defaultDeployment(o: Obj): void {
  const spec = o.spec as Obj | undefined;
  if (!isObj(spec)) return;
  setIfMissing(spec, 'replicas', 1);
  if (!isObj(spec.strategy)) spec.strategy = {};
  setIfEmpty(spec.strategy, 'type', 'RollingUpdate');
  if (spec.strategy.type === 'RollingUpdate') {
    if (!isObj(spec.strategy.rollingUpdate)) spec.strategy.rollingUpdate = {};
    setIfMissing(spec.strategy.rollingUpdate, 'maxUnavailable', '25%');
    setIfMissing(spec.strategy.rollingUpdate, 'maxSurge', '25%');
  }
  setIfMissing(spec, 'revisionHistoryLimit', 10);
  setIfMissing(spec, 'progressDeadlineSeconds', 600);
  defaultPodTemplateSpec(spec.template);
}

export function defaultDaemonSet(o: Obj): void {
  const spec = o.spec as Obj | undefined;
  if (!isObj(spec)) return;
  if (!isObj(spec.updateStrategy)) spec.updateStrategy = {};
  setIfEmpty(spec.updateStrategy, 'type', 'RollingUpdate');
  if (spec.updateStrategy.type === 'RollingUpdate') {
    if (!isObj(spec.updateStrategy.rollingUpdate)) spec.updateStrategy.rollingUpdate = {};
    setIfMissing(spec.updateStrategy.rollingUpdate, 'maxUnavailable', 1);
    setIfMissing(spec.updateStrategy.rollingUpdate, 'maxSurge', 0);
  }
  setIfMissing(spec, 'revisionHistoryLimit', 10);
  defaultPodTemplateSpec(spec.template);
}

export function defaultStatefulSet(o: Obj): void {
  const spec = o.spec as Obj | undefined;
  if (!isObj(spec)) return;
  setIfEmpty(spec, 'podManagementPolicy', 'OrderedReady');
  if (!isObj(spec.updateStrategy)) spec.updateStrategy = {};
  const us = spec.updateStrategy as Obj;
  if (!us.type) {
    us.type = 'RollingUpdate';
    if (!isObj(us.rollingUpdate)) us.rollingUpdate = {};
  }
  if (us.type === 'RollingUpdate' && isObj(us.rollingUpdate)) setIfMissing(us.rollingUpdate, 'partition', 0);
  if (!isObj(spec.persistentVolumeClaimRetentionPolicy)) spec.persistentVolumeClaimRetentionPolicy = {};
  setIfEmpty(spec.persistentVolumeClaimRetentionPolicy, 'whenDeleted', 'Retain');
  setIfEmpty(spec.persistentVolumeClaimRetentionPolicy, 'whenScaled', 'Retain');
  setIfMissing(spec, 'replicas', 1);
  setIfMissing(spec, 'revisionHistoryLimit', 10);
  defaultPodTemplateSpec(spec.template);
  for (const t of objects(spec.volumeClaimTemplates)) {
    if (!isObj(t.spec)) continue;
    defaultPVCSpec(t.spec);
    if (!isObj(t.status)) t.status = {};
    setIfEmpty(t.status, 'phase', 'Pending');
  }
}

export function defaultReplicaSet(o: Obj): void {
  const spec = o.spec as Obj | undefined;
  if (!isObj(spec)) return;
  setIfMissing(spec, 'replicas', 1);
  defaultPodTemplateSpec(spec.template);
}
