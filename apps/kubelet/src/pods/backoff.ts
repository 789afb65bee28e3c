// Crash-loop back-off, as the Kubernetes kubelet computes it: the delay before restart number n is
// base * 2^(n-1), capped; a container that ran long enough resets it.
//   base 10 s, cap 300 s: restarts wait 10, 20, 40, 80, 160, 300, 300 ... seconds.

/** A container that ran this long before exiting starts its back-off again from the base. */
export const BACKOFF_RESET_MS = 10 * 60 * 1000;

export function restartDelaySeconds(previousDelay: number | undefined, ranForMs: number, baseSeconds: number, maxSeconds: number): number {
  if (previousDelay === undefined || ranForMs >= BACKOFF_RESET_MS) return Math.min(baseSeconds, maxSeconds);
  return Math.min(previousDelay * 2, maxSeconds);
}
