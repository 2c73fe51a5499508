// Shared apimachinery types every group-version document refers to: object and list metadata, Status,
// DeleteOptions, the Patch body, and the scalar wrappers (Time, Quantity, IntOrString).
// Descriptions are Skiff's own summaries of upstream's semantics.
import type { Package } from './dsl.js';
import { META } from '../names.js';

export const meta: Package = {
  prefix: META,
  types: {
    Time: { description: 'A timestamp in RFC 3339 form with second precision, in UTC.', raw: { type: 'string', format: 'date-time' } },
    MicroTime: { description: 'A timestamp in RFC 3339 form with microsecond precision.', raw: { type: 'string', format: 'date-time' } },
    FieldsV1: { description: 'A set of field paths in the fieldsV1 trie encoding used by server-side apply.', raw: { type: 'object' } },
    Patch: { description: 'The body of a PATCH request; its meaning depends on the Content-Type (JSON patch, merge patch, strategic merge patch or apply configuration).', raw: { type: 'object' } },
    ObjectMeta: {
      description: 'Metadata that every persisted object carries: identity, labels and annotations, ownership and lifecycle bookkeeping.',
      fields: {
        name: ['string', 'Name unique within a namespace (or the cluster, for cluster-scoped kinds). Cannot be updated.'],
        generateName: ['string', 'Prefix the server uses to generate a unique name when name is empty.'],
        namespace: ['string', 'The namespace the object lives in; empty for cluster-scoped kinds.'],
        uid: ['string', 'Unique identifier assigned by the server at creation; never reused.'],
        resourceVersion: ['string', 'Opaque version of this object, used for optimistic concurrency and watches.'],
        generation: ['int64', 'Sequence number of the desired state, bumped by the server when the spec changes.'],
        creationTimestamp: ['Time', 'When the server created the object. Read-only.'],
        deletionTimestamp: ['Time', 'When graceful deletion was requested. Read-only; set by the server.'],
        deletionGracePeriodSeconds: ['int64', 'Seconds the object is allowed to terminate gracefully before removal.'],
        labels: ['map[string]', 'Key/value pairs used to organize and select objects.'],
        annotations: ['map[string]', 'Unstructured key/value data kept with the object, not used for selection.'],
        ownerReferences: ['[]OwnerReference', 'Objects this object depends on; garbage collection follows them.', 'uid'],
        finalizers: ['[]string', 'Conditions that must be cleared before the object is removed from storage.', ''],
        managedFields: ['[]ManagedFieldsEntry', 'Which field manager owns which fields (server-side apply bookkeeping).'],
        selfLink: ['string', 'Deprecated and not set by the server.'],
      },
    },
    ListMeta: {
      description: 'Metadata of a list response.',
      fields: {
        resourceVersion: ['string', 'The store revision the list was read at; start a watch from here.'],
        continue: ['string', 'Token to fetch the next page when the list was limited.'],
        remainingItemCount: ['int64', 'Approximate number of items after this page, when known.'],
        selfLink: ['string', 'Deprecated and not set by the server.'],
      },
    },
    OwnerReference: {
      description: 'Identifies an owning object in the same namespace (or a cluster-scoped owner).',
      required: ['apiVersion', 'kind', 'name', 'uid'],
      fields: {
        apiVersion: ['string', 'API version of the owner.'],
        kind: ['string', 'Kind of the owner.'],
        name: ['string', 'Name of the owner.'],
        uid: ['string', 'UID of the owner.'],
        controller: ['boolean', 'True when the owner is the managing controller; at most one owner may say so.'],
        blockOwnerDeletion: ['boolean', 'When true, foreground deletion of the owner waits for this object.'],
      },
    },
    ManagedFieldsEntry: {
      description: 'One field manager\'s ownership record.',
      fields: {
        manager: ['string', 'Name of the field manager.'],
        operation: ['string', 'Apply or Update.'],
        apiVersion: ['string', 'API version the fields are expressed in.'],
        time: ['Time', 'When the entry last changed.'],
        fieldsType: ['string', 'Encoding of fieldsV1; always FieldsV1.'],
        fieldsV1: ['FieldsV1', 'The owned fields.'],
        subresource: ['string', 'The subresource the update went through, if any.'],
      },
    },
    LabelSelector: {
      description: 'A label query; matchLabels and matchExpressions are ANDed. An empty selector matches everything.',
      fields: {
        matchLabels: ['map[string]', 'Labels that must all be present with these values.'],
        matchExpressions: ['[]LabelSelectorRequirement', 'Set-based requirements.'],
      },
    },
    LabelSelectorRequirement: {
      description: 'A selector requirement: a key, an operator and values.',
      required: ['key', 'operator'],
      fields: {
        key: ['string', 'The label key.'],
        operator: ['string', 'In, NotIn, Exists or DoesNotExist.'],
        values: ['[]string', 'Values for In and NotIn; empty for Exists and DoesNotExist.'],
      },
    },
    Condition: {
      description: 'One aspect of an object\'s current state.',
      required: ['type', 'status', 'lastTransitionTime', 'reason', 'message'],
      fields: {
        type: ['string', 'Condition type in CamelCase.'],
        status: ['string', 'True, False or Unknown.'],
        observedGeneration: ['int64', 'The metadata.generation the condition was computed for.'],
        lastTransitionTime: ['Time', 'When status last changed.'],
        reason: ['string', 'Machine-readable CamelCase reason for the last transition.'],
        message: ['string', 'Human-readable detail.'],
      },
    },
    Status: {
      description: 'The result of an operation that does not return an object, and the shape of every error.',
      fields: {
        apiVersion: ['string', 'Versioned schema of this representation.'],
        kind: ['string', 'Status.'],
        metadata: ['ListMeta', 'Standard list metadata.'],
        status: ['string', 'Success or Failure.'],
        message: ['string', 'Human-readable description of the outcome.'],
        reason: ['string', 'Machine-readable reason (NotFound, AlreadyExists, Conflict, Invalid…).'],
        details: ['StatusDetails', 'Extra data about the reason, such as the failing fields.'],
        code: ['integer', 'The HTTP status code.'],
      },
    },
    StatusDetails: {
      description: 'Extra information attached to a Status.',
      fields: {
        name: ['string', 'Name of the object concerned.'],
        group: ['string', 'Group of the object concerned.'],
        kind: ['string', 'Kind of the object concerned.'],
        uid: ['string', 'UID of the object concerned.'],
        causes: ['[]StatusCause', 'Individual problems, e.g. one per invalid field.'],
        retryAfterSeconds: ['integer', 'Seconds the client should wait before retrying.'],
      },
    },
    StatusCause: {
      description: 'One cause of a failure.',
      fields: {
        reason: ['string', 'Machine-readable cause, e.g. FieldValueInvalid.'],
        message: ['string', 'Human-readable description.'],
        field: ['string', 'Path of the field at fault, e.g. spec.containers[0].name.'],
      },
    },
    Preconditions: {
      description: 'Conditions a delete must satisfy.',
      fields: {
        uid: ['string', 'The object must have this UID.'],
        resourceVersion: ['string', 'The object must be at this resourceVersion.'],
      },
    },
    DeleteOptions: {
      description: 'Options for a delete request.',
      fields: {
        apiVersion: ['string', 'Versioned schema of this representation.'],
        kind: ['string', 'DeleteOptions.'],
        gracePeriodSeconds: ['int64', 'Seconds before the object is removed; 0 deletes immediately.'],
        preconditions: ['Preconditions', 'Must hold or the delete fails with a Conflict.'],
        orphanDependents: ['boolean', 'Deprecated: use propagationPolicy.'],
        propagationPolicy: ['string', 'Orphan, Background or Foreground garbage collection of dependents.'],
        dryRun: ['[]string', 'All to run every stage except persisting.'],
      },
    },
  },
};

export const quantity: Package = {
  prefix: 'io.k8s.apimachinery.pkg.api.resource',
  types: {
    Quantity: {
      description: 'A fixed-point number with an optional suffix: binary (Ki, Mi, Gi…), decimal (k, M, G…) or exponent (e3); e.g. 500m, 128Mi.',
      raw: { type: 'string' },
    },
  },
};

export const intstr: Package = {
  prefix: 'io.k8s.apimachinery.pkg.util.intstr',
  types: {
    IntOrString: {
      description: 'Either an integer or a string, such as a port number or a port name, or a count or a percentage.',
      raw: { type: 'string', format: 'int-or-string', 'x-kubernetes-int-or-string': true },
    },
  },
};
