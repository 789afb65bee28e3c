// Finding the controller of an object in a cache: the owner its controller reference names, if
// the cache holds an object of that kind and name with the same uid (a reference to a deleted and
// re-created owner of the same name is not a match).
import type { KubeObject } from '@kite/api-types';
import type { DeepReadonly, Indexer } from '@kite/client';
import { controllerRefOf } from './owners.js';

export function resolveControllerRef<O extends KubeObject>(
  obj: DeepReadonly<KubeObject>,
  kind: string,
  owners: Indexer<O>,
): DeepReadonly<O> | undefined {
  const ref = controllerRefOf(obj);
  if (!ref || ref.kind !== kind) return undefined;
  const namespace = obj.metadata.namespace;
  const owner = owners.get(namespace ? `${namespace}/${ref.name}` : ref.name);
  return owner && owner.metadata.uid === ref.uid ? owner : undefined;
}
