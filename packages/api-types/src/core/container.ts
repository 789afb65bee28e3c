// Containers: what to run (image, command, env), what it needs (resources, volume mounts, ports)
// and how it is checked (probes). Regular, init and ephemeral containers share these fields.
import { Type, type Static } from '@sinclair/typebox';
import { Quantity, ResourceList } from '../quantity.js';
import { AtomicList, KeyedList, List, OptBool, OptInt, OptString, StringEnum } from '../schema.js';
import { Lifecycle, Probe } from './probe.js';

export const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;
export const Protocol = (description = 'Network protocol: TCP (default), UDP or SCTP.') => StringEnum(PROTOCOLS, { description });
export type Protocol = (typeof PROTOCOLS)[number];

export const ContainerPort = Type.Object(
  {
    name: OptString('IANA service name for the port, unique in the pod; services and probes may refer to it.'),
    hostPort: OptInt('Port to expose on the host (node IP).'),
    containerPort: Type.Integer({ description: 'Port the container listens on, 1-65535.' }),
    protocol: Type.Optional(Protocol()),
    hostIP: OptString('Host IP to bind the host port to.'),
  },
  { description: 'A network port in a container.' },
);
export type ContainerPort = Static<typeof ContainerPort>;

export const ObjectFieldSelector = Type.Object(
  { apiVersion: OptString("Version of the schema fieldPath is written in; defaults to 'v1'."), fieldPath: Type.String({ description: 'Path of the pod field to select, e.g. metadata.name or status.podIP.' }) },
  { 'x-kubernetes-map-type': 'atomic' },
);
export type ObjectFieldSelector = Static<typeof ObjectFieldSelector>;

export const ResourceFieldSelector = Type.Object(
  { containerName: OptString(), resource: Type.String({ description: 'limits.cpu, requests.memory, ...' }), divisor: Type.Optional(Quantity) },
  { 'x-kubernetes-map-type': 'atomic' },
);
export type ResourceFieldSelector = Static<typeof ResourceFieldSelector>;

const KeySelector = (what: string) =>
  Type.Object(
    { name: OptString(`Name of the ${what}.`), key: Type.String({ description: 'The key to select.' }), optional: OptBool(`Whether the ${what} or its key may be missing.`) },
    { 'x-kubernetes-map-type': 'atomic' },
  );
export const ConfigMapKeySelector = KeySelector('ConfigMap');
export type ConfigMapKeySelector = Static<typeof ConfigMapKeySelector>;
export const SecretKeySelector = KeySelector('Secret');
export type SecretKeySelector = Static<typeof SecretKeySelector>;

export const EnvVarSource = Type.Object(
  {
    fieldRef: Type.Optional(ObjectFieldSelector),
    resourceFieldRef: Type.Optional(ResourceFieldSelector),
    configMapKeyRef: Type.Optional(ConfigMapKeySelector),
    secretKeyRef: Type.Optional(SecretKeySelector),
  },
  { description: 'Where an environment variable takes its value from; exactly one source.' },
);
export type EnvVarSource = Static<typeof EnvVarSource>;

export const EnvVar = Type.Object(
  {
    name: Type.String({ description: 'Name of the variable.' }),
    value: OptString('Value; $(VAR) references to earlier variables are expanded.'),
    valueFrom: Type.Optional(EnvVarSource),
  },
  { description: 'An environment variable in a container.' },
);
export type EnvVar = Static<typeof EnvVar>;

const NameRef = Type.Object({ name: OptString(), optional: OptBool() }, { 'x-kubernetes-map-type': 'atomic' });
export const EnvFromSource = Type.Object(
  { prefix: OptString('Prefix to add to each key.'), configMapRef: Type.Optional(NameRef), secretRef: Type.Optional(NameRef) },
  { description: 'A ConfigMap or Secret whose keys all become environment variables.' },
);
export type EnvFromSource = Static<typeof EnvFromSource>;

export const ResourceClaim = Type.Object({ name: Type.String(), request: OptString() });

export const ResourceRequirements = Type.Object(
  {
    limits: Type.Optional(ResourceList),
    requests: Type.Optional(ResourceList),
    claims: Type.Optional(List(ResourceClaim, { listType: 'map', mapKeys: ['name'] })),
  },
  { description: 'Compute resources: requests are reserved for scheduling, limits are enforced. Requests default to limits.' },
);
export type ResourceRequirements = Static<typeof ResourceRequirements>;

export const VolumeMount = Type.Object(
  {
    name: Type.String({ description: 'Name of a volume of the pod.' }),
    readOnly: OptBool('Mount read-only.'),
    recursiveReadOnly: OptString(),
    mountPath: Type.String({ description: "Path in the container at which to mount the volume; must not contain ':'." }),
    subPath: OptString("Path within the volume to mount instead of its root."),
    mountPropagation: OptString(),
    subPathExpr: OptString(),
  },
  { description: 'A volume mounted into a container.' },
);
export type VolumeMount = Static<typeof VolumeMount>;

export const VolumeDevice = Type.Object({ name: Type.String(), devicePath: Type.String() });

/** Windows-specific options; `hostProcess` runs the container as a process on the host. */
export const WindowsSecurityContextOptions = Type.Object(
  {
    gmsaCredentialSpecName: OptString(),
    gmsaCredentialSpec: OptString(),
    runAsUserName: OptString(),
    hostProcess: OptBool('Run as a Windows HostProcess container (host network, host process namespace).'),
  },
  { description: 'Windows-specific security options.' },
);

export const SecurityContext = Type.Object(
  {
    capabilities: Type.Optional(Type.Object({ add: Type.Optional(AtomicList(Type.String())), drop: Type.Optional(AtomicList(Type.String())) })),
    privileged: OptBool(),
    seLinuxOptions: Type.Optional(Type.Record(Type.String(), Type.String())),
    windowsOptions: Type.Optional(WindowsSecurityContextOptions),
    runAsUser: OptInt(),
    runAsGroup: OptInt(),
    runAsNonRoot: OptBool(),
    readOnlyRootFilesystem: OptBool(),
    allowPrivilegeEscalation: OptBool(),
    procMount: OptString(),
    seccompProfile: Type.Optional(Type.Object({ type: Type.String(), localhostProfile: OptString() })),
    appArmorProfile: Type.Optional(Type.Object({ type: Type.String(), localhostProfile: OptString() })),
  },
  { description: 'Security options for one container; they override the pod-level ones.' },
);
export type SecurityContext = Static<typeof SecurityContext>;

export const PULL_POLICIES = ['Always', 'Never', 'IfNotPresent'] as const;
export type PullPolicy = (typeof PULL_POLICIES)[number];
export const TERMINATION_MESSAGE_POLICIES = ['File', 'FallbackToLogsOnError'] as const;

/** Fields common to regular, init and ephemeral containers. */
const containerProperties = {
  name: Type.String({ description: 'Name of the container, a DNS label unique within the pod.' }),
  image: OptString('Image reference; for Wasm pods a .wasm file or URL.'),
  command: Type.Optional(AtomicList(Type.String(), "Entrypoint; the image's ENTRYPOINT if not given. Not run in a shell.")),
  args: Type.Optional(AtomicList(Type.String(), "Arguments to the entrypoint; the image's CMD if not given.")),
  workingDir: OptString('Working directory; the image default if not given.'),
  ports: Type.Optional(
    List(ContainerPort, { patchMergeKey: 'containerPort', patchStrategy: 'merge', listType: 'map', mapKeys: ['containerPort', 'protocol'], description: 'Ports the container exposes.' }),
  ),
  envFrom: Type.Optional(AtomicList(EnvFromSource, 'Sources of environment variables; env entries take precedence.')),
  env: Type.Optional(KeyedList(EnvVar, 'name', 'Environment variables.')),
  resources: Type.Optional(ResourceRequirements),
  resizePolicy: Type.Optional(AtomicList(Type.Object({ resourceName: Type.String(), restartPolicy: Type.String() }))),
  restartPolicy: Type.Optional(StringEnum(['Always'] as const, { description: "Only for init containers: 'Always' makes it a sidecar." })),
  volumeMounts: Type.Optional(KeyedList(VolumeMount, 'mountPath', 'Volumes to mount into the filesystem.')),
  volumeDevices: Type.Optional(KeyedList(VolumeDevice, 'devicePath')),
  livenessProbe: Type.Optional(Probe),
  readinessProbe: Type.Optional(Probe),
  startupProbe: Type.Optional(Probe),
  lifecycle: Type.Optional(Lifecycle),
  terminationMessagePath: OptString("File the termination message is read from; defaults to '/dev/termination-log'."),
  terminationMessagePolicy: Type.Optional(StringEnum(TERMINATION_MESSAGE_POLICIES, { description: 'How the termination message is populated; defaults to File.' })),
  imagePullPolicy: Type.Optional(
    StringEnum(PULL_POLICIES, { description: "Defaults to Always for ':latest' or untagged images, else IfNotPresent." }),
  ),
  securityContext: Type.Optional(SecurityContext),
  stdin: OptBool('Allocate a buffer for stdin.'),
  stdinOnce: OptBool('Close stdin after the first attach disconnects.'),
  tty: OptBool('Allocate a TTY; requires stdin.'),
};

export const Container = Type.Object(containerProperties, { description: 'A container to run in a pod.' });
export type Container = Static<typeof Container>;

export const EphemeralContainer = Type.Object(
  { ...containerProperties, targetContainerName: OptString('Container whose namespaces to share, for debugging.') },
  { description: 'A container added to a running pod for debugging; it is never restarted.' },
);
export type EphemeralContainer = Static<typeof EphemeralContainer>;
