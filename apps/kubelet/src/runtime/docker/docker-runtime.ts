// The Docker runtime (BRIEF §4): the runtime interface (types.ts) on a Docker Engine, as
// Kubernetes' dockershim did it. A pod is a sandbox container holding the network and IPC
// namespaces, its ports published on the pod IP (sandbox-spec.ts); the pod's containers join
// it (container-spec.ts); labels tie every container to its node and pod (labels.ts), so the
// engine itself is the state: this class keeps no table of sandboxes or containers, and a
// restarted kubelet sees exactly what runs. Exits arrive from the engine's event stream
// (engine-events.ts); output is copied into CRI log files (log-pump.ts).
//
// Containers outlive the kubelet: close() only lets go of the engine (as the Wasm runtime's
// daemon keeps its pods when the kubelet stops); pods are stopped by the kubelet, one by one.
import { readyStatus, versionInfo, type RuntimeStatus, type VersionInfo } from '@kite/cri';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import type Dockerode from 'dockerode';
import type { Logger } from '@kite/component-base';
import { ContainerEventHub } from '@kite/cri';
import { RuntimeError, notFound } from '@kite/cri';
import { ContainerEventType, type ContainerConfig, type ContainerEventListener, type ContainerFilter, type ContainerRuntime, type ContainerStats, type ContainerStatus, type ExecResult, type ImageInfo, type PodSandboxConfig, type PodSandboxStatus, type Unsubscribe } from '@kite/cri';
import { containerCreateOptions } from './container-spec.js';
import { dockerClient, pingEngine, statusOf, tolerate, toRuntimeError } from './engine.js';
import { EngineEvents, type EngineAction, type EngineEvent } from './engine-events.js';
import { execInContainer } from './exec.js';
import { DockerImages } from './images.js';
import { inScope, Label, scopeFilters, type ContainerKind, type DockerScope } from './labels.js';
import { ensureBusyboxImage, localImageId } from './local-images.js';
import { LogPumps } from './log-pump.js';
import { DEFAULT_SANDBOX_IMAGE, SANDBOX_COMMAND, sandboxCreateOptions } from './sandbox-spec.js';
import { containerStatsOf, readEngineStats } from './stats.js';
import { containerState, containerStatusOf, sandboxStatusOf } from './status.js';

export interface DockerRuntimeOptions {
  /** Which containers are this kubelet's (labels.ts). */
  scope: DockerScope;
  /** Default: a client for DOCKER_HOST, else the local socket. */
  docker?: Dockerode;
  /** Default DEFAULT_SANDBOX_IMAGE, built from busybox when missing; any other must be present. */
  sandboxImage?: string;
  /** A pull silent for this long fails (images.ts); default DEFAULT_PULL_STALL_MS. */
  pullStallMs?: number;
  pingTimeoutMs?: number;
  log?: Logger;
}

/** Longest a status read waits for an exited container's output to reach its log file. */
const LOG_DRAIN_MS = 1000;
/** Engine container ids are 64 hex digits; anything else is not ours (e.g. a Wasm id). */
const CONTAINER_ID = /^[0-9a-f]{64}$/;

const EVENT_TYPES: Record<EngineAction, ContainerEventType> = {
  create: ContainerEventType.Created,
  start: ContainerEventType.Started,
  die: ContainerEventType.Stopped,
  destroy: ContainerEventType.Deleted,
};

export class DockerRuntime implements ContainerRuntime {
  readonly name = 'docker' as const;
  readonly #docker: Dockerode;
  readonly #scope: DockerScope;
  readonly #sandboxImage: string;
  readonly #images: DockerImages;
  readonly #logs: LogPumps;
  readonly #hub = new ContainerEventHub();
  readonly #engineEvents: EngineEvents;
  /** Engine events are turned into runtime events one at a time, so they stay in order. */
  #delivery: Promise<void> = Promise.resolve();

  private constructor(docker: Dockerode, private readonly options: DockerRuntimeOptions) {
    this.#docker = docker;
    this.#scope = options.scope;
    this.#sandboxImage = options.sandboxImage ?? DEFAULT_SANDBOX_IMAGE;
    this.#images = new DockerImages(docker, options.pullStallMs);
    this.#logs = new LogPumps(docker);
    const filters = scopeFilters(this.#scope, 'container');
    this.#engineEvents = new EngineEvents(docker, filters, (e) => this.#onEngineEvent(e), (err) => options.log?.warn({ err }, 'docker event stream'));
  }

  /** Connects to the engine (rejecting if it does not answer), ready to run pods. */
  static async connect(options: DockerRuntimeOptions): Promise<DockerRuntime> {
    const docker = options.docker ?? dockerClient();
    await pingEngine(docker, options.pingTimeoutMs);
    const runtime = new DockerRuntime(docker, options);
    await runtime.#init();
    return runtime;
  }

  async #init(): Promise<void> {
    if (this.#sandboxImage === DEFAULT_SANDBOX_IMAGE) {
      await ensureBusyboxImage(this.#docker, { ref: this.#sandboxImage, applets: ['sleep'], cmd: SANDBOX_COMMAND, labels: { [Label.Managed]: 'true' } });
    } else if (!(await localImageId(this.#docker, this.#sandboxImage))) {
      throw new Error(`sandbox image ${this.#sandboxImage} is not on the engine`);
    }
    await this.#engineEvents.start();
    for (const c of await this.#list('container')) await this.#logs.resume(c.Id, c.Labels[Label.LogPath] ?? '');
  }

  // ---- images --------------------------------------------------------------------------

  pullImage(ref: string): Promise<string> {
    return this.#images.pull(ref);
  }

  imageStatus(ref: string): Promise<ImageInfo | undefined> {
    return this.#images.status(ref);
  }

  listImages(): Promise<ImageInfo[]> {
    return this.#images.list();
  }

  removeImage(ref: string): Promise<void> {
    return this.#images.remove(ref);
  }

  // ---- sandboxes -----------------------------------------------------------------------

  async version(): Promise<VersionInfo> {
    const v = await this.#docker.version().catch((error: unknown) => {
      throw toRuntimeError(error, 'reading the engine version');
    });
    return versionInfo('docker', `${v.Version} (API ${v.ApiVersion})`);
  }

  /** RuntimeReady follows the engine answering a ping; the sandbox network is the engine's own. */
  async status(): Promise<RuntimeStatus> {
    try {
      await pingEngine(this.#docker, this.options.pingTimeoutMs);
      return readyStatus();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { conditions: [{ type: 'RuntimeReady', status: false, reason: 'DockerDaemonNotReady', message }, { type: 'NetworkReady', status: true }] };
    }
  }

  async runPodSandbox(config: PodSandboxConfig): Promise<string> {
    mkdirSync(config.logDirectory, { recursive: true });
    const pod = `${config.namespace}/${config.name}`;
    let id: string;
    try {
      id = (await this.#docker.createContainer(sandboxCreateOptions(this.#scope, config, this.#sandboxImage))).id;
    } catch (error) {
      throw toRuntimeError(error, `creating the sandbox of pod ${pod}`);
    }
    try {
      await this.#docker.getContainer(id).start();
    } catch (error) {
      await tolerate(this.#docker.getContainer(id).remove({ force: true }), 404, 409);
      throw toRuntimeError(error, `starting the sandbox of pod ${pod} on ${config.podIP}`);
    }
    return id;
  }

  async stopPodSandbox(sandboxId: string): Promise<void> {
    const containers = await this.#list('container', sandboxId);
    await Promise.all(containers.map((c) => this.stopContainer(c.Id, 0).catch(() => undefined)));
    await tolerate(this.#docker.getContainer(sandboxId).kill(), 404, 409, 304);
  }

  async removePodSandbox(sandboxId: string): Promise<void> {
    const containers = await this.#list('container', sandboxId);
    await Promise.all(containers.map((c) => this.removeContainer(c.Id)));
    await tolerate(this.#docker.getContainer(sandboxId).remove({ force: true }), 404, 409);
  }

  async podSandboxStatus(sandboxId: string): Promise<PodSandboxStatus> {
    const info = await this.#inspect(sandboxId, 'sandbox');
    const status = sandboxStatusOf({ Id: info.Id, Labels: info.Config.Labels, State: info.State.Status, Created: Date.parse(info.Created) / 1000 });
    if (!status) throw notFound('sandbox', sandboxId);
    return status;
  }

  async listPodSandboxes(): Promise<PodSandboxStatus[]> {
    return (await this.#list('sandbox')).flatMap((c) => sandboxStatusOf(c) ?? []);
  }

  // ---- containers ----------------------------------------------------------------------

  async createContainer(sandboxId: string, config: ContainerConfig): Promise<string> {
    const sandbox = await this.podSandboxStatus(sandboxId);
    if (sandbox.state !== 'ready') throw new RuntimeError('FailedPrecondition', `sandbox ${sandboxId} is not ready`);
    const logPath = isAbsolute(config.logPath) ? config.logPath : join(sandbox.config.logDirectory, config.logPath);
    mkdirSync(dirname(logPath), { recursive: true });
    writeFileSync(logPath, '', { flag: 'a' });
    try {
      const options = containerCreateOptions({ scope: this.#scope, sandboxId, sandbox: sandbox.config, config, logPath });
      return (await this.#docker.createContainer(options)).id;
    } catch (error) {
      if (statusOf(error) === 404) throw new RuntimeError('FailedPrecondition', `image "${config.image}" is not on the engine: pull it first`);
      throw toRuntimeError(error, `creating container ${config.name}`);
    }
  }

  async startContainer(containerId: string): Promise<void> {
    const info = await this.#inspect(containerId, 'container');
    if (containerState(info.State) !== 'created') throw new RuntimeError('FailedPrecondition', `container ${containerId} is ${containerState(info.State)}, not created`);
    try {
      await this.#docker.getContainer(containerId).start();
    } catch (error) {
      // The engine reports no `die` for a process that never ran: say it stopped ourselves.
      this.#enqueue({ action: 'die', id: containerId, labels: info.Config.Labels ?? {} });
      throw toRuntimeError(error, `starting container ${info.Config.Labels?.[Label.ContainerName] ?? containerId}`);
    }
    this.#logs.start(containerId, info.Config.Labels?.[Label.LogPath] ?? '');
  }

  async stopContainer(containerId: string, gracePeriodSeconds: number): Promise<void> {
    await this.#inspect(containerId, 'container');
    // The engine sends the stop signal (SIGTERM unless the image says otherwise), waits `t`
    // seconds, then kills; 304 means it had already stopped.
    const t = Math.max(0, Math.ceil(gracePeriodSeconds));
    try {
      await tolerate(this.#docker.getContainer(containerId).stop({ t }), 304, 404);
    } catch (error) {
      throw toRuntimeError(error, `stopping container ${containerId}`);
    }
  }

  async removeContainer(containerId: string): Promise<void> {
    if (!CONTAINER_ID.test(containerId)) return;
    // An exited container's pump has drained already: containerStatus waited for it.
    this.#logs.stop(containerId);
    try {
      await tolerate(this.#docker.getContainer(containerId).remove({ force: true }), 404, 409);
    } catch (error) {
      throw toRuntimeError(error, `removing container ${containerId}`);
    }
  }

  async containerStatus(containerId: string): Promise<ContainerStatus> {
    const info = await this.#inspect(containerId, 'container');
    // Report an exit only once the container's last words are in its log file.
    if (containerState(info.State) === 'exited') await this.#logs.drained(containerId, LOG_DRAIN_MS);
    return containerStatusOf(info, await this.#images.imageRef(info.Image));
  }

  async listContainers(filter: ContainerFilter = {}): Promise<ContainerStatus[]> {
    const listed = await this.#list('container', filter.sandboxId);
    const statuses = await Promise.all(listed.map((c) => this.containerStatus(c.Id).catch(() => undefined)));
    return statuses.filter((s): s is ContainerStatus => s !== undefined && (filter.state === undefined || s.state === filter.state));
  }

  /** One one-shot engine reading per running container, all at once (stats.ts); sandboxes are not containers of the pod. */
  async listContainerStats(): Promise<ContainerStats[]> {
    let running: Dockerode.ContainerInfo[];
    try {
      running = await this.#docker.listContainers({ filters: { label: scopeFilters(this.#scope, 'container'), status: ['running'] } });
    } catch (error) {
      throw toRuntimeError(error, 'listing running containers');
    }
    const read = await Promise.all(
      running.map(async (c) => {
        const stats = await readEngineStats(this.#docker, c.Id);
        return stats && containerStatsOf(c.Id, c.Labels[Label.SandboxId] ?? '', c.Labels[Label.ContainerName] ?? '', stats, new Date());
      }),
    );
    return read.filter((s): s is ContainerStats => s !== undefined);
  }

  async execSync(containerId: string, command: string[], timeoutSeconds: number): Promise<ExecResult> {
    await this.#inspect(containerId, 'container');
    return execInContainer(this.#docker, containerId, command, timeoutSeconds);
  }

  onContainerEvent(listener: ContainerEventListener): Unsubscribe {
    return this.#hub.subscribe(listener);
  }

  async close(): Promise<void> {
    this.#engineEvents.close();
    this.#logs.stopAll();
    await this.#delivery;
  }

  // ---- helpers -------------------------------------------------------------------------

  /** Inspects a container of this kubelet, as `kind`; NotFound for anything else. */
  async #inspect(id: string, kind: ContainerKind): Promise<Dockerode.ContainerInspectInfo> {
    const what = kind === 'sandbox' ? 'sandbox' : 'container';
    if (!CONTAINER_ID.test(id)) throw notFound(what, id);
    let info: Dockerode.ContainerInspectInfo;
    try {
      info = await this.#docker.getContainer(id).inspect();
    } catch (error) {
      throw statusOf(error) === 404 ? notFound(what, id) : toRuntimeError(error, `inspecting ${what} ${id}`);
    }
    if (!inScope(info.Config.Labels, this.#scope, kind)) throw notFound(what, id);
    return info;
  }

  /** This kubelet's containers of one kind (of one sandbox), stopped ones included. */
  async #list(kind: ContainerKind, sandboxId?: string): Promise<Dockerode.ContainerInfo[]> {
    const label = scopeFilters(this.#scope, kind, sandboxId ? { [Label.SandboxId]: sandboxId } : {});
    try {
      return await this.#docker.listContainers({ all: true, filters: { label } });
    } catch (error) {
      throw toRuntimeError(error, 'listing containers');
    }
  }

  #onEngineEvent(event: EngineEvent): void {
    if (event.labels[Label.Kind] === 'container') this.#enqueue(event);
  }

  #enqueue(event: EngineEvent): void {
    this.#delivery = this.#delivery.then(() => this.#deliver(event)).catch((err: unknown) => this.options.log?.debug({ err }, 'container event not delivered'));
  }

  async #deliver(event: EngineEvent): Promise<void> {
    const type = EVENT_TYPES[event.action];
    const base = { type, containerId: event.id, sandboxId: event.labels[Label.SandboxId] ?? '', at: new Date() };
    if (type === ContainerEventType.Deleted) return this.#hub.emit(base);
    const status = await this.containerStatus(event.id).catch(() => undefined);
    this.#hub.emit(status ? { ...base, status } : base);
  }
}
