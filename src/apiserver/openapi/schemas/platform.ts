// The remaining groups: access control and reviews, certificates, leases, endpoint slices, events,
// networking, node runtime classes, disruption budgets, priority and storage classes. Brief tables.
import type { Package } from './dsl.js';

const review = (what: string): Package['types'][string] => ({
  description: what,
  required: ['spec'],
  fields: { spec: ['object', 'The question asked.'], status: ['object', 'The answer, filled in by the server.'] },
});

export const authentication: Package = {
  prefix: 'io.k8s.api.authentication.v1',
  types: {
    TokenReview: review('Asks the server to authenticate a bearer token.'),
    SelfSubjectReview: {
      description: 'Returns the user information the server derived from the request\'s credentials.',
      fields: { status: ['object', 'userInfo of the caller.'] },
    },
    TokenRequest: {
      description: 'Requests a token for a service account.',
      required: ['spec'],
      fields: {
        spec: ['object', 'audiences, expirationSeconds and an optional bound object.'],
        status: ['object', 'The issued token and its expiry.'],
      },
    },
  },
};

export const authorization: Package = {
  prefix: 'io.k8s.api.authorization.v1',
  types: {
    SubjectAccessReview: review('Asks whether a user or group may perform an action.'),
    SelfSubjectAccessReview: review('Asks whether the caller may perform an action (kubectl auth can-i).'),
    LocalSubjectAccessReview: review('A SubjectAccessReview limited to one namespace.'),
    SelfSubjectRulesReview: review('Lists the actions the caller may perform in a namespace.'),
  },
};

export const certificates: Package = {
  prefix: 'io.k8s.api.certificates.v1',
  types: {
    CertificateSigningRequest: {
      description: 'A request to sign an X.509 certificate, approved and then issued by a signer.',
      required: ['spec'],
      fields: {
        spec: ['object', 'The PEM request, signerName, usages and requesting user.'],
        status: ['object', 'Approval conditions and the issued certificate.'],
      },
    },
  },
};

export const coordination: Package = {
  prefix: 'io.k8s.api.coordination.v1',
  types: {
    Lease: { description: 'A lease for leader election and node heartbeats.', fields: { spec: ['LeaseSpec', 'The lease.'] } },
    LeaseSpec: {
      description: 'State of a lease.',
      fields: {
        holderIdentity: ['string', 'Current holder.'],
        leaseDurationSeconds: ['integer', 'Seconds candidates wait before taking over.'],
        acquireTime: ['MicroTime', 'When the current holder acquired it.'],
        renewTime: ['MicroTime', 'When the holder last renewed it.'],
        leaseTransitions: ['integer', 'Number of holder changes.'],
      },
    },
  },
};

export const discovery: Package = {
  prefix: 'io.k8s.api.discovery.v1',
  types: {
    EndpointSlice: {
      description: 'A subset of the endpoints behind a service.',
      required: ['addressType', 'endpoints'],
      fields: {
        addressType: ['string', 'IPv4, IPv6 or FQDN.'],
        endpoints: ['[]object', 'Addresses with their readiness and topology.'],
        ports: ['[]object', 'Ports served by every endpoint.'],
      },
    },
  },
};

export const events: Package = {
  prefix: 'io.k8s.api.events.v1',
  types: {
    Event: {
      description: 'A report of something that happened to an object (events.k8s.io flavour).',
      required: ['eventTime'],
      fields: {
        eventTime: ['MicroTime', 'When it first happened.'],
        series: ['object', 'Repetition data for recurring events.'],
        reportingController: ['string', 'Controller that emitted it.'],
        reportingInstance: ['string', 'Instance of that controller.'],
        action: ['string', 'What was done, or failed.'],
        reason: ['string', 'Short CamelCase reason.'],
        regarding: ['ObjectReference', 'The object it is about.'],
        related: ['ObjectReference', 'A secondary object.'],
        note: ['string', 'Human-readable description.'],
        type: ['string', 'Normal or Warning.'],
      },
    },
  },
};

export const networking: Package = {
  prefix: 'io.k8s.api.networking.v1',
  types: {
    Ingress: {
      description: 'HTTP(S) routing from outside the cluster to services.',
      fields: {
        spec: ['IngressSpec', 'Rules and TLS.'],
        status: ['object', 'Load balancer addresses.'],
      },
    },
    IngressSpec: {
      description: 'Desired routing.',
      fields: {
        ingressClassName: ['string', 'The IngressClass that implements it.'],
        defaultBackend: ['object', 'Backend for requests no rule matches.'],
        tls: ['[]object', 'TLS hosts and secrets.'],
        rules: ['[]object', 'Host and path rules.'],
      },
    },
    IngressClass: {
      description: 'Names the controller that implements a class of ingresses.',
      fields: { spec: ['object', 'controller and optional parameters.'] },
    },
    NetworkPolicy: {
      description: 'Which traffic may reach and leave selected pods.',
      fields: { spec: ['object', 'podSelector, policyTypes, ingress and egress rules.'] },
    },
  },
};

export const node: Package = {
  prefix: 'io.k8s.api.node.v1',
  types: {
    RuntimeClass: {
      description: 'A container runtime configuration that pods can select.',
      required: ['handler'],
      fields: {
        handler: ['string', 'Runtime handler name in the CRI configuration.'],
        overhead: ['object', 'Resource overhead of pods using it.'],
        scheduling: ['object', 'Node constraints for pods using it.'],
      },
    },
  },
};

export const policy: Package = {
  prefix: 'io.k8s.api.policy.v1',
  types: {
    PodDisruptionBudget: {
      description: 'Limits how many pods of a set voluntary disruptions (evictions) may take down.',
      fields: { spec: ['PodDisruptionBudgetSpec', 'Desired budget.'], status: ['object', 'Current disruptions allowed.'] },
    },
    PodDisruptionBudgetSpec: {
      description: 'Desired budget.',
      fields: {
        selector: ['LabelSelector', 'Pods the budget covers.'],
        minAvailable: ['IntOrString', 'Pods (or percent) that must stay available.'],
        maxUnavailable: ['IntOrString', 'Pods (or percent) that may be unavailable.'],
        unhealthyPodEvictionPolicy: ['string', 'IfHealthyBudget or AlwaysAllow.'],
      },
    },
    Eviction: {
      description: 'Asks to evict a pod, honouring disruption budgets.',
      fields: { deleteOptions: ['DeleteOptions', 'Options for the deletion of the pod.'] },
    },
  },
};

export const rbac: Package = {
  prefix: 'io.k8s.api.rbac.v1',
  types: {
    PolicyRule: {
      description: 'Actions allowed on a set of resources or non-resource URLs.',
      required: ['verbs'],
      fields: {
        verbs: ['[]string', 'Verbs allowed; * means all.'],
        apiGroups: ['[]string', 'API groups; "" is the core group.'],
        resources: ['[]string', 'Resources, e.g. pods or pods/log; * means all.'],
        resourceNames: ['[]string', 'Restricts the rule to these names.'],
        nonResourceURLs: ['[]string', 'URL paths, e.g. /healthz (cluster roles only).'],
      },
    },
    Subject: {
      description: 'A user, group or service account a binding grants to.',
      required: ['kind', 'name'],
      fields: {
        kind: ['string', 'User, Group or ServiceAccount.'],
        name: ['string', 'Name of the subject.'],
        namespace: ['string', 'Namespace of a service account.'],
        apiGroup: ['string', 'rbac.authorization.k8s.io for users and groups.'],
      },
    },
    RoleRef: {
      description: 'The role a binding grants.',
      required: ['apiGroup', 'kind', 'name'],
      fields: { apiGroup: ['string', 'rbac.authorization.k8s.io.'], kind: ['string', 'Role or ClusterRole.'], name: ['string', 'Name of the role.'] },
    },
    Role: { description: 'Namespaced permissions.', fields: { rules: ['[]PolicyRule', 'The permissions.'] } },
    ClusterRole: {
      description: 'Cluster-wide permissions, or a reusable set bound per namespace.',
      fields: { rules: ['[]PolicyRule', 'The permissions.'], aggregationRule: ['object', 'Selects roles whose rules are merged in.'] },
    },
    RoleBinding: {
      description: 'Grants a Role or ClusterRole within one namespace.',
      required: ['roleRef'],
      fields: { subjects: ['[]Subject', 'Who is granted.'], roleRef: ['RoleRef', 'What is granted. Immutable.'] },
    },
    ClusterRoleBinding: {
      description: 'Grants a ClusterRole across the cluster.',
      required: ['roleRef'],
      fields: { subjects: ['[]Subject', 'Who is granted.'], roleRef: ['RoleRef', 'What is granted. Immutable.'] },
    },
  },
};

export const scheduling: Package = {
  prefix: 'io.k8s.api.scheduling.v1',
  types: {
    PriorityClass: {
      description: 'Maps a name to a pod priority.',
      required: ['value'],
      fields: {
        value: ['integer', 'The priority; higher schedules first and may preempt.'],
        globalDefault: ['boolean', 'Applies to pods without a priorityClassName.'],
        description: ['string', 'When to use this class.'],
        preemptionPolicy: ['string', 'PreemptLowerPriority (default) or Never.'],
      },
    },
  },
};

export const storage: Package = {
  prefix: 'io.k8s.api.storage.v1',
  types: {
    StorageClass: {
      description: 'A class of dynamically provisioned storage.',
      required: ['provisioner'],
      fields: {
        provisioner: ['string', 'The volume plugin or CSI driver that provisions volumes.'],
        parameters: ['map[string]', 'Provisioner-specific parameters.'],
        reclaimPolicy: ['string', 'Delete (default) or Retain.'],
        volumeBindingMode: ['string', 'Immediate (default) or WaitForFirstConsumer.'],
        allowVolumeExpansion: ['boolean', 'Whether claims may be resized.'],
        mountOptions: ['[]string', 'Mount options of provisioned volumes.'],
      },
    },
  },
};
