// One running container: a Worker executing a WorkerJob, seen from the kubelet thread.
// Contract: start() resolves when the guest runs (a server listens) and rejects with the
// exit info if it ends first; stop(graceMs) asks politely, then terminate()s the Worker
// (which stops even a spinning guest in milliseconds); `exited` resolves exactly once.
// usage() measures the Worker without asking it (the guest may be spinning): CPU from its
// thread's /proc entry since the job began, memory from the Worker's last report.
import type { Worker } from 'node:worker_threads';
import { CriLogWriter } from '@kite/cri';
import { EXIT_CODE_KILLED, TerminationReason } from '@kite/cri';
import { threadCpuNanoseconds } from './thread-usage.js';
import type { ExitInfo, HostToWorker, WorkerJob, WorkerMemory, WorkerToHost } from './worker/protocol.js';

/** A container's usage as usage() reads it. */
export interface WorkerUsage {
  /** CPU nanoseconds the Worker's thread used since it received its job. */
  cpuNanoseconds: number;
  /** JS heap plus external memory (linear memories) at the Worker's last report. */
  memoryBytes: number;
}

/** The Worker's JS thread, as /proc names it, and its CPU time when the job began. */
interface ThreadClock {
  tid: number;
  /** CPU the thread used booting (in the pool), not counted to the container. */
  baseline: number;
  /** The last reading, kept for when the thread has ended. */
  last: number;
}

export class WorkerContainer {
  readonly #worker: Worker;
  readonly #log: CriLogWriter;
  #result: ExitInfo | undefined;
  #killed = false;
  readonly exited: Promise<ExitInfo>;
  readonly #ready: Promise<void>;
  #thread: ThreadClock | undefined;
  /** The Worker's thread has ended. */
  #gone = false;
  #memory: WorkerMemory = { heapBytes: 0, externalBytes: 0 };

  /** Runs `job` on `worker`, a fresh Worker from the WorkerPool. */
  constructor(worker: Worker, job: WorkerJob) {
    this.#log = new CriLogWriter(job.logPath);
    this.#worker = worker;
    this.#worker.postMessage({ type: 'job', job } satisfies HostToWorker);
    // Anything the Worker prints outside the guest host (e.g. a component shim) is container output.
    this.#worker.stdout.on('data', (b: Buffer) => this.#log.write('stdout', b));
    this.#worker.stderr.on('data', (b: Buffer) => this.#log.write('stderr', b));
    this.exited = new Promise((resolve) => {
      this.#worker.once('exit', (code) => {
        this.#gone = true;
        this.#log.close();
        resolve(this.#result ?? this.#unexpectedExit(code));
      });
    });
    this.#ready = new Promise((resolve, reject) => {
      this.#worker.on('message', (message: WorkerToHost) => {
        if (message.type === 'ready') resolve();
        else if (message.type === 'thread') this.#thread = { tid: message.tid, baseline: threadCpuNanoseconds(message.tid) ?? 0, last: 0 };
        else if (message.type === 'usage') this.#memory = { heapBytes: message.heapBytes, externalBytes: message.externalBytes };
        else this.#result ??= { exitCode: message.exitCode, reason: message.reason, message: message.message };
      });
      void this.exited.then(reject);
    });
    this.#ready.catch(() => undefined); // start() callers see the rejection; nobody else must.
    this.#worker.on('error', (error: Error & { code?: string }) => {
      this.#result ??=
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? { exitCode: EXIT_CODE_KILLED, reason: TerminationReason.OOMKilled, message: 'host heap limit reached' }
          : { exitCode: 1, reason: TerminationReason.Error, message: error.message };
    });
  }

  #unexpectedExit(code: number): ExitInfo {
    if (this.#killed) return { exitCode: EXIT_CODE_KILLED, reason: TerminationReason.Error, message: 'killed after the grace period' };
    return { exitCode: code === 0 ? 1 : code, reason: TerminationReason.Error, message: 'runtime worker ended without a result' };
  }

  /** Reads the container's usage now: one /proc file, no message to the Worker. */
  async usage(): Promise<WorkerUsage> {
    const memoryBytes = this.#memory.heapBytes + this.#memory.externalBytes;
    const thread = this.#thread;
    if (!thread) return { cpuNanoseconds: 0, memoryBytes };
    const now = threadCpuNanoseconds(thread.tid);
    const baseline = thread.baseline;
    // A thread that has ended keeps its last reading (its tid may be reused by another thread).
    if (now !== undefined && !this.#gone) thread.last = Math.max(thread.last, now - baseline);
    return { cpuNanoseconds: thread.last, memoryBytes };
  }

  start(): Promise<void> {
    return this.#ready;
  }

  async stop(graceMs: number): Promise<ExitInfo> {
    if (this.#result === undefined && graceMs > 0) {
      this.#worker.postMessage({ type: 'stop' } satisfies HostToWorker);
      const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), graceMs).unref());
      if ((await Promise.race([this.exited, timer])) !== 'timeout') return this.exited;
    }
    await this.kill();
    return this.exited;
  }

  async kill(): Promise<void> {
    if (this.#result === undefined) this.#killed = true;
    await this.#worker.terminate();
  }
}
