// The value a field selector compares against, per selectable field. Upstream computes a
// fields.Set per kind (ToSelectableFields / GetAttrs in kubernetes pkg/registry/*/strategy.go) from
// the internal object, where absent strings are "", ints are 0 and bools are false; missing keys
// read as "". Skiff reads the JSON object as stored, so each extractor restates those defaults.
// Events are read in either shape (core/v1 or events.k8s.io/v1), because both groups share one
// store upstream and select on the same internal fields.

type Obj = Record<string, any>;

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const int = (v: unknown): string => (typeof v === 'number' && Number.isFinite(v) ? String(Math.trunc(v)) : '0');
const bool = (v: unknown): string => (v === true ? 'true' : 'false');
const at = (obj: unknown, path: string): unknown => {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, part)) return undefined;
    cur = (cur as Obj)[part];
  }
  return cur;
};

const eventRef = (o: Obj): unknown => o.involvedObject ?? o.regarding;
const reportingController = (o: Obj): string => str(o.reportingComponent) || str(o.reportingController);

const EXTRACTORS = new Map<string, (o: Obj) => string>([
  ['metadata.name', (o) => str(at(o, 'metadata.name'))],
  ['metadata.namespace', (o) => str(at(o, 'metadata.namespace'))],
  // pods (pkg/registry/core/pod/strategy.go); hostNetwork defaults to false, podIP is the first of podIPs
  ['spec.hostNetwork', (o) => bool(at(o, 'spec.hostNetwork'))],
  ['status.podIP', (o) => str(at(o, 'status.podIPs.0.ip')) || str(at(o, 'status.podIP'))],
  // nodes: fmt.Sprint of a bool
  ['spec.unschedulable', (o) => bool(at(o, 'spec.unschedulable'))],
  // replicationcontrollers (and the upstream ReplicaSet strategy): strconv.Itoa
  ['status.replicas', (o) => int(at(o, 'status.replicas'))],
  // jobs: the selectable name differs from the field it reads
  ['status.successful', (o) => int(at(o, 'status.succeeded'))],
  // events (pkg/registry/core/event/strategy.go); source falls back to the reporting controller
  ...['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath']
    .map((f): [string, (o: Obj) => string] => [`involvedObject.${f}`, (o) => str(at(eventRef(o), f))]),
  ['reportingComponent', reportingController],
  ['source', (o) => str(at(o, 'source.component')) || str(at(o, 'deprecatedSource.component')) || reportingController(o)],
]);

/**
 * The value of a selectable field of an object, in upstream's string form: booleans
 * "true"/"false", integers in decimal, anything missing "". Fields without a special rule
 * (spec.nodeName, status.phase, type, spec.signerName, CRD selectable fields, ...) read the
 * scalar at that dotted path.
 */
export function fieldValue(obj: any, field: string): string {
  if (obj === null || typeof obj !== 'object') return '';
  const extract = EXTRACTORS.get(field);
  if (extract) return extract(obj as Obj);
  const v = at(obj, field);
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return '';
}
