// The Wasm container runtime: pods whose containers are WebAssembly modules or components.
//
// Isolation unit: one Worker thread per container (see README in examples/wasm-pods for the
// measurements behind it). The kubelet thread never runs guest code, so a guest that spins
// or blows up its memory stalls only its own Worker; terminate() stops it within
// milliseconds; and a container's memory limit is baked into its module's memory maximum.
// Sandboxes are bookkeeping only: a pod's "network namespace" is its own 127.x pod IP,
// which its servers bind, so two pods can both listen on port 8080.
import { guestContainerStatus } from '@kite/cri';
import { readyStatus, versionInfo, type RuntimeStatus, type VersionInfo } from '@kite/cri';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { ContainerEventHub } from '@kite/cri';
import { RuntimeError, notFound } from '@kite/cri';
import {
  ContainerEventType,
  EXIT_CODE_KILLED,
  EXIT_CODE_START_ERROR,
  TerminationReason,
  type ContainerConfig,
  type ContainerEventListener,
  type ContainerFilter,
  type ContainerRuntime,
  type ContainerStats,
  type ContainerStatus,
  type ExecResult,
  type ImageInfo,
  type PodSandboxConfig,
  type PodSandboxStatus,
  type Unsubscribe,
} from '@kite/cri';
import { ComponentCache } from './component-cache.js';
import { isLoopbackIPv4 } from '@kite/cri';
import { ImageStore, type StoredImage } from '@kite/cri';
import { defaultImageSearchPath } from '@kite/cri';
import { guestArgs, guestEnv, listenAddresses, preopens, workloadKind } from './job-plan.js';
import { InitialMemoryExceedsLimit } from '@kite/cri';
import { ModuleCache } from './module-cache.js';
import { WorkerContainer } from './worker-container.js';
import { DEFAULT_WARM_WORKERS, WorkerPool } from './worker-pool.js';
import type { ExitInfo, WorkerJob } from './worker/protocol.js';

export interface WasmRuntimeOptions {
  /** Directories searched for relative image references; default defaultImageSearchPath(). */
  imageSearchPath?: readonly string[];
  /** Content-addressed image cache; default $TMPDIR/kite/wasm-images. */
  imageCacheDir?: string;
  /** Workers kept booted for fast container starts (worker-pool.ts); default 2, 0 for none. */
  warmWorkers?: number;
}

interface Sandbox {
  id: string;
  config: PodSandboxConfig;
  state: 'ready' | 'notready';
  createdAt: Date;
}

interface Container {
  id: string;
  sandboxId: string;
  config: ContainerConfig;
  image: StoredImage;
  logPath: string;
  createdAt: Date;
  state: ContainerStatus['state'];
  job?: WorkerJob;
  /** Set when the container cannot run at all (e.g. initial memory above its limit). */
  cannotRun?: ExitInfo;
  worker?: WorkerContainer;
  startedAt?: Date;
  finishedAt?: Date;
  exit?: ExitInfo;
}

function newId(): string {
  return randomBytes(16).toString('hex');
}

export class WasmRuntime implements ContainerRuntime {
  readonly name = 'wasm' as const;
  readonly #images: ImageStore;
  readonly #modules = new ModuleCache();
  readonly #components: ComponentCache;
  readonly #events = new ContainerEventHub();
  readonly #sandboxes = new Map<string, Sandbox>();
  readonly #containers = new Map<string, Container>();
  readonly #pool: WorkerPool;

  constructor(options: WasmRuntimeOptions = {}) {
    const cacheDir = options.imageCacheDir ?? join(tmpdir(), 'kite', 'wasm-images');
    this.#images = new ImageStore({ cacheDir, searchPath: options.imageSearchPath ?? defaultImageSearchPath() });
    this.#components = new ComponentCache(cacheDir);
    this.#pool = new WorkerPool(options.warmWorkers ?? DEFAULT_WARM_WORKERS);
  }

  // ---- images -------------------------------------------------------------------------

  async pullImage(ref: string): Promise<string> {
    return (await this.#images.pull(ref)).id;
  }

  async imageStatus(ref: string): Promise<ImageInfo | undefined> {
    return this.#images.info(ref);
  }

  async listImages(): Promise<ImageInfo[]> {
    return this.#images.infos();
  }

  async removeImage(ref: string): Promise<void> {
    const image = this.#images.status(ref);
    if (image) {
      this.#modules.forget(image.id);
      this.#components.forget(image.id);
    }
    this.#images.remove(ref);
  }

  // ---- sandboxes ----------------------------------------------------------------------

  async version(): Promise<VersionInfo> {
    return versionInfo('kite-wasm', `node ${process.versions.node}`);
  }

  async status(): Promise<RuntimeStatus> {
    return readyStatus();
  }

  async runPodSandbox(config: PodSandboxConfig): Promise<string> {
    // Pods serve on their own IP; only loopback addresses may ever be bound (BRIEF §5).
    if (!isLoopbackIPv4(config.podIP)) {
      throw new RuntimeError('InvalidArgument', `pod IP ${config.podIP} is not an IPv4 loopback address (127.0.0.0/8)`);
    }
    mkdirSync(config.logDirectory, { recursive: true });
    this.#pool.warm();
    const sandbox: Sandbox = { id: newId(), config: structuredClone(config), state: 'ready', createdAt: new Date() };
    this.#sandboxes.set(sandbox.id, sandbox);
    return sandbox.id;
  }

  async stopPodSandbox(sandboxId: string): Promise<void> {
    const sandbox = this.#sandboxes.get(sandboxId);
    if (!sandbox) return;
    sandbox.state = 'notready';
    await Promise.all(this.#containersOf(sandboxId).map((c) => this.stopContainer(c.id, 0)));
  }

  async removePodSandbox(sandboxId: string): Promise<void> {
    await this.stopPodSandbox(sandboxId);
    await Promise.all(this.#containersOf(sandboxId).map((c) => this.removeContainer(c.id)));
    this.#sandboxes.delete(sandboxId);
  }

  async podSandboxStatus(sandboxId: string): Promise<PodSandboxStatus> {
    const sandbox = this.#sandboxes.get(sandboxId);
    if (!sandbox) throw notFound('sandbox', sandboxId);
    return structuredClone(sandbox);
  }

  async listPodSandboxes(): Promise<PodSandboxStatus[]> {
    return [...this.#sandboxes.values()].map((s) => structuredClone(s));
  }

  #containersOf(sandboxId: string): Container[] {
    return [...this.#containers.values()].filter((c) => c.sandboxId === sandboxId);
  }

  // ---- containers ---------------------------------------------------------------------

  async createContainer(sandboxId: string, config: ContainerConfig): Promise<string> {
    const sandbox = this.#sandboxes.get(sandboxId);
    if (!sandbox) throw notFound('sandbox', sandboxId);
    if (sandbox.state !== 'ready') throw new RuntimeError('FailedPrecondition', `sandbox ${sandboxId} is not ready`);
    const image = this.#images.status(config.image);
    if (!image) throw new RuntimeError('FailedPrecondition', `image ${config.image} has not been pulled`);
    const logPath = isAbsolute(config.logPath) ? config.logPath : join(sandbox.config.logDirectory, config.logPath);
    const container: Container = { id: newId(), sandboxId, config: structuredClone(config), image, logPath, createdAt: new Date(), state: 'created' };
    await this.#prepare(container, sandbox);
    this.#containers.set(container.id, container);
    this.#emit(container, ContainerEventType.Created);
    return container.id;
  }

  /** Does the slow part of starting (transpiling, compiling) at create time. */
  async #prepare(container: Container, sandbox: Sandbox): Promise<void> {
    const { config, image } = container;
    const base = {
      args: guestArgs(config),
      env: guestEnv(config),
      preopens: preopens(config),
      logPath: container.logPath,
      listen: listenAddresses(config, sandbox.config.podIP),
      memoryLimitBytes: config.memoryLimitBytes,
    };
    try {
      if (image.kind === 'component') {
        const component = await this.#components.prepare(image, config.memoryLimitBytes);
        if (!component.exportsHttp && !component.exportsRun) throw new RuntimeError('InvalidArgument', `image ${config.image} exports neither wasi:http/incoming-handler nor wasi:cli/run`);
        const kind = workloadKind('component', config, component.exportsHttp);
        container.job = { ...base, kind, componentDir: component.dir, coreModules: component.coreModules };
      } else {
        container.job = { ...base, kind: workloadKind('core', config, false), module: await this.#modules.get(image, config.memoryLimitBytes) };
      }
    } catch (error) {
      if (error instanceof RuntimeError) throw error;
      if (!(error instanceof InitialMemoryExceedsLimit)) throw new RuntimeError('Internal', `cannot compile ${config.image}: ${(error as Error).message}`);
      container.cannotRun = { exitCode: EXIT_CODE_KILLED, reason: TerminationReason.OOMKilled, message: error.message };
    }
  }

  async startContainer(containerId: string): Promise<void> {
    const container = this.#container(containerId);
    if (container.state !== 'created') throw new RuntimeError('FailedPrecondition', `container ${containerId} is ${container.state}, not created`);
    container.state = 'running';
    container.startedAt = new Date();
    if (container.cannotRun || !container.job) {
      this.#emit(container, ContainerEventType.Started);
      this.#finish(container, container.cannotRun ?? { exitCode: EXIT_CODE_START_ERROR, reason: TerminationReason.StartError });
      return;
    }
    let worker: WorkerContainer;
    try {
      worker = new WorkerContainer(this.#pool.take(), container.job);
    } catch (error) {
      this.#finish(container, { exitCode: EXIT_CODE_START_ERROR, reason: TerminationReason.StartError, message: (error as Error).message });
      throw new RuntimeError('Internal', `container ${container.config.name} failed to start: ${(error as Error).message}`);
    }
    container.worker = worker;
    const started = worker.start();
    // A quick command may exit right after it starts: report Started before Stopped.
    void worker.exited.then(async (exit) => {
      await started.catch(() => undefined);
      this.#finish(container, exit);
    });
    try {
      await started;
    } catch {
      const exit = await worker.exited;
      this.#finish(container, exit);
      throw new RuntimeError('Internal', `container ${container.config.name} failed to start: ${exit.message ?? exit.reason}`);
    }
    this.#emit(container, ContainerEventType.Started);
  }

  #finish(container: Container, exit: ExitInfo): void {
    if (container.state === 'exited') return;
    container.state = 'exited';
    container.exit = exit;
    container.finishedAt = new Date();
    this.#emit(container, ContainerEventType.Stopped);
  }

  async stopContainer(containerId: string, gracePeriodSeconds: number): Promise<void> {
    const container = this.#container(containerId);
    if (container.state === 'created') this.#finish(container, { exitCode: 0, reason: TerminationReason.Completed, message: 'stopped before start' });
    if (container.state !== 'running' || !container.worker) return;
    const exit = await container.worker.stop(Math.max(0, gracePeriodSeconds) * 1000);
    this.#finish(container, exit);
  }

  async removeContainer(containerId: string): Promise<void> {
    const container = this.#containers.get(containerId);
    if (!container) return;
    if (container.worker) {
      await container.worker.kill();
      this.#finish(container, await container.worker.exited);
    }
    this.#containers.delete(containerId);
    this.#events.emit({ type: ContainerEventType.Deleted, containerId, sandboxId: container.sandboxId, at: new Date() });
  }

  async containerStatus(containerId: string): Promise<ContainerStatus> {
    return this.#status(this.#container(containerId));
  }

  async listContainers(filter: ContainerFilter = {}): Promise<ContainerStatus[]> {
    return [...this.#containers.values()]
      .filter((c) => (filter.sandboxId === undefined || c.sandboxId === filter.sandboxId) && (filter.state === undefined || c.state === filter.state))
      .map((c) => this.#status(c));
  }

  /** Per running container: its Worker thread's CPU time and its isolate's memory (worker-container.ts). */
  async listContainerStats(): Promise<ContainerStats[]> {
    const running = [...this.#containers.values()].filter((c): c is Container & { worker: WorkerContainer } => c.state === 'running' && c.worker !== undefined);
    return Promise.all(
      running.map(async (c) => {
        const usage = await c.worker.usage();
        const timestamp = new Date();
        return {
          id: c.id,
          sandboxId: c.sandboxId,
          name: c.config.name,
          cpu: { timestamp, usageCoreNanoSeconds: usage.cpuNanoseconds },
          memory: { timestamp, workingSetBytes: usage.memoryBytes },
        };
      }),
    );
  }

  async execSync(containerId: string, _command: string[], _timeoutSeconds: number): Promise<ExecResult> {
    this.#container(containerId);
    throw new RuntimeError('Unimplemented', 'exec is not supported by the wasm runtime (a Wasm container has no shell)');
  }

  onContainerEvent(listener: ContainerEventListener): Unsubscribe {
    return this.#events.subscribe(listener);
  }

  async close(): Promise<void> {
    await Promise.all([...this.#sandboxes.keys()].map((id) => this.removePodSandbox(id)));
    await Promise.all([...this.#containers.keys()].map((id) => this.removeContainer(id)));
    await this.#pool.close();
  }

  #container(containerId: string): Container {
    const container = this.#containers.get(containerId);
    if (!container) throw notFound('container', containerId);
    return container;
  }

  #status(c: Container): ContainerStatus {
    return guestContainerStatus(c);
  }

  #emit(container: Container, type: ContainerEventType): void {
    this.#events.emit({ type, containerId: container.id, sandboxId: container.sandboxId, at: new Date(), status: this.#status(container) });
  }
}
