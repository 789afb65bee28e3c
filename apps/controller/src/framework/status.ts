// Whether a freshly computed status is worth a write: some field it sets differs from the stored
// status (fields it leaves out are not compared). Shared by the DaemonSet and StatefulSet syncs.
import type { DeepReadonly } from '@kite/client';

export function statusChanged<S extends object>(current: DeepReadonly<S> | undefined, next: S): boolean {
  const stored = current as Record<string, unknown> | undefined;
  return Object.entries(next).some(([k, v]) => JSON.stringify(stored?.[k]) !== JSON.stringify(v));
}
