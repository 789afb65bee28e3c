// HoldQueue: the requests held for one Service while it has no ready endpoint, with the two bounds
// of the activator (pure: time comes in as an argument; table-tested).
//
// Contract:
// - `add(item, now)` holds the item until `now + timeoutMs`, unless `limit` items are held
//   already: then it is refused at once (`QueueFull`), never queued past the bound.
// - `expire(now)` takes out every item whose deadline has come (deadline ≤ now), oldest first.
// - `take(pred)` takes out the items `pred` accepts (those whose route has an endpoint now), in
//   arrival order; `remove(item)` drops one (its client went away).
// - `nextDeadline()` is the earliest deadline left, for the one timer the activator keeps.
// Items are kept in arrival order; with one timeout for all, that is also deadline order.

export const HoldRefusals = {
  /** `limit` requests were held already. */
  QueueFull: 'QueueFull',
} as const;

export type Admission = { held: true; deadline: number } | { held: false; reason: (typeof HoldRefusals)[keyof typeof HoldRefusals] };

export class HoldQueue<T> {
  private readonly items = new Map<T, number>();

  constructor(
    private readonly limit: number,
    private readonly timeoutMs: number,
  ) {}

  get size(): number {
    return this.items.size;
  }

  add(item: T, now: number): Admission {
    if (this.items.size >= this.limit) return { held: false, reason: HoldRefusals.QueueFull };
    const deadline = now + this.timeoutMs;
    this.items.set(item, deadline);
    return { held: true, deadline };
  }

  remove(item: T): boolean {
    return this.items.delete(item);
  }

  expire(now: number): T[] {
    const out: T[] = [];
    for (const [item, deadline] of this.items) {
      if (deadline > now) break;
      out.push(item);
      this.items.delete(item);
    }
    return out;
  }

  take(pred: (item: T) => boolean): T[] {
    const out: T[] = [];
    for (const item of this.items.keys()) {
      if (!pred(item)) continue;
      out.push(item);
      this.items.delete(item);
    }
    return out;
  }

  nextDeadline(): number | undefined {
    for (const deadline of this.items.values()) return deadline;
    return undefined;
  }
}
