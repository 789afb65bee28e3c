// A ContainerRuntime that forwards every call to a runtime over its Unix socket (the kubelet's
// end of docs/runtime-protocol.md). It checks the protocol version when it connects, and after
// the connection drops (the runtime restarting, say) it reconnects and re-subscribes to events,
// starting the runtime again first when it was given a way to.
import { connect, type Socket } from 'node:net';
import { ContainerEventHub } from './events.js';
import type {
  ContainerConfig,
  ContainerEvent,
  ContainerEventListener,
  ContainerFilter,
  ContainerRuntime,
  ContainerStats,
  ContainerStatus,
  ExecResult,
  ImageInfo,
  PodSandboxConfig,
  PodSandboxStatus,
  RuntimeName,
  RuntimeStatus,
  Unsubscribe,
  VersionInfo,
} from './types.js';
import { decode, encode, fromWireError, lineSplitter, RUNTIME_API_VERSION, type Frame, type Request } from './protocol.js';

/** Delay before reconnecting the event subscription. */
const RECONNECT_MS = 200;
/** How long a call may take before it fails (Kubernetes' --runtime-request-timeout default: 2 min). */
export const DEFAULT_RUNTIME_REQUEST_TIMEOUT_MS = 120_000;

export interface RemoteRuntimeOptions {
  /** The handler name the kubelet offers this runtime as. */
  name: RuntimeName;
  socketPath: string;
  /** Starts the runtime again when it is gone (it crashed or was killed). */
  respawn?: () => Promise<void>;
  /** Default DEFAULT_RUNTIME_REQUEST_TIMEOUT_MS. */
  requestTimeoutMs?: number;
}

export class RemoteRuntime implements ContainerRuntime {
  readonly name: RuntimeName;
  private readonly socketPath: string;
  private readonly respawn: (() => Promise<void>) | undefined;
  private readonly requestTimeoutMs: number;
  private socket: Socket | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly events = new ContainerEventHub();
  private readonly connectionListeners = new Set<(connected: boolean) => void>();
  private closed = false;
  /** What the runtime answered to `version` on the last connect. */
  runtimeVersion: VersionInfo | undefined;

  constructor(opts: RemoteRuntimeOptions) {
    this.name = opts.name;
    this.socketPath = opts.socketPath;
    this.respawn = opts.respawn;
    this.requestTimeoutMs = opts.requestTimeoutMs ?? DEFAULT_RUNTIME_REQUEST_TIMEOUT_MS;
  }

  get connected(): boolean {
    return this.socket !== undefined;
  }

  /** Called with true after every (re)connect, false when the connection drops. */
  onConnectionChange(listener: (connected: boolean) => void): Unsubscribe {
    this.connectionListeners.add(listener);
    return () => this.connectionListeners.delete(listener);
  }

  /**
   * Connects, checks the protocol version and subscribes to events; rejects if the runtime is not
   * there or speaks another version (then the connection is closed and not retried).
   */
  async connect(): Promise<void> {
    const socket = connect(this.socketPath);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    socket.on(
      'data',
      lineSplitter((line) => this.onFrame(decode(line) as Frame)),
    );
    socket.on('error', () => undefined);
    let established = false;
    socket.on('close', () => this.onClose(socket, established));
    this.socket = socket;
    try {
      const version = await this.call<VersionInfo>('version');
      if (version?.runtimeApiVersion !== RUNTIME_API_VERSION) {
        throw new Error(`runtime at ${this.socketPath} speaks protocol ${String(version?.runtimeApiVersion)}, not ${RUNTIME_API_VERSION}`);
      }
      this.runtimeVersion = version;
      await this.call('subscribe');
    } catch (err) {
      this.socket = undefined;
      socket.destroy();
      throw err;
    }
    established = true;
    for (const l of this.connectionListeners) l(true);
  }

  private onFrame(frame: Frame): void {
    if ('event' in frame) return this.events.emit(frame.event as ContainerEvent);
    const p = this.pending.get(frame.id);
    if (!p) return;
    this.pending.delete(frame.id);
    if ('error' in frame) p.reject(fromWireError(frame.error));
    else p.resolve(frame.result);
  }

  private onClose(socket: Socket, established: boolean): void {
    for (const p of this.pending.values()) p.reject(new Error(`runtime ${this.name} connection closed`));
    this.pending.clear();
    if (this.socket === socket) this.socket = undefined;
    // A connect that failed half-way is retried by its caller, not here.
    if (!established) return;
    for (const l of this.connectionListeners) l(false);
    if (this.closed) return;
    const retry = () => {
      if (this.closed) return;
      this.connect().catch(async () => {
        await this.respawn?.().catch(() => undefined);
        setTimeout(retry, RECONNECT_MS);
      });
    };
    setTimeout(retry, RECONNECT_MS);
  }

  private call<T>(method: Request['method'], args: unknown[] = [], timeoutMs = this.requestTimeoutMs): Promise<T> {
    const socket = this.socket;
    if (!socket) return Promise.reject(new Error(`runtime ${this.name} not connected`));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (!this.pending.delete(id)) return;
        reject(new Error(`runtime ${this.name}: ${method} did not answer within ${timeoutMs} ms`));
      }, timeoutMs);
      timer.unref();
      const settle = <V>(fn: (v: V) => void) => (v: V) => {
        clearTimeout(timer);
        fn(v);
      };
      this.pending.set(id, { resolve: settle(resolve as (v: unknown) => void), reject: settle(reject) });
      socket.write(`${encode({ id, method, args } satisfies Request)}\n`);
    });
  }

  version(): Promise<VersionInfo> {
    return this.call('version');
  }
  status(): Promise<RuntimeStatus> {
    return this.call('status');
  }
  runPodSandbox(config: PodSandboxConfig): Promise<string> {
    return this.call('runPodSandbox', [config]);
  }
  stopPodSandbox(id: string): Promise<void> {
    return this.call('stopPodSandbox', [id]);
  }
  removePodSandbox(id: string): Promise<void> {
    return this.call('removePodSandbox', [id]);
  }
  podSandboxStatus(id: string): Promise<PodSandboxStatus> {
    return this.call('podSandboxStatus', [id]);
  }
  listPodSandboxes(): Promise<PodSandboxStatus[]> {
    return this.call('listPodSandboxes');
  }
  createContainer(sandboxId: string, config: ContainerConfig): Promise<string> {
    return this.call('createContainer', [sandboxId, config]);
  }
  startContainer(id: string): Promise<void> {
    return this.call('startContainer', [id]);
  }
  stopContainer(id: string, grace: number): Promise<void> {
    // The runtime may take the whole grace period before it answers.
    return this.call('stopContainer', [id, grace], grace * 1000 + this.requestTimeoutMs);
  }
  removeContainer(id: string): Promise<void> {
    return this.call('removeContainer', [id]);
  }
  containerStatus(id: string): Promise<ContainerStatus> {
    return this.call('containerStatus', [id]);
  }
  listContainers(filter?: ContainerFilter): Promise<ContainerStatus[]> {
    return this.call('listContainers', [filter ?? {}]);
  }
  listContainerStats(): Promise<ContainerStats[]> {
    return this.call('listContainerStats');
  }
  execSync(id: string, command: string[], timeoutSeconds: number): Promise<ExecResult> {
    return this.call('execSync', [id, command, timeoutSeconds], timeoutSeconds * 1000 + this.requestTimeoutMs);
  }
  pullImage(ref: string): Promise<string> {
    return this.call('pullImage', [ref]);
  }
  async imageStatus(ref: string): Promise<ImageInfo | undefined> {
    return (await this.call<ImageInfo | null>('imageStatus', [ref])) ?? undefined;
  }
  listImages(): Promise<ImageInfo[]> {
    return this.call('listImages');
  }
  removeImage(ref: string): Promise<void> {
    return this.call('removeImage', [ref]);
  }
  onContainerEvent(listener: ContainerEventListener): Unsubscribe {
    return this.events.subscribe(listener);
  }

  /** Disconnects; the daemon and its pods keep running. */
  async close(): Promise<void> {
    this.closed = true;
    this.socket?.destroy();
  }
}
