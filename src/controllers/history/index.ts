// ControllerRevision history shared by the daemonset and statefulset controllers.
export {
  CONTROLLER_REVISION_HASH_LABEL, canonicalJson, safeEncode, hashRevision, revisionName, newRevision, equalRevision,
  findEqualRevisions, sortRevisions, nextRevisionNumber, templatePatch,
} from './revision.js';
export type { ControllerRevision } from './revision.js';
export { RevisionStore } from './store.js';
