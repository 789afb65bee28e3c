// Pod sandboxes of a runtime whose sandboxes are bookkeeping only (the Wasm runtimes and hollow:
// a pod's "network namespace" is its 127.x pod IP, or no network at all), so that each of them
// keeps sandboxes the same way: ids minted here, configs copied in, snapshots copied out.
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { RuntimeError, notFound } from './errors.js';
import type { PodSandboxConfig, PodSandboxStatus } from './types.js';

/** A fresh runtime id: 32 hex digits, as sandbox and container ids are. */
export function newRuntimeId(): string {
  return randomBytes(16).toString('hex');
}

export class SandboxTable {
  readonly #sandboxes = new Map<string, PodSandboxStatus>();

  /** Records a ready sandbox (creating its log directory) and returns its id. */
  create(config: PodSandboxConfig): string {
    mkdirSync(config.logDirectory, { recursive: true });
    const sandbox: PodSandboxStatus = { id: newRuntimeId(), config: structuredClone(config), state: 'ready', createdAt: new Date() };
    this.#sandboxes.set(sandbox.id, sandbox);
    return sandbox.id;
  }

  /** Marks the sandbox notready; false for an unknown id. */
  markNotReady(sandboxId: string): boolean {
    const sandbox = this.#sandboxes.get(sandboxId);
    if (sandbox) sandbox.state = 'notready';
    return sandbox !== undefined;
  }

  delete(sandboxId: string): void {
    this.#sandboxes.delete(sandboxId);
  }

  /** A snapshot; throws RuntimeError NotFound for an unknown id. */
  status(sandboxId: string): PodSandboxStatus {
    const sandbox = this.#sandboxes.get(sandboxId);
    if (!sandbox) throw notFound('sandbox', sandboxId);
    return structuredClone(sandbox);
  }

  list(): PodSandboxStatus[] {
    return [...this.#sandboxes.values()].map((s) => structuredClone(s));
  }

  ids(): string[] {
    return [...this.#sandboxes.keys()];
  }

  /**
   * Where a new container of the sandbox logs: `logPath` under the sandbox's log directory
   * (or as given, when absolute). Throws NotFound, or FailedPrecondition when it is not ready.
   */
  containerLogPath(sandboxId: string, logPath: string): string {
    const sandbox = this.#sandboxes.get(sandboxId);
    if (!sandbox) throw notFound('sandbox', sandboxId);
    if (sandbox.state !== 'ready') throw new RuntimeError('FailedPrecondition', `sandbox ${sandboxId} is not ready`);
    return isAbsolute(logPath) ? logPath : join(sandbox.config.logDirectory, logPath);
  }
}
