// One back-off policy for everything the kubelet retries with growing delays: crash-loop restarts
// and image pulls, as the Kubernetes kubelet keeps one flowcontrol.Backoff for each of them.
//
// Contract:
// - Entries are per key (`backoffKey`: a pod's container). `next(key, now)` records a failure at
//   `now` and returns the new entry: its delay and the time the back-off ends (epoch ms).
// - The delay of failure n is base * 2^(n-1), capped:
//     base 10 s, cap 300 s: 10, 20, 40, 80, 160, 300, 300 ... seconds.
// - A stable run starts over from the base: `next(key, now, ranForMs)` with ranForMs at least
//   `resetAfterMs` (crash loop: a container that ran 10 minutes). `reset(key)` forgets the key
//   (an image that was pulled after all, a pod that is gone).
// - Pure: the caller passes the time, so tests drive it with a fake clock.

export interface BackoffPolicy {
  /** The first delay, in seconds. */
  readonly baseSeconds: number;
  /** The cap, in seconds. */
  readonly maxSeconds: number;
  /** A failure after a run at least this long (ms) starts again from the base. */
  readonly resetAfterMs?: number;
}

export interface BackoffEntry {
  /** The current delay, in seconds (shown in messages: "back-off 20s ..."). */
  readonly delaySeconds: number;
  /** When the back-off ends (epoch ms). */
  readonly until: number;
}

/** A container that ran this long before exiting starts its back-off again from the base. */
export const BACKOFF_RESET_MS = 10 * 60 * 1000;

/** Image pull back-off: Kubernetes' backOffPeriod and MaxContainerBackOff, 10 s doubling to 300 s. */
export const IMAGE_PULL_BACKOFF: BackoffPolicy = { baseSeconds: 10, maxSeconds: 300 };

/** The key of one container of one pod. */
export const backoffKey = (podUid: string, container: string): string => `${podUid}/${container}`;

export class Backoff {
  private readonly entries = new Map<string, BackoffEntry>();

  constructor(readonly policy: BackoffPolicy) {}

  /** Records a failure at `now` (after a run of `ranForMs`, if it ran) and returns the new entry. */
  next(key: string, now: number, ranForMs?: number): BackoffEntry {
    const { baseSeconds, maxSeconds, resetAfterMs } = this.policy;
    const previous = this.entries.get(key);
    const stable = ranForMs !== undefined && resetAfterMs !== undefined && ranForMs >= resetAfterMs;
    const delaySeconds = Math.min(previous && !stable ? previous.delaySeconds * 2 : baseSeconds, maxSeconds);
    const entry: BackoffEntry = { delaySeconds, until: now + delaySeconds * 1000 };
    this.entries.set(key, entry);
    return entry;
  }

  get(key: string): BackoffEntry | undefined {
    return this.entries.get(key);
  }

  /** Milliseconds until the key's back-off ends; 0 when it is not backing off. */
  remainingMs(key: string, now: number): number {
    const entry = this.entries.get(key);
    return entry ? Math.max(0, entry.until - now) : 0;
  }

  inBackoff(key: string, now: number): boolean {
    return this.remainingMs(key, now) > 0;
  }

  reset(key: string): void {
    this.entries.delete(key);
  }
}

/** The kubelet's two back-offs, one Backoff (one policy shape) each. */
export interface ContainerBackoffs {
  /** Restarts of exited containers (CrashLoopBackOff); base and cap from the kubelet config. */
  readonly crashLoop: Backoff;
  /** Failed image pulls (ImagePullBackOff). */
  readonly imagePull: Backoff;
}

export function containerBackoffs(cfg: { backoffBaseSeconds: number; backoffMaxSeconds: number }): ContainerBackoffs {
  return {
    crashLoop: new Backoff({ baseSeconds: cfg.backoffBaseSeconds, maxSeconds: cfg.backoffMaxSeconds, resetAfterMs: BACKOFF_RESET_MS }),
    imagePull: new Backoff(IMAGE_PULL_BACKOFF),
  };
}

/** Forgets a pod's back-offs (the pod is gone). */
export function forgetPodBackoffs(backoffs: ContainerBackoffs, podUid: string, containers: Iterable<string>): void {
  for (const name of containers) {
    backoffs.crashLoop.reset(backoffKey(podUid, name));
    backoffs.imagePull.reset(backoffKey(podUid, name));
  }
}
