// The container runtime interface the kubelet's pod lifecycle code drives, modelled on the
// Kubernetes CRI (RuntimeService + ImageService), so Wasm, Docker and hollow runtimes plug in
// the same way. Methods are async; failures are thrown as the typed errors in errors.ts
// (RuntimeError with a gRPC-like code, ImagePullError with a kubelet reason), never as
// untyped exceptions from a guest.
//
// Identity: sandbox and container ids are opaque strings minted by the runtime. Times are
// Date objects. Everything a method returns is a snapshot: changing it changes nothing.

/**
 * A runtime handler's name, as a RuntimeClass's `handler` names it: the built-in `wasm`, `docker`
 * and `hollow`, or any handler a runtime plugin registers (`--runtime-endpoint NAME=unix://...`).
 */
export type RuntimeName = string;

/** The handlers built into the kubelet (`--runtimes`). */
export const BUILTIN_RUNTIMES = ['wasm', 'docker', 'hollow'] as const;
export type BuiltinRuntime = (typeof BUILTIN_RUNTIMES)[number];

export type SandboxState = 'ready' | 'notready';

/** CRI container states. */
export type ContainerState = 'created' | 'running' | 'exited' | 'unknown';

/** Why a container ended, as `status.containerStatuses[].state.terminated.reason` shows it. */
export const TerminationReason = {
  /** Exited with code 0. */
  Completed: 'Completed',
  /** Exited non-zero, trapped, or was killed after its grace period. */
  Error: 'Error',
  /** Exceeded its memory limit. */
  OOMKilled: 'OOMKilled',
  /** Could not be started (bad module, port in use, ...). */
  StartError: 'StartError',
} as const;
export type TerminationReason = (typeof TerminationReason)[keyof typeof TerminationReason];

/** Exit code reported for a container killed after its grace period (128 + SIGKILL). */
export const EXIT_CODE_KILLED = 137;
/** Exit code reported when a container could not be started. */
export const EXIT_CODE_START_ERROR = 128;

export interface PodSandboxConfig {
  uid: string;
  name: string;
  namespace: string;
  /** The pod's IP: a 127.x address from the node's pod CIDR; servers bind it. */
  podIP: string;
  /** Directory for the pod's container logs (created if missing). */
  logDirectory: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /**
   * The container ports of the pod (CRI's port_mappings). Runtimes whose sandbox owns the
   * network namespace (Docker) publish them on the pod IP when the sandbox is created.
   */
  portMappings?: ContainerPort[];
}

export interface PodSandboxStatus {
  id: string;
  config: PodSandboxConfig;
  state: SandboxState;
  createdAt: Date;
}

export interface Mount {
  hostPath: string;
  containerPath: string;
  readOnly: boolean;
}

export interface ContainerPort {
  containerPort: number;
  protocol?: 'TCP' | 'UDP' | 'SCTP';
  name?: string;
}

export interface EnvVar {
  name: string;
  value: string;
}

export interface ContainerConfig {
  name: string;
  /** The image reference as the pod spec names it. */
  image: string;
  /** Entrypoint override (`command`); for Wasm, command[0] becomes argv[0]. */
  command: string[];
  args: string[];
  /** Fully resolved environment (valueFrom already looked up by the kubelet). */
  env: EnvVar[];
  workingDir?: string;
  mounts: Mount[];
  ports: ContainerPort[];
  /** `resources.limits.memory` in bytes; undefined means no limit. */
  memoryLimitBytes?: number;
  /** `resources.limits.cpu` in millicores; undefined means no limit. */
  cpuLimitMillis?: number;
  /** `resources.requests.cpu` in millicores (a relative weight under contention). */
  cpuRequestMillis?: number;
  /** `securityContext.runAsUser` (container, else pod); undefined keeps the image's user. */
  runAsUser?: number;
  /** `securityContext.runAsGroup` (container, else pod). */
  runAsGroup?: number;
  /** `securityContext.readOnlyRootFilesystem`. */
  readOnlyRootFilesystem?: boolean;
  /** How many times this container was restarted before (CRI's metadata.attempt). */
  attempt?: number;
  /** Log file path, relative to the sandbox's log directory (or absolute). */
  logPath: string;
  labels?: Record<string, string>;
}

export interface ContainerStatus {
  id: string;
  sandboxId: string;
  name: string;
  state: ContainerState;
  createdAt: Date;
  startedAt?: Date;
  finishedAt?: Date;
  /** Set once the container has exited. */
  exitCode?: number;
  reason?: TerminationReason;
  message?: string;
  /** The reference the container was created from. */
  image: string;
  /** The resolved image id (`sha256:...`). */
  imageRef: string;
  /** Absolute path of the CRI-format log file. */
  logPath: string;
}

export interface ContainerFilter {
  sandboxId?: string;
  state?: ContainerState;
}

export interface ExecResult {
  exitCode: number;
  stdout: Uint8Array;
  stderr: Uint8Array;
}

export interface ImageInfo {
  /** `sha256:<hex>` of the image bytes. */
  id: string;
  /** References this image was pulled as. */
  references: string[];
  size: number;
}

/** Like CRI's ContainerEventType: what happened to a container. */
export const ContainerEventType = {
  Created: 'ContainerCreated',
  Started: 'ContainerStarted',
  Stopped: 'ContainerStopped',
  Deleted: 'ContainerDeleted',
} as const;
export type ContainerEventType = (typeof ContainerEventType)[keyof typeof ContainerEventType];

export interface ContainerEvent {
  type: ContainerEventType;
  containerId: string;
  sandboxId: string;
  at: Date;
  /** The container's status right after the event (absent for Deleted). */
  status?: ContainerStatus;
}

/** CPU time a container has used (CRI CpuUsage). */
export interface CpuUsage {
  /** When the reading was taken. */
  timestamp: Date;
  /** Cumulative CPU time since the container started, in core-nanoseconds. */
  usageCoreNanoSeconds: number;
}

/** Memory a container holds (CRI MemoryUsage). */
export interface MemoryUsage {
  timestamp: Date;
  /** Memory that cannot be reclaimed under pressure: what limits and evictions judge. */
  workingSetBytes: number;
}

/** Resource usage of one running container (CRI ContainerStats, as ListContainerStats returns it). */
export interface ContainerStats {
  id: string;
  sandboxId: string;
  /** The container's name in its pod. */
  name: string;
  cpu: CpuUsage;
  memory: MemoryUsage;
}

export type ContainerEventListener = (event: ContainerEvent) => void;
export type Unsubscribe = () => void;

/** What a runtime says about itself (CRI VersionResponse). */
export interface VersionInfo {
  /** The protocol version the runtime speaks: RUNTIME_API_VERSION. */
  runtimeApiVersion: string;
  /** The runtime's own name (e.g. `kite-wasm`, `kite-wasmer`, `docker`). */
  runtimeName: string;
  /** The runtime's own version (free text). */
  runtimeVersion: string;
}

/** CRI's two runtime conditions: a node offers a handler only while both are true. */
export type RuntimeConditionType = 'RuntimeReady' | 'NetworkReady';

export interface RuntimeCondition {
  type: RuntimeConditionType;
  status: boolean;
  reason?: string;
  message?: string;
}

/** CRI RuntimeStatus. */
export interface RuntimeStatus {
  conditions: RuntimeCondition[];
}

/** Pod sandboxes and containers (CRI RuntimeService). */
export interface RuntimeService {
  readonly name: RuntimeName;

  /** The runtime's name and version, and the protocol version it speaks. */
  version(): Promise<VersionInfo>;
  /** Whether the runtime and its network are ready (CRI Status). */
  status(): Promise<RuntimeStatus>;

  /** Creates a ready sandbox for a pod; the pod IP is the kubelet's choice. Returns its id. */
  runPodSandbox(config: PodSandboxConfig): Promise<string>;
  /** Stops every container in the sandbox (grace 0) and marks it notready. Idempotent. */
  stopPodSandbox(sandboxId: string): Promise<void>;
  /** Stops and removes the sandbox and its containers. Idempotent (unknown id is fine). */
  removePodSandbox(sandboxId: string): Promise<void>;
  /** Throws RuntimeError NotFound for an unknown id. */
  podSandboxStatus(sandboxId: string): Promise<PodSandboxStatus>;
  listPodSandboxes(): Promise<PodSandboxStatus[]>;

  /**
   * Creates a container in a ready sandbox from an image already pulled (pullImage), doing
   * the slow work (compiling) now so that start is fast. Returns its id; state `created`.
   */
  createContainer(sandboxId: string, config: ContainerConfig): Promise<string>;
  /**
   * Starts a created container and resolves once it runs (a server is listening). A start
   * failure leaves it `exited` with reason StartError and rejects.
   */
  startContainer(containerId: string): Promise<void>;
  /**
   * Asks the container to stop, waits up to gracePeriodSeconds, then kills it. Resolves when
   * it has exited. Stopping an exited container is a no-op.
   */
  stopContainer(containerId: string, gracePeriodSeconds: number): Promise<void>;
  /** Kills the container if needed and forgets it. Unknown ids are fine. */
  removeContainer(containerId: string): Promise<void>;
  /** Throws RuntimeError NotFound for an unknown id. */
  containerStatus(containerId: string): Promise<ContainerStatus>;
  listContainers(filter?: ContainerFilter): Promise<ContainerStatus[]>;
  /**
   * Usage of every running container (CRI ListContainerStats), read now. Cheap enough to call
   * per metrics scrape: a few /proc files or one engine call per container, no waiting for a
   * sampling interval (rates are the kubelet's business, from two readings).
   */
  listContainerStats(): Promise<ContainerStats[]>;
  /** Runs a command in the container; throws RuntimeError Unimplemented where unsupported. */
  execSync(containerId: string, command: string[], timeoutSeconds: number): Promise<ExecResult>;

  /**
   * Subscribes to container events (created, started, stopped, deleted), delivered
   * asynchronously in order, so the kubelet need not poll for exits.
   */
  onContainerEvent(listener: ContainerEventListener): Unsubscribe;
}

/** Images (CRI ImageService). */
export interface ImageService {
  /** Fetches the image and returns its id; throws ImagePullError on any failure. */
  pullImage(ref: string): Promise<string>;
  /** The image pulled as `ref`, or undefined when it has not been pulled. */
  imageStatus(ref: string): Promise<ImageInfo | undefined>;
  listImages(): Promise<ImageInfo[]>;
  /** Forgets the image (a running container keeps its compiled copy). */
  removeImage(ref: string): Promise<void>;
}

export interface ContainerRuntime extends RuntimeService, ImageService {
  /** Stops every container and releases resources. */
  close(): Promise<void>;
}
