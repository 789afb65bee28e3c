// The @wasmer/sdk container runtime: pods whose containers are WASI command modules.
//
// Isolation unit: one child process per container (guest-process.ts), because the SDK cannot
// stop a guest that spins, while a process can always be SIGKILLed. The plugin never runs guest
// code, so a spinning or memory-hungry guest stalls nothing but its own process, and the
// container's memory limit is baked into its module's memory maximum (module-prep.ts).
// Sandboxes are bookkeeping only: the SDK sandbox of each container has no network, so a pod
// needs no namespace of its own. The container lifecycle and its events are @kite/cri's
// GuestContainers; what is ours is how a container is prepared (container-plan.ts,
// module-prep.ts) and launched. README.md lists where the SDK makes semantics differ from the
// built-in Wasm runtime.
import {
  EXIT_CODE_KILLED,
  GuestContainers,
  ImageStore,
  InitialMemoryExceedsLimit,
  RuntimeError,
  SandboxTable,
  TerminationReason,
  readyStatus,
  versionInfo,
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
  type Prepared,
  type RuntimeStatus,
  type StoredImage,
  type Unsubscribe,
  type VersionInfo,
} from '@kite/cri';
import { join } from 'node:path';
import { guestJob } from './container-plan.js';
import { GuestProcess } from './guest-process.js';
import type { GuestJob } from './guest/protocol.js';
import { PreparedModules } from './module-prep.js';

/** The name this runtime reports in version(). */
export const RUNTIME_NAME = 'kite-wasmer';

export interface WasmerRuntimeOptions {
  /** Directories searched for relative image references. */
  imageSearchPath: readonly string[];
  /** Content-addressed image cache. */
  imageCacheDir: string;
  /** The plugin's own state: modules prepared for memory limits. */
  rootDir: string;
  /** The SDK's version, as version() reports it. */
  sdkVersion: string;
}

export class WasmerRuntime implements ContainerRuntime {
  readonly name = 'wasmer' as const;
  readonly #sdkVersion: string;
  readonly #images: ImageStore;
  readonly #modules: PreparedModules;
  readonly #sandboxes = new SandboxTable();
  readonly #containers: GuestContainers<GuestJob, GuestProcess>;

  constructor(options: WasmerRuntimeOptions) {
    this.#sdkVersion = options.sdkVersion;
    this.#images = new ImageStore({ cacheDir: options.imageCacheDir, searchPath: options.imageSearchPath });
    this.#modules = new PreparedModules(join(options.rootDir, 'modules'));
    this.#containers = new GuestContainers(this.#sandboxes, {
      prepare: (config, image, logPath) => this.#prepare(config, image, logPath),
      launch: (job) => new GuestProcess(job),
    });
  }

  async version(): Promise<VersionInfo> {
    return versionInfo(RUNTIME_NAME, this.#sdkVersion);
  }

  async status(): Promise<RuntimeStatus> {
    return readyStatus();
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
    if (image) this.#modules.forget(image);
    this.#images.remove(ref);
  }

  // ---- sandboxes ----------------------------------------------------------------------

  async runPodSandbox(config: PodSandboxConfig): Promise<string> {
    return this.#sandboxes.create(config);
  }

  async stopPodSandbox(sandboxId: string): Promise<void> {
    if (this.#sandboxes.markNotReady(sandboxId)) await this.#containers.stopAll(sandboxId);
  }

  async removePodSandbox(sandboxId: string): Promise<void> {
    await this.stopPodSandbox(sandboxId);
    await this.#containers.removeAll(sandboxId);
    this.#sandboxes.delete(sandboxId);
  }

  async podSandboxStatus(sandboxId: string): Promise<PodSandboxStatus> {
    return this.#sandboxes.status(sandboxId);
  }

  async listPodSandboxes(): Promise<PodSandboxStatus[]> {
    return this.#sandboxes.list();
  }

  // ---- containers ---------------------------------------------------------------------

  async createContainer(sandboxId: string, config: ContainerConfig): Promise<string> {
    return this.#containers.create(sandboxId, config, this.#images.status(config.image));
  }

  /** Validates the config and writes the module for its memory limit, so start is fast. */
  async #prepare(config: ContainerConfig, image: StoredImage, logPath: string): Promise<Prepared<GuestJob>> {
    if (image.kind !== 'core') throw new RuntimeError('InvalidArgument', `image ${config.image} is a component; @wasmer/sdk runs core modules only (use runtimeClassName wasm)`);
    try {
      return { job: guestJob(config, await this.#modules.prepare(image, config.memoryLimitBytes), logPath) };
    } catch (error) {
      if (error instanceof RuntimeError) throw error;
      if (!(error instanceof InitialMemoryExceedsLimit)) throw new RuntimeError('Internal', `cannot prepare ${config.image}: ${(error as Error).message}`);
      return { cannotRun: { exitCode: EXIT_CODE_KILLED, reason: TerminationReason.OOMKilled, message: error.message } };
    }
  }

  async startContainer(containerId: string): Promise<void> {
    await this.#containers.start(containerId);
  }

  async stopContainer(containerId: string, gracePeriodSeconds: number): Promise<void> {
    await this.#containers.stop(containerId, gracePeriodSeconds);
  }

  async removeContainer(containerId: string): Promise<void> {
    await this.#containers.remove(containerId);
  }

  async containerStatus(containerId: string): Promise<ContainerStatus> {
    return this.#containers.status(containerId);
  }

  async listContainers(filter: ContainerFilter = {}): Promise<ContainerStatus[]> {
    return this.#containers.list(filter);
  }

  /** Per running container: its child process's CPU since the guest started, and its RSS. */
  async listContainerStats(): Promise<ContainerStats[]> {
    return this.#containers.running().map((c) => {
      const usage = c.guest.usage();
      const timestamp = new Date();
      return { id: c.id, sandboxId: c.sandboxId, name: c.config.name, cpu: { timestamp, usageCoreNanoSeconds: usage.cpuNanoseconds }, memory: { timestamp, workingSetBytes: usage.memoryBytes } };
    });
  }

  async execSync(containerId: string, _command: string[], _timeoutSeconds: number): Promise<ExecResult> {
    this.#containers.get(containerId);
    throw new RuntimeError('Unimplemented', 'exec is not supported by the wasmer runtime (a WASI command has no shell to exec into)');
  }

  onContainerEvent(listener: ContainerEventListener): Unsubscribe {
    return this.#containers.onEvent(listener);
  }

  async close(): Promise<void> {
    await Promise.all(this.#sandboxes.ids().map((id) => this.removePodSandbox(id)));
    await Promise.all(this.#containers.ids().map((id) => this.removeContainer(id)));
  }
}
