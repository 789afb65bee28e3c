// The containers of a runtime that runs each container as a guest it can always kill (a Worker
// thread, a child process): their records, the CRI lifecycle created → running → exited, and the
// container events, so that every such runtime keeps the same semantics.
// The runtime supplies two steps: prepare (the slow work, at create time: compile, rewrite the
// memory limit; or the exit of a container that cannot run at all) and launch (start the guest).
// Contract of the lifecycle, as types.ts states it for RuntimeService:
// - start resolves once the guest runs; a guest that ends first leaves the container exited
//   (StartError, or how it ended) and start rejects. Started is always emitted before Stopped.
// - stop asks, waits up to the grace period, then kills: the guest's own exit, or 137 / Error.
// - remove kills the guest if needed and forgets the container.
import { RuntimeError, notFound } from './errors.js';
import { ContainerEventHub } from './events.js';
import type { GuestExit } from './exit-info.js';
import type { StoredImage } from './images/store.js';
import { newRuntimeId, type SandboxTable } from './sandbox-table.js';
import {
  ContainerEventType,
  EXIT_CODE_START_ERROR,
  TerminationReason,
  type ContainerConfig,
  type ContainerEventListener,
  type ContainerFilter,
  type ContainerStatus,
  type Unsubscribe,
} from './types.js';

/** A running guest, as the runtime's launch step returns it. */
export interface RunningGuest {
  /** Resolves once the guest runs; rejects if it ends first. */
  readonly started: Promise<void>;
  /** Resolves exactly once, after the guest is gone, with how it ended. */
  readonly exited: Promise<GuestExit>;
  /** Asks the guest to stop, kills it after `graceMs`; resolves with its exit. */
  stop(graceMs: number): Promise<GuestExit>;
  /** Kills the guest now; resolves with its exit. */
  kill(): Promise<GuestExit>;
}

/** What the prepare step decided: the job to launch, or how the container ends unstarted. */
export type Prepared<Job> = { job: Job } | { cannotRun: GuestExit };

export interface GuestContainer<Job, Guest extends RunningGuest> {
  readonly id: string;
  readonly sandboxId: string;
  readonly config: ContainerConfig;
  readonly image: StoredImage;
  /** Absolute path of the CRI log file. */
  readonly logPath: string;
  readonly createdAt: Date;
  readonly prepared: Prepared<Job>;
  state: ContainerStatus['state'];
  guest?: Guest;
  startedAt?: Date;
  finishedAt?: Date;
  exit?: GuestExit;
}

export interface GuestSteps<Job, Guest extends RunningGuest> {
  /** Create-time work; throws RuntimeError for a config the runtime refuses. */
  prepare(config: ContainerConfig, image: StoredImage, logPath: string): Promise<Prepared<Job>>;
  /** Starts the guest; throws when it cannot even be launched. */
  launch(job: Job): Guest;
}

export class GuestContainers<Job, Guest extends RunningGuest> {
  readonly #containers = new Map<string, GuestContainer<Job, Guest>>();
  readonly #events = new ContainerEventHub();
  readonly #sandboxes: SandboxTable;
  readonly #steps: GuestSteps<Job, Guest>;

  constructor(sandboxes: SandboxTable, steps: GuestSteps<Job, Guest>) {
    this.#sandboxes = sandboxes;
    this.#steps = steps;
  }

  async create(sandboxId: string, config: ContainerConfig, image: StoredImage | undefined): Promise<string> {
    const logPath = this.#sandboxes.containerLogPath(sandboxId, config.logPath);
    if (!image) throw new RuntimeError('FailedPrecondition', `image ${config.image} has not been pulled`);
    const copy = structuredClone(config);
    const prepared = await this.#steps.prepare(copy, image, logPath);
    const container: GuestContainer<Job, Guest> = { id: newRuntimeId(), sandboxId, config: copy, image, logPath, createdAt: new Date(), prepared, state: 'created' };
    this.#containers.set(container.id, container);
    this.#emit(container, ContainerEventType.Created);
    return container.id;
  }

  async start(containerId: string): Promise<void> {
    const container = this.#get(containerId);
    if (container.state !== 'created') throw new RuntimeError('FailedPrecondition', `container ${containerId} is ${container.state}, not created`);
    container.state = 'running';
    container.startedAt = new Date();
    if ('cannotRun' in container.prepared) {
      this.#emit(container, ContainerEventType.Started);
      this.#finish(container, container.prepared.cannotRun);
      return;
    }
    let guest: Guest;
    try {
      guest = this.#steps.launch(container.prepared.job);
    } catch (error) {
      this.#finish(container, { exitCode: EXIT_CODE_START_ERROR, reason: TerminationReason.StartError, message: (error as Error).message });
      throw new RuntimeError('Internal', `container ${container.config.name} failed to start: ${(error as Error).message}`);
    }
    container.guest = guest;
    // A quick command may exit right after it starts: report Started before Stopped.
    void guest.exited.then(async (exit) => {
      await guest.started.catch(() => undefined);
      this.#finish(container, exit);
    });
    try {
      await guest.started;
    } catch {
      const exit = await guest.exited;
      this.#finish(container, exit);
      throw new RuntimeError('Internal', `container ${container.config.name} failed to start: ${exit.message ?? exit.reason}`);
    }
    this.#emit(container, ContainerEventType.Started);
  }

  async stop(containerId: string, gracePeriodSeconds: number): Promise<void> {
    const container = this.#get(containerId);
    if (container.state === 'created') this.#finish(container, { exitCode: 0, reason: TerminationReason.Completed, message: 'stopped before start' });
    if (container.state !== 'running' || !container.guest) return;
    this.#finish(container, await container.guest.stop(Math.max(0, gracePeriodSeconds) * 1000));
  }

  async remove(containerId: string): Promise<void> {
    const container = this.#containers.get(containerId);
    if (!container) return;
    if (container.guest) this.#finish(container, await container.guest.kill());
    this.#containers.delete(containerId);
    this.#events.emit({ type: ContainerEventType.Deleted, containerId, sandboxId: container.sandboxId, at: new Date() });
  }

  /** Stops (grace 0) every container of the sandbox. */
  async stopAll(sandboxId: string): Promise<void> {
    await Promise.all(this.#of(sandboxId).map((c) => this.stop(c.id, 0)));
  }

  async removeAll(sandboxId: string): Promise<void> {
    await Promise.all(this.#of(sandboxId).map((c) => this.remove(c.id)));
  }

  ids(): string[] {
    return [...this.#containers.keys()];
  }

  /** The record, for runtime-specific questions (exec, stats); throws NotFound. */
  get(containerId: string): Readonly<GuestContainer<Job, Guest>> {
    return this.#get(containerId);
  }

  /** Running containers with their guests (for listContainerStats). */
  running(): Array<Readonly<GuestContainer<Job, Guest>> & { guest: Guest }> {
    return [...this.#containers.values()].filter((c): c is GuestContainer<Job, Guest> & { guest: Guest } => c.state === 'running' && c.guest !== undefined);
  }

  status(containerId: string): ContainerStatus {
    return this.#status(this.#get(containerId));
  }

  list(filter: ContainerFilter = {}): ContainerStatus[] {
    return [...this.#containers.values()]
      .filter((c) => (filter.sandboxId === undefined || c.sandboxId === filter.sandboxId) && (filter.state === undefined || c.state === filter.state))
      .map((c) => this.#status(c));
  }

  onEvent(listener: ContainerEventListener): Unsubscribe {
    return this.#events.subscribe(listener);
  }

  #of(sandboxId: string): Array<GuestContainer<Job, Guest>> {
    return [...this.#containers.values()].filter((c) => c.sandboxId === sandboxId);
  }

  #get(containerId: string): GuestContainer<Job, Guest> {
    const container = this.#containers.get(containerId);
    if (!container) throw notFound('container', containerId);
    return container;
  }

  #finish(container: GuestContainer<Job, Guest>, exit: GuestExit): void {
    if (container.state === 'exited') return;
    container.state = 'exited';
    container.exit = exit;
    container.finishedAt = new Date();
    this.#emit(container, ContainerEventType.Stopped);
  }

  #status(c: GuestContainer<Job, Guest>): ContainerStatus {
    return guestContainerStatus(c);
  }

  #emit(container: GuestContainer<Job, Guest>, type: ContainerEventType): void {
    this.#events.emit({ type, containerId: container.id, sandboxId: container.sandboxId, at: new Date(), status: this.#status(container) });
  }
}

/** What a Wasm runtime knows of a container, as a ContainerStatus snapshot. */
export type GuestStatusFields = Pick<GuestContainer<unknown, RunningGuest>, 'id' | 'sandboxId' | 'config' | 'logPath' | 'createdAt' | 'state' | 'startedAt' | 'finishedAt' | 'exit'> & { image: { id: string } };

export function guestContainerStatus(c: GuestStatusFields): ContainerStatus {
  return {
    id: c.id,
    sandboxId: c.sandboxId,
    name: c.config.name,
    state: c.state,
    createdAt: c.createdAt,
    startedAt: c.startedAt,
    finishedAt: c.finishedAt,
    exitCode: c.exit?.exitCode,
    reason: c.exit?.reason,
    message: c.exit?.message,
    image: c.config.image,
    imageRef: c.image.id,
    logPath: c.logPath,
  };
}
