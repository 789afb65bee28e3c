// A ContainerRuntime that forwards every call to a runtime daemon over its Unix socket, and
// re-subscribes to its events after the connection drops (the daemon restarting, say).
import { connect, type Socket } from 'node:net';
import { ContainerEventHub } from '../events.js';
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
  Unsubscribe,
} from '../types.js';
import { decode, encode, fromWireError, lineSplitter, type Frame, type Request } from './protocol.js';

/** Delay before reconnecting the event subscription. */
const RECONNECT_MS = 200;

export class RemoteRuntime implements ContainerRuntime {
  private socket: Socket | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly events = new ContainerEventHub();
  private closed = false;

  constructor(
    readonly name: RuntimeName,
    private readonly socketPath: string,
    /** Starts the daemon again when it is gone (it crashed or was killed). */
    private readonly respawn?: () => Promise<void>,
  ) {}

  /** Connects and subscribes to events; rejects if the daemon is not there. */
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
    socket.on('close', () => this.onClose());
    socket.on('error', () => undefined);
    this.socket = socket;
    await this.call('subscribe');
  }

  private onFrame(frame: Frame): void {
    if ('event' in frame) return this.events.emit(frame.event as ContainerEvent);
    const p = this.pending.get(frame.id);
    if (!p) return;
    this.pending.delete(frame.id);
    if ('error' in frame) p.reject(fromWireError(frame.error));
    else p.resolve(frame.result);
  }

  private onClose(): void {
    this.socket = undefined;
    for (const p of this.pending.values()) p.reject(new Error('runtime daemon connection closed'));
    this.pending.clear();
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

  private call<T>(method: Request['method'], ...args: unknown[]): Promise<T> {
    const socket = this.socket;
    if (!socket) return Promise.reject(new Error('runtime daemon not connected'));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      socket.write(`${encode({ id, method, args } satisfies Request)}\n`);
    });
  }

  runPodSandbox(config: PodSandboxConfig): Promise<string> {
    return this.call('runPodSandbox', config);
  }
  stopPodSandbox(id: string): Promise<void> {
    return this.call('stopPodSandbox', id);
  }
  removePodSandbox(id: string): Promise<void> {
    return this.call('removePodSandbox', id);
  }
  podSandboxStatus(id: string): Promise<PodSandboxStatus> {
    return this.call('podSandboxStatus', id);
  }
  listPodSandboxes(): Promise<PodSandboxStatus[]> {
    return this.call('listPodSandboxes');
  }
  createContainer(sandboxId: string, config: ContainerConfig): Promise<string> {
    return this.call('createContainer', sandboxId, config);
  }
  startContainer(id: string): Promise<void> {
    return this.call('startContainer', id);
  }
  stopContainer(id: string, grace: number): Promise<void> {
    return this.call('stopContainer', id, grace);
  }
  removeContainer(id: string): Promise<void> {
    return this.call('removeContainer', id);
  }
  containerStatus(id: string): Promise<ContainerStatus> {
    return this.call('containerStatus', id);
  }
  listContainers(filter?: ContainerFilter): Promise<ContainerStatus[]> {
    return this.call('listContainers', filter ?? {});
  }
  listContainerStats(): Promise<ContainerStats[]> {
    return this.call('listContainerStats');
  }
  execSync(id: string, command: string[], timeoutSeconds: number): Promise<ExecResult> {
    return this.call('execSync', id, command, timeoutSeconds);
  }
  pullImage(ref: string): Promise<string> {
    return this.call('pullImage', ref);
  }
  async imageStatus(ref: string): Promise<ImageInfo | undefined> {
    return (await this.call<ImageInfo | null>('imageStatus', ref)) ?? undefined;
  }
  listImages(): Promise<ImageInfo[]> {
    return this.call('listImages');
  }
  removeImage(ref: string): Promise<void> {
    return this.call('removeImage', ref);
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
