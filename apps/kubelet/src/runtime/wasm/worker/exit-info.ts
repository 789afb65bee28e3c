// Turns how a guest ended into an exit code and a Kubernetes termination reason.
// A trap while linear memory is at (or within OOM_SLACK of) the imposed limit means growing
// failed and the guest's allocator gave up: OOMKilled with 137, as a cgroup OOM kill reports.
// Any other trap is Error with 134 (128 + SIGABRT, what wasmtime reports for a trap).
import { EXIT_CODE_KILLED, TerminationReason } from '@kite/cri';
import type { ExitInfo } from './protocol.js';

/** Exit code of a guest that trapped. */
export const EXIT_CODE_TRAP = 134;
/** How close to the limit memory must be for a trap to count as out-of-memory. */
export const OOM_SLACK_BYTES = 1024 * 1024;

export function exitFromCode(code: number): ExitInfo {
  return { exitCode: code, reason: code === 0 ? TerminationReason.Completed : TerminationReason.Error };
}

export function exitFromTrap(error: unknown, memoryBytes: number, limitBytes: number | undefined): ExitInfo {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  if (limitBytes !== undefined && memoryBytes + Math.max(OOM_SLACK_BYTES, limitBytes / 16) >= limitBytes) {
    return { exitCode: EXIT_CODE_KILLED, reason: TerminationReason.OOMKilled, message: `memory limit of ${limitBytes} bytes reached (${text})` };
  }
  return { exitCode: EXIT_CODE_TRAP, reason: TerminationReason.Error, message: text };
}
