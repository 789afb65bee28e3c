// One running container, seen from the plugin: a child process running its guest (guest/entry.ts).
// Contract: started resolves when the guest runs and rejects with the exit if it ends first;
// stop(graceMs) sends SIGTERM, waits up to graceMs, then SIGKILLs, which ends even a spinning
// guest; `exited` resolves exactly once, after the process is gone, with the child's own report
// or, when there is none, 137/Error if we killed it and 128+signal (or its code) otherwise.
// usage() reads /proc, counting CPU from when the guest started (not the child's start-up).
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { constants } from 'node:os';
import { EXIT_CODE_KILLED, EXIT_CODE_START_ERROR, TerminationReason, type GuestExit } from '@kite/cri';
import type { GuestJob, GuestToPlugin, PluginToGuest } from './guest/protocol.js';
import { processCpuNanoseconds, processRssBytes } from './proc-usage.js';

const ENTRY = new URL('./guest/entry.js', import.meta.url);
const PRELOAD = new URL('./guest/preload.js', import.meta.url);

export interface GuestUsage {
  cpuNanoseconds: number;
  memoryBytes: number;
}

function forkGuest(): ChildProcess {
  if (!existsSync(fileURLToPath(ENTRY))) throw new Error(`${fileURLToPath(ENTRY)} is missing: run \`npm run build -w @kite/runtime-wasmer\``);
  // execArgv replaces the plugin's own: the preload must reach the SDK's Workers, which inherit it.
  return fork(fileURLToPath(ENTRY), [], { execArgv: ['--import', PRELOAD.href], stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'json' });
}

function exitWithoutReport(code: number | null, signal: NodeJS.Signals | null, killed: boolean): GuestExit {
  if (killed) return { exitCode: EXIT_CODE_KILLED, reason: TerminationReason.Error, message: 'killed after the grace period' };
  if (signal) return { exitCode: 128 + (constants.signals[signal] ?? 0), reason: TerminationReason.Error, message: `the container's process ended by ${signal}` };
  return { exitCode: code || 1, reason: TerminationReason.Error, message: 'the container\'s process ended without a result' };
}

export class GuestProcess {
  readonly #child: ChildProcess;
  readonly exited: Promise<GuestExit>;
  readonly started: Promise<void>;
  #report: GuestExit | undefined;
  #killed = false;
  #gone = false;
  /** CPU the child had used when the guest started, and the last reading. */
  #cpu = { baseline: 0, last: 0 };

  constructor(job: GuestJob) {
    this.#child = forkGuest();
    this.#child.send({ type: 'run', job } satisfies PluginToGuest);
    this.exited = this.#whenGone();
    this.started = new Promise((resolve, reject) => {
      this.#child.on('message', (message: GuestToPlugin) => {
        if (message.type === 'running') {
          this.#cpu.baseline = this.#readCpu() ?? 0;
          resolve();
        } else this.#report ??= message.exit;
      });
      void this.exited.then(reject);
    });
    this.started.catch(() => undefined); // start() callers see the rejection; nobody else must.
  }

  /** Resolves once the process has exited and its IPC channel has delivered everything. */
  #whenGone(): Promise<GuestExit> {
    const exit = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => this.#child.once('exit', (code, signal) => resolve([code, signal])));
    const disconnected = new Promise<void>((resolve) => (this.#child.connected ? this.#child.once('disconnect', resolve) : resolve()));
    const failed = new Promise<GuestExit>((resolve) =>
      this.#child.once('error', (error) => resolve({ exitCode: EXIT_CODE_START_ERROR, reason: TerminationReason.StartError, message: error.message })),
    );
    const ended = Promise.all([exit, disconnected]).then(([[code, signal]]) => this.#report ?? exitWithoutReport(code, signal, this.#killed));
    return Promise.race([ended, failed]).then((result) => {
      this.#gone = true;
      return result;
    });
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  #readCpu(): number | undefined {
    return this.#child.pid === undefined ? undefined : processCpuNanoseconds(this.#child.pid);
  }

  usage(): GuestUsage {
    const now = this.#gone ? undefined : this.#readCpu();
    if (now !== undefined) this.#cpu.last = Math.max(this.#cpu.last, now - this.#cpu.baseline);
    const memoryBytes = this.#gone || this.#child.pid === undefined ? 0 : (processRssBytes(this.#child.pid) ?? 0);
    return { cpuNanoseconds: this.#cpu.last, memoryBytes };
  }

  async stop(graceMs: number): Promise<GuestExit> {
    if (!this.#gone && graceMs > 0) {
      this.#child.kill('SIGTERM');
      const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), graceMs).unref());
      if ((await Promise.race([this.exited, timer])) !== 'timeout') return this.exited;
    }
    return this.kill();
  }

  /** SIGKILL now; resolves with the exit once the process is gone. */
  kill(): Promise<GuestExit> {
    if (!this.#gone) {
      if (this.#report === undefined) this.#killed = true;
      this.#child.kill('SIGKILL');
    }
    return this.exited;
  }
}
