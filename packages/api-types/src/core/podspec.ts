// PodSpec: the desired state of a pod, also embedded as the template of Deployments, ReplicaSets,
// StatefulSets and Jobs. List merge keys follow Kubernetes' OpenAPI, since `kubectl apply` sends
// strategic merge patches against them.
import { Type, type Static } from '@sinclair/typebox';
import { ObjectMeta, StringMap } from '../meta/v1.js';
import { ResourceList } from '../quantity.js';
import { AtomicList, KeyedList, List, OptBool, OptInt, OptString, StringEnum } from '../schema.js';
import { Affinity, TopologySpreadConstraints } from './affinity.js';
import { Container, EphemeralContainer, WindowsSecurityContextOptions } from './container.js';
import { LocalObjectReference } from './reference.js';
import { Toleration } from './taint.js';
import { Volume } from './volume.js';

export const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'] as const;
export type RestartPolicy = (typeof RESTART_POLICIES)[number];
export const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'] as const;
export type DNSPolicy = (typeof DNS_POLICIES)[number];

export const PodSecurityContext = Type.Object(
  {
    runAsUser: OptInt(),
    runAsGroup: OptInt(),
    runAsNonRoot: OptBool(),
    supplementalGroups: Type.Optional(AtomicList(Type.Integer())),
    supplementalGroupsPolicy: OptString(),
    fsGroup: OptInt(),
    fsGroupChangePolicy: OptString(),
    sysctls: Type.Optional(AtomicList(Type.Object({ name: Type.String(), value: Type.String() }))),
    seLinuxOptions: Type.Optional(StringMap),
    seccompProfile: Type.Optional(Type.Object({ type: Type.String(), localhostProfile: OptString() })),
    appArmorProfile: Type.Optional(Type.Object({ type: Type.String(), localhostProfile: OptString() })),
    windowsOptions: Type.Optional(WindowsSecurityContextOptions),
  },
  { description: 'Security options for every container of the pod.' },
);
export type PodSecurityContext = Static<typeof PodSecurityContext>;

export const PodDNSConfig = Type.Object({
  nameservers: Type.Optional(AtomicList(Type.String())),
  searches: Type.Optional(AtomicList(Type.String())),
  options: Type.Optional(AtomicList(Type.Object({ name: OptString(), value: OptString() }))),
});

export const HostAlias = Type.Object({ ip: Type.String(), hostnames: Type.Optional(AtomicList(Type.String())) });

export const PodSpec = Type.Object(
  {
    volumes: Type.Optional(
      List(Volume, { patchMergeKey: 'name', patchStrategy: 'merge,retainKeys', listType: 'map', mapKeys: ['name'], description: 'Volumes containers may mount.' }),
    ),
    initContainers: Type.Optional(KeyedList(Container, 'name', 'Containers run in order, each to completion, before the app containers start.')),
    containers: KeyedList(Container, 'name', 'The containers of the pod; at least one.'),
    ephemeralContainers: Type.Optional(KeyedList(EphemeralContainer, 'name', 'Debugging containers added to a running pod.')),
    restartPolicy: Type.Optional(StringEnum(RESTART_POLICIES, { description: 'Restart policy for all containers: Always (default), OnFailure or Never.' })),
    terminationGracePeriodSeconds: OptInt('Seconds between SIGTERM and SIGKILL on deletion; defaults to 30.'),
    activeDeadlineSeconds: OptInt('Seconds the pod may be active before the kubelet fails it.'),
    dnsPolicy: Type.Optional(StringEnum(DNS_POLICIES, { description: 'DNS policy; defaults to ClusterFirst.' })),
    nodeSelector: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'Node labels the pod requires.', 'x-kubernetes-map-type': 'atomic' })),
    serviceAccountName: OptString('Service account the pod runs as.'),
    serviceAccount: OptString('Deprecated alias of serviceAccountName.'),
    automountServiceAccountToken: OptBool(),
    nodeName: OptString('Node the pod is bound to; set by the scheduler through the binding subresource.'),
    hostNetwork: OptBool("Use the node's network namespace."),
    hostPID: OptBool(),
    hostIPC: OptBool(),
    shareProcessNamespace: OptBool(),
    securityContext: Type.Optional(PodSecurityContext),
    imagePullSecrets: Type.Optional(KeyedList(LocalObjectReference, 'name', 'Secrets for pulling images.')),
    hostname: OptString('Host name of the pod; defaults to the pod name.'),
    subdomain: OptString('Makes the FQDN <hostname>.<subdomain>.<namespace>.svc.<cluster-domain>.'),
    affinity: Type.Optional(Affinity),
    schedulerName: OptString("Scheduler that places the pod; defaults to 'default-scheduler'."),
    tolerations: Type.Optional(AtomicList(Toleration, 'Taints the pod tolerates.')),
    hostAliases: Type.Optional(List(HostAlias, { patchMergeKey: 'ip', patchStrategy: 'merge', listType: 'map', mapKeys: ['ip'] })),
    priorityClassName: OptString('PriorityClass giving the pod its priority.'),
    priority: OptInt('Priority value, resolved from priorityClassName by admission.'),
    dnsConfig: Type.Optional(PodDNSConfig),
    readinessGates: Type.Optional(AtomicList(Type.Object({ conditionType: Type.String() }))),
    runtimeClassName: OptString("RuntimeClass that runs the pod (in kite: 'wasm' or 'docker')."),
    enableServiceLinks: OptBool('Inject service environment variables; defaults to true.'),
    preemptionPolicy: OptString(),
    overhead: Type.Optional(ResourceList),
    topologySpreadConstraints: Type.Optional(TopologySpreadConstraints),
    setHostnameAsFQDN: OptBool(),
    os: Type.Optional(Type.Object({ name: Type.String() })),
    hostUsers: OptBool(),
    schedulingGates: Type.Optional(KeyedList(Type.Object({ name: Type.String() }), 'name')),
    resourceClaims: Type.Optional(
      List(Type.Object({ name: Type.String(), resourceClaimName: OptString(), resourceClaimTemplateName: OptString() }), {
        patchMergeKey: 'name',
        patchStrategy: 'merge,retainKeys',
        listType: 'map',
        mapKeys: ['name'],
      }),
    ),
  },
  { description: 'The desired state of a pod.' },
);
export type PodSpec = Static<typeof PodSpec>;

export const PodTemplateSpec = Type.Object(
  { metadata: Type.Optional(ObjectMeta), spec: Type.Optional(PodSpec) },
  { description: 'The pods a workload controller creates: their metadata and spec.' },
);
export type PodTemplateSpec = Static<typeof PodTemplateSpec>;
