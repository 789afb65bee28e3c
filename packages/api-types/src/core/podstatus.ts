// PodStatus: what the kubelet observed. Required-ness is looser than Kubernetes' OpenAPI for the
// container statuses (only name), so a kubelet can report a container before its image is resolved.
import { Type, type Static } from '@sinclair/typebox';
import { Condition } from '../meta/v1.js';
import { ResourceList } from '../quantity.js';
import { AtomicList, KeyedList, List, OptBool, OptInt, OptString, StringEnum } from '../schema.js';
import { ResourceRequirements } from './container.js';

export const POD_PHASES = ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'] as const;
export type PodPhase = (typeof POD_PHASES)[number];
export const QOS_CLASSES = ['Guaranteed', 'Burstable', 'BestEffort'] as const;
export type PodQOSClass = (typeof QOS_CLASSES)[number];

/** Pod condition types the kubelet and scheduler set. */
export const POD_CONDITIONS = {
  PodScheduled: 'PodScheduled',
  Initialized: 'Initialized',
  ContainersReady: 'ContainersReady',
  Ready: 'Ready',
  DisruptionTarget: 'DisruptionTarget',
  PodReadyToStartContainers: 'PodReadyToStartContainers',
} as const;

export const ContainerStateWaiting = Type.Object({ reason: OptString('e.g. ContainerCreating, CrashLoopBackOff, ImagePullBackOff.'), message: OptString() });
export const ContainerStateRunning = Type.Object({ startedAt: OptString() });
export const ContainerStateTerminated = Type.Object({
  exitCode: Type.Integer(),
  signal: OptInt(),
  reason: OptString('e.g. Completed, Error, OOMKilled.'),
  message: OptString(),
  startedAt: OptString(),
  finishedAt: OptString(),
  containerID: OptString(),
});

export const ContainerState = Type.Object(
  { waiting: Type.Optional(ContainerStateWaiting), running: Type.Optional(ContainerStateRunning), terminated: Type.Optional(ContainerStateTerminated) },
  { description: 'The state of a container: exactly one of waiting, running, terminated (waiting if none).' },
);
export type ContainerState = Static<typeof ContainerState>;

export const ContainerStatus = Type.Object(
  {
    name: Type.String(),
    state: Type.Optional(ContainerState),
    lastState: Type.Optional(ContainerState),
    ready: OptBool('Whether the container passes its readiness probe.'),
    restartCount: OptInt('Number of restarts, counted from the pod start.'),
    image: OptString(),
    imageID: OptString(),
    containerID: OptString("Runtime ID as '<type>://<id>'."),
    started: OptBool('Whether the container has passed its startup probe.'),
    allocatedResources: Type.Optional(ResourceList),
    resources: Type.Optional(ResourceRequirements),
    volumeMounts: Type.Optional(AtomicList(Type.Object({ name: Type.String(), mountPath: Type.String(), readOnly: OptBool() }))),
    user: Type.Optional(Type.Object({})),
    stopSignal: OptString(),
  },
  { description: 'The observed state of one container.' },
);
export type ContainerStatus = Static<typeof ContainerStatus>;

export const PodIP = Type.Object({ ip: Type.String() });
export type PodIP = Static<typeof PodIP>;

export const PodStatus = Type.Object(
  {
    phase: Type.Optional(StringEnum(POD_PHASES, { description: 'Summary of the pod lifecycle.' })),
    conditions: Type.Optional(KeyedList(Condition, 'type', 'Current service state of the pod.')),
    message: OptString(),
    reason: OptString('Brief CamelCase reason, e.g. Evicted.'),
    nominatedNodeName: OptString('Node the scheduler expects the pod to run on after preemption.'),
    hostIP: OptString('IP of the node the pod runs on.'),
    hostIPs: Type.Optional(List(PodIP, { patchMergeKey: 'ip', patchStrategy: 'merge', listType: 'atomic' })),
    podIP: OptString('IP of the pod.'),
    podIPs: Type.Optional(List(PodIP, { patchMergeKey: 'ip', patchStrategy: 'merge', listType: 'map', mapKeys: ['ip'] })),
    startTime: OptString('When the kubelet acknowledged the pod.'),
    initContainerStatuses: Type.Optional(AtomicList(ContainerStatus)),
    containerStatuses: Type.Optional(AtomicList(ContainerStatus)),
    ephemeralContainerStatuses: Type.Optional(AtomicList(ContainerStatus)),
    qosClass: Type.Optional(StringEnum(QOS_CLASSES)),
    resize: OptString(),
    observedGeneration: OptInt(),
  },
  { description: 'The observed state of a pod.' },
);
export type PodStatus = Static<typeof PodStatus>;
