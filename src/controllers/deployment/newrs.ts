// Finding or creating the new ReplicaSet, and revision bookkeeping (upstream sync.go
// getAllReplicaSetsAndSyncRevision / getNewReplicaSet).
import { isReason } from '../../util/errors.js';
import { errText, getControllerOf, isNamespaceTerminating, newControllerRef, type ReplicaSet } from '../controller-utils/index.js';
import { POD_TEMPLATE_HASH, REVISION, maxRevision, setNewReplicaSetAnnotations } from './annotations.js';
import { PROGRESSING, getCondition, newCondition, reasons, setCondition } from './conditions.js';
import { computeHash } from './hash.js';
import type { DeploymentSync } from './state.js';
import { equalIgnoreHash, findNewReplicaSet, findOldReplicaSets, hasProgressDeadline, maxSurge, newRSNewReplicas } from './util.js';

export const DEPLOYMENT_KIND = { apiVersion: 'apps/v1', kind: 'Deployment' } as const;

export interface ReplicaSetSplit {
  newRS: ReplicaSet | undefined;
  oldRSs: ReplicaSet[];
}

export async function getAllReplicaSetsAndSyncRevision(s: DeploymentSync, rsList: readonly ReplicaSet[], create: boolean): Promise<ReplicaSetSplit> {
  const oldRSs = findOldReplicaSets(s.d, rsList);
  const newRS = await getNewReplicaSet(s, rsList, oldRSs, create);
  return { newRS, oldRSs };
}

async function getNewReplicaSet(s: DeploymentSync, rsList: readonly ReplicaSet[], oldRSs: ReplicaSet[], create: boolean): Promise<ReplicaSet | undefined> {
  const d = s.d;
  const existing = findNewReplicaSet(d, rsList);
  const newRevision = maxRevision(oldRSs) + 1;
  const surge = maxSurge(d);
  if (existing) {
    const copy = structuredClone(existing);
    const annotationsChanged = setNewReplicaSetAnnotations(d, copy, newRevision, true, surge);
    const minReady = d.spec?.minReadySeconds ?? 0;
    if (annotationsChanged || (copy.spec?.minReadySeconds ?? 0) !== minReady) {
      copy.spec = { ...copy.spec!, minReadySeconds: minReady };
      return s.deps.replicaSets(s.ns).update(copy);
    }
    let needsUpdate = s.setRevision(Number(copy.metadata.annotations?.[REVISION] ?? newRevision));
    if (hasProgressDeadline(d) && !getCondition(d.status, PROGRESSING)) {
      d.status = { replicas: 0, ...d.status };
      setCondition(d.status, newCondition(PROGRESSING, 'True', reasons.foundNewRS, `Found new replica set "${copy.metadata.name}"`, s.now));
      needsUpdate = true;
    }
    if (needsUpdate) await s.writeStatus();
    return copy;
  }
  if (!create) return undefined;

  const template = structuredClone(d.spec!.template);
  const hash = computeHash(d.spec!.template, d.status?.collisionCount);
  template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, [POD_TEMPLATE_HASH]: hash } };
  const selector = structuredClone(d.spec!.selector);
  selector.matchLabels = { ...selector.matchLabels, [POD_TEMPLATE_HASH]: hash };
  const rs: ReplicaSet = {
    apiVersion: 'apps/v1', kind: 'ReplicaSet',
    metadata: {
      name: `${d.metadata.name}-${hash}`, namespace: s.ns,
      ownerReferences: [newControllerRef(d, DEPLOYMENT_KIND)],
      labels: { ...template.metadata.labels },
    },
    spec: { replicas: 0, minReadySeconds: d.spec?.minReadySeconds ?? 0, selector, template },
  };
  const replicas = newRSNewReplicas(d, [...oldRSs, rs], rs);
  rs.spec!.replicas = replicas;
  setNewReplicaSetAnnotations(d, rs, newRevision, false, surge);

  let created: ReplicaSet;
  let alreadyExists = false;
  try {
    created = await s.deps.replicaSets(s.ns).create(rs);
  } catch (err) {
    if (isReason(err, 'AlreadyExists')) {
      const found = s.deps.cachedReplicaSet(s.ns, rs.metadata.name!) ?? await s.deps.replicaSets(s.ns).get(rs.metadata.name!);
      const ref = getControllerOf(found);
      if (ref?.uid === d.metadata.uid && equalIgnoreHash(d.spec?.template, found.spec?.template)) {
        // Our own ReplicaSet, not yet in the cache: use it.
        created = found;
        alreadyExists = true;
      } else {
        // A hash collision: bump collisionCount so the next sync computes a different name.
        d.status = { replicas: 0, ...d.status, collisionCount: (d.status?.collisionCount ?? 0) + 1 };
        try {
          await s.writeStatus();
          s.deps.log.v(2).info('found a hash collision for deployment; bumping collisionCount', { key: s.key, collisionCount: d.status.collisionCount });
        } catch { /* the create error below is what matters */ }
        throw err;
      }
    } else {
      if (isNamespaceTerminating(err)) throw err;
      const msg = `Failed to create new replica set "${rs.metadata.name}": ${errText(err)}`;
      if (hasProgressDeadline(d)) {
        d.status = { replicas: 0, ...d.status };
        setCondition(d.status, newCondition(PROGRESSING, 'False', reasons.failedRSCreate, msg, s.now));
        await s.writeStatus().catch(() => undefined);
      }
      s.deps.recorder.record(d, 'Warning', reasons.failedRSCreate, 'Create', msg);
      throw err;
    }
  }
  if (!alreadyExists && replicas > 0) {
    s.deps.recorder.record(d, 'Normal', 'ScalingReplicaSet', 'Scale', `Scaled up replica set ${created.metadata.name} from 0 to ${replicas}`);
  }
  let needsUpdate = s.setRevision(newRevision);
  if (!alreadyExists && hasProgressDeadline(d)) {
    d.status = { replicas: 0, ...d.status };
    setCondition(d.status, newCondition(PROGRESSING, 'True', reasons.newRSCreated, `Created new replica set "${created.metadata.name}"`, s.now));
    needsUpdate = true;
  }
  if (needsUpdate) await s.writeStatus();
  return created;
}
