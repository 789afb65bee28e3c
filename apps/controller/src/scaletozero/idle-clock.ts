// IdleClock: since when each scale-to-zero Deployment has been idle, in this controller's memory
// (pure: time comes in as an argument; table-tested).
//
// Contract:
// - `since(key, now)` is when the Deployment's idle time began. A key not seen before starts at
//   `now`: a Deployment is never found idle for longer than this controller has watched it, so a
//   restart (or a new leader) never scales anything down early.
// - `restart(key, now)` starts the idle time again: a request reached its pods (non-zero rate),
//   the rate could not be read, or the Deployment was scaled up.
// - `forget(key)` drops a Deployment that is gone, at zero, or no longer annotated; seeing it again
//   starts a fresh clock.
// Kept in memory only, on purpose: after a restart the idle time is measured again from scratch.
export class IdleClock {
  private readonly started = new Map<string, number>();

  since(key: string, now: number): number {
    let t = this.started.get(key);
    if (t === undefined) this.started.set(key, (t = now));
    return t;
  }

  restart(key: string, now: number): void {
    this.started.set(key, now);
  }

  forget(key: string): void {
    this.started.delete(key);
  }

  /** Milliseconds idle at `now` (0 for a key not seen before, which starts its clock). */
  idleFor(key: string, now: number): number {
    return now - this.since(key, now);
  }
}
