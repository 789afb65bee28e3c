// Runs one component as a child process, writes its output to a log file, and restarts it with
// exponential back-off when it exits unexpectedly (the launcher says so). stop() ends it cleanly:
// SIGTERM, then SIGKILL after a grace period.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';

/** First restart delay; doubles per crash up to MAX_BACKOFF_MS, reset after a stable run. */
const BASE_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 30_000;
/** A run this long counts as stable and resets the back-off. */
const STABLE_RUN_MS = 60_000;
const STOP_GRACE_MS = 5_000;

export interface ComponentSpec {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  logFile: string;
}

export type SupervisorEvent = { type: 'restarting'; name: string; code: number | null; signal: string | null; delayMs: number };

export class Supervised {
  private child: ChildProcess | undefined;
  private stopping = false;
  private backoffMs = BASE_BACKOFF_MS;
  private restartTimer: NodeJS.Timeout | undefined;
  private readonly log: WriteStream;
  restarts = 0;

  constructor(
    readonly spec: ComponentSpec,
    private readonly onEvent: (e: SupervisorEvent) => void,
  ) {
    this.log = createWriteStream(spec.logFile, { flags: 'a' });
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): void {
    const startedAt = Date.now();
    const child = spawn(this.spec.command, this.spec.args, { env: { ...process.env, ...this.spec.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    child.stdout?.pipe(this.log, { end: false });
    child.stderr?.pipe(this.log, { end: false });
    child.once('exit', (code, signal) => {
      if (this.stopping) return;
      if (Date.now() - startedAt > STABLE_RUN_MS) this.backoffMs = BASE_BACKOFF_MS;
      const delayMs = this.backoffMs;
      this.backoffMs = Math.min(this.backoffMs * 2, MAX_BACKOFF_MS);
      this.restarts++;
      this.onEvent({ type: 'restarting', name: this.spec.name, code, signal, delayMs });
      this.restartTimer = setTimeout(() => this.start(), delayMs);
    });
  }

  /** From now on an exit is expected: no restart. */
  expectExit(): void {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    }
    await new Promise<void>((resolve) => this.log.end(resolve));
  }
}
