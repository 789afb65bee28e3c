// Delivers container events to subscribers, asynchronously and in order.
// Why async: a listener must never run while the runtime is half-way through changing a
// container's state (the client-node pitfall STYLE.md warns about); events queue on microtasks.
import type { ContainerEvent, ContainerEventListener, Unsubscribe } from './types.js';

export class ContainerEventHub {
  readonly #listeners = new Set<ContainerEventListener>();

  subscribe(listener: ContainerEventListener): Unsubscribe {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(event: ContainerEvent): void {
    const listeners = [...this.#listeners];
    queueMicrotask(() => {
      for (const listener of listeners) {
        try {
          listener(event);
        } catch {
          // A failing listener must not stop the others or the runtime.
        }
      }
    });
  }
}
