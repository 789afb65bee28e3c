// CycleState: scratch data of one scheduling cycle (one pod), written by PreFilter/PreScore and
// read by Filter/Score for every node, so per-pod work is done once and not once per node.
// Keys are typed objects, so a plugin reads back exactly the type it wrote.

/** A typed key; create one per plugin as a module constant. */
export class StateKey<T> {
  /** Never set: carries T so that `read` and `write` agree on the type. */
  declare private readonly _type: T;
  constructor(readonly name: string) {}
}

export class CycleState {
  private readonly data = new Map<StateKey<unknown>, unknown>();

  write<T>(key: StateKey<T>, value: T): void {
    this.data.set(key, value);
  }

  read<T>(key: StateKey<T>): T | undefined {
    return this.data.get(key) as T | undefined;
  }
}
