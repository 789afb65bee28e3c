// The hollow runtime: reports containers as running without running anything, like
// kubemark's hollow kubelet, so a scale test can simulate many nodes and pods cheaply.
// Contract: every image pulls successfully (its id is the sha256 of the reference), start
// makes a container `running` until stop/remove, stop makes it `exited` with 0/Completed,
// and exec returns exit code 0 with empty output. Logs are empty files. Stats are small and
// deterministic (HOLLOW_CPU_CORES of CPU since start, HOLLOW_MEMORY_BYTES), so a scale test's
// metrics pipeline has numbers that move without anything running.
import { readyStatus, versionInfo, type RuntimeStatus, type VersionInfo } from '@kite/cri';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { ContainerEventHub } from '@kite/cri';
import { ImagePullError, RuntimeError, notFound } from '@kite/cri';
import {
  ContainerEventType,
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

/** The CPU a hollow container is reported to use: one millicore. */
export const HOLLOW_CPU_CORES = 0.001;
/** The working set a hollow container is reported to hold: 1 MiB. */
export const HOLLOW_MEMORY_BYTES = 1024 * 1024;
const NS_PER_MS = 1e6;

interface HollowContainer {
  status: ContainerStatus;
}

export class HollowRuntime implements ContainerRuntime {
  readonly name = 'hollow' as const;
  readonly #events = new ContainerEventHub();
  readonly #sandboxes = new Map<string, PodSandboxStatus>();
  readonly #containers = new Map<string, HollowContainer>();
  readonly #images = new Map<string, ImageInfo>();

  async pullImage(ref: string): Promise<string> {
    if (ref.trim().length === 0) throw new ImagePullError('InvalidImageName', 'image reference is empty');
    const id = `sha256:${createHash('sha256').update(ref).digest('hex')}`;
    this.#images.set(ref, { id, references: [ref], size: 0 });
    return id;
  }

  async imageStatus(ref: string): Promise<ImageInfo | undefined> {
    return this.#images.get(ref);
  }

  async listImages(): Promise<ImageInfo[]> {
    return [...this.#images.values()];
  }

  async removeImage(ref: string): Promise<void> {
    this.#images.delete(ref);
  }

  async version(): Promise<VersionInfo> {
    return versionInfo('kite-hollow', '0.1.0');
  }

  async status(): Promise<RuntimeStatus> {
    return readyStatus();
  }

  async runPodSandbox(config: PodSandboxConfig): Promise<string> {
    const id = randomBytes(16).toString('hex');
    this.#sandboxes.set(id, { id, config: structuredClone(config), state: 'ready', createdAt: new Date() });
    return id;
  }

  async stopPodSandbox(sandboxId: string): Promise<void> {
    const sandbox = this.#sandboxes.get(sandboxId);
    if (!sandbox) return;
    sandbox.state = 'notready';
    for (const c of this.#of(sandboxId)) await this.stopContainer(c.status.id, 0);
  }

  async removePodSandbox(sandboxId: string): Promise<void> {
    await this.stopPodSandbox(sandboxId);
    for (const c of this.#of(sandboxId)) await this.removeContainer(c.status.id);
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

  #of(sandboxId: string): HollowContainer[] {
    return [...this.#containers.values()].filter((c) => c.status.sandboxId === sandboxId);
  }

  async createContainer(sandboxId: string, config: ContainerConfig): Promise<string> {
    const sandbox = this.#sandboxes.get(sandboxId);
    if (!sandbox) throw notFound('sandbox', sandboxId);
    if (sandbox.state !== 'ready') throw new RuntimeError('FailedPrecondition', `sandbox ${sandboxId} is not ready`);
    const image = this.#images.get(config.image);
    if (!image) throw new RuntimeError('FailedPrecondition', `image ${config.image} has not been pulled`);
    const logPath = isAbsolute(config.logPath) ? config.logPath : join(sandbox.config.logDirectory, config.logPath);
    mkdirSync(dirname(logPath), { recursive: true });
    writeFileSync(logPath, '', { flag: 'a' });
    const id = randomBytes(16).toString('hex');
    const status: ContainerStatus = { id, sandboxId, name: config.name, state: 'created', createdAt: new Date(), image: config.image, imageRef: image.id, logPath };
    this.#containers.set(id, { status });
    this.#emit(status, ContainerEventType.Created);
    return id;
  }

  async startContainer(containerId: string): Promise<void> {
    const { status } = this.#get(containerId);
    if (status.state !== 'created') throw new RuntimeError('FailedPrecondition', `container ${containerId} is ${status.state}, not created`);
    status.state = 'running';
    status.startedAt = new Date();
    this.#emit(status, ContainerEventType.Started);
  }

  async stopContainer(containerId: string, _gracePeriodSeconds: number): Promise<void> {
    const { status } = this.#get(containerId);
    if (status.state === 'exited') return;
    Object.assign(status, { state: 'exited', finishedAt: new Date(), exitCode: 0, reason: TerminationReason.Completed });
    this.#emit(status, ContainerEventType.Stopped);
  }

  async removeContainer(containerId: string): Promise<void> {
    const container = this.#containers.get(containerId);
    if (!container) return;
    await this.stopContainer(containerId, 0);
    this.#containers.delete(containerId);
    this.#events.emit({ type: ContainerEventType.Deleted, containerId, sandboxId: container.status.sandboxId, at: new Date() });
  }

  async containerStatus(containerId: string): Promise<ContainerStatus> {
    return structuredClone(this.#get(containerId).status);
  }

  async listContainers(filter: ContainerFilter = {}): Promise<ContainerStatus[]> {
    return [...this.#containers.values()]
      .map((c) => c.status)
      .filter((s) => (filter.sandboxId === undefined || s.sandboxId === filter.sandboxId) && (filter.state === undefined || s.state === filter.state))
      .map((s) => structuredClone(s));
  }

  async listContainerStats(): Promise<ContainerStats[]> {
    const timestamp = new Date();
    return [...this.#containers.values()]
      .map((c) => c.status)
      .filter((s) => s.state === 'running')
      .map((s) => ({
        id: s.id,
        sandboxId: s.sandboxId,
        name: s.name,
        cpu: { timestamp, usageCoreNanoSeconds: Math.round((timestamp.getTime() - (s.startedAt ?? timestamp).getTime()) * NS_PER_MS * HOLLOW_CPU_CORES) },
        memory: { timestamp, workingSetBytes: HOLLOW_MEMORY_BYTES },
      }));
  }

  async execSync(containerId: string, _command: string[], _timeoutSeconds: number): Promise<ExecResult> {
    this.#get(containerId);
    return { exitCode: 0, stdout: new Uint8Array(0), stderr: new Uint8Array(0) };
  }

  onContainerEvent(listener: ContainerEventListener): Unsubscribe {
    return this.#events.subscribe(listener);
  }

  async close(): Promise<void> {
    for (const id of [...this.#sandboxes.keys()]) await this.removePodSandbox(id);
  }

  #get(containerId: string): HollowContainer {
    const container = this.#containers.get(containerId);
    if (!container) throw notFound('container', containerId);
    return container;
  }

  #emit(status: ContainerStatus, type: ContainerEventType): void {
    this.#events.emit({ type, containerId: status.id, sandboxId: status.sandboxId, at: new Date(), status: structuredClone(status) });
  }
}
