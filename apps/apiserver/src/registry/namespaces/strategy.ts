// Namespaces (pkg/registry/core/namespace): deleting one marks it Terminating; it goes only once
// spec.finalizers is empty too (the namespace controller empties it, then clears `kubernetes`).
import type { KindStrategy, StrategyObject } from '../strategy.js';

const specFinalizers = (obj: StrategyObject) => ((obj.spec ?? {}) as { finalizers?: string[] }).finalizers ?? [];

export const namespaceStrategy: KindStrategy = {
  blocksDeletion: (obj) => specFinalizers(obj).length > 0,
  prepareForDeletion(obj: StrategyObject): void {
    obj.status = { ...((obj.status ?? {}) as object), phase: 'Terminating' };
  },
};
