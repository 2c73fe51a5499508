// Which field selectors each resource accepts, and the exact error for the rest. Upstream checks
// this when it converts a field label for the request's kind (runtime.Scheme.ConvertFieldLabel):
// kinds with a registered conversion func accept their own list (kubernetes v1.32
// pkg/apis/core/v1/conversion.go, pkg/apis/batch/v1/conversion.go,
// pkg/apis/certificates/v1/conversion.go, pkg/apis/events/v1/conversion.go); every other kind,
// including apps/v1 ReplicaSets, falls back to DefaultMetaV1FieldSelectorConversion, which only
// knows metadata.name and metadata.namespace. The message differs per family, so it lives here.
// A conversion may also rename a label to the internal field it selects on (legacy pod
// "spec.host", events.k8s.io "regarding.*"); the renamed field is what the selector keeps.

import { goQuote } from '../validation/quote.js';

interface Support {
  /** accepted label → field name the selector matches on */
  fields: ReadonlyMap<string, string>;
  unsupported(label: string): string;
}

const same = (...labels: string[]) => labels.map((l): [string, string] => [l, l]);
const coreUnsupported = (label: string) => `field label not supported: ${label}`;
const core = (entries: [string, string][]): Support => ({ fields: new Map(entries), unsupported: coreUnsupported });

const EVENT_FIELDS = [
  'involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name', 'involvedObject.uid',
  'involvedObject.apiVersion', 'involvedObject.resourceVersion', 'involvedObject.fieldPath',
  'reason', 'reportingComponent', 'source', 'type', 'metadata.namespace', 'metadata.name',
];

// events.k8s.io names its fields after the v1 Event shape and maps them onto the core ones.
const EVENTS_K8S_IO: [string, string][] = [
  ['reason', 'reason'],
  ...['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath']
    .map((f): [string, string] => [`regarding.${f}`, `involvedObject.${f}`]),
  ['reportingController', 'reportingComponent'],
  ['source', 'source'],
  ['type', 'type'],
  ['metadata.namespace', 'metadata.namespace'],
  ['metadata.name', 'metadata.name'],
];

const SUPPORT = new Map<string, Support>([
  ['/pods', core([
    ...same('metadata.name', 'metadata.namespace', 'spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName',
      'spec.serviceAccountName', 'spec.hostNetwork', 'status.phase', 'status.podIP', 'status.nominatedNodeName'),
    ['spec.host', 'spec.nodeName'], // old v1 clients
  ])],
  // Cluster-scoped kinds with their own list do not accept metadata.namespace at all.
  ['/nodes', core(same('metadata.name', 'spec.unschedulable'))],
  ['/namespaces', core(same('status.phase', 'metadata.name'))],
  ['/replicationcontrollers', core(same('metadata.name', 'metadata.namespace', 'status.replicas'))],
  ['/events', core(same(...EVENT_FIELDS))],
  ['/secrets', core(same('type', 'metadata.namespace', 'metadata.name'))],
  ['/services', core(same('metadata.namespace', 'metadata.name', 'spec.clusterIP', 'spec.type'))],
  ['batch/jobs', {
    fields: new Map(same('metadata.name', 'metadata.namespace', 'status.successful')),
    unsupported: (label) => `field label ${goQuote(label)} not supported for batchv1.Job`,
  }],
  ['certificates.k8s.io/certificatesigningrequests', core(same('metadata.name', 'spec.signerName'))],
  ['certificates.k8s.io/clustertrustbundles', core(same('metadata.name', 'spec.signerName'))],
  ['events.k8s.io/events', core(EVENTS_K8S_IO)],
]);

const DEFAULT_SUPPORT: Support = {
  fields: new Map(same('metadata.name', 'metadata.namespace')),
  unsupported: (label) => `${goQuote(label)} is not a known field selector: only "metadata.name", "metadata.namespace"`,
};

/** Describes a custom resource's field selector support (from its CRD). */
export interface CustomFieldSupport {
  clusterScoped: boolean;
  /** spec.versions[].selectableFields[].jsonPath without the leading "." */
  selectableFields?: readonly string[];
}

// Custom resources (apiextensions-apiserver crConverter.ConvertFieldLabel): metadata.name always,
// metadata.namespace when namespaced, plus the CRD's selectable fields.
function customSupport(c: CustomFieldSupport): Support {
  const labels = ['metadata.name', ...(c.clusterScoped ? [] : ['metadata.namespace']), ...(c.selectableFields ?? [])];
  return core(same(...labels));
}

/**
 * The field a selector label selects on for group/resource (group '' = core, resource = plural),
 * or throws Error with upstream's message when the resource does not support the label.
 */
export function convertFieldLabel(group: string, resource: string, label: string, custom?: CustomFieldSupport): string {
  const support = custom ? customSupport(custom) : SUPPORT.get(`${group}/${resource}`) ?? DEFAULT_SUPPORT;
  const field = support.fields.get(label);
  if (field === undefined) throw new Error(support.unsupported(label));
  return field;
}
