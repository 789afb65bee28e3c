// How a Wasm guest ended, as an exit code and a Kubernetes termination reason, for every Wasm
// runtime (the built-in one and plugins such as runtime-wasmer) to decide it the same way.
// A trap while linear memory is at (or within OOM_SLACK of) the imposed limit means growing
// failed and the guest's allocator gave up: OOMKilled with 137, as a cgroup OOM kill reports.
// Any other trap is Error with 134 (128 + SIGABRT, what wasmtime reports for a trap).
import { EXIT_CODE_KILLED, TerminationReason } from './types.js';

/** How a container ended. */
export interface GuestExit {
  exitCode: number;
  reason: TerminationReason;
  message?: string;
}

/** Exit code of a guest that trapped. */
export const EXIT_CODE_TRAP = 134;
/** How close to the limit memory must be for a trap to count as out-of-memory (at least). */
export const OOM_SLACK_BYTES = 1024 * 1024;

/** A guest that exited on its own with `code`. */
export function guestExitFromCode(code: number): GuestExit {
  return { exitCode: code, reason: code === 0 ? TerminationReason.Completed : TerminationReason.Error };
}

/**
 * A guest that trapped with `error` while its linear memory held `memoryBytes`.
 * Worked example: limit 32 MiB, slack max(1 MiB, 32 MiB / 16) = 2 MiB, so a trap at 30.5 MiB
 * or more is OOMKilled and a trap at 29 MiB is an Error.
 */
export function guestExitFromTrap(error: unknown, memoryBytes: number, limitBytes: number | undefined): GuestExit {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  if (limitBytes !== undefined && memoryBytes + Math.max(OOM_SLACK_BYTES, limitBytes / 16) >= limitBytes) {
    return { exitCode: EXIT_CODE_KILLED, reason: TerminationReason.OOMKilled, message: `memory limit of ${limitBytes} bytes reached (${text})` };
  }
  return { exitCode: EXIT_CODE_TRAP, reason: TerminationReason.Error, message: text };
}
