// The subresources the apiserver serves, found by path: a storage per subresource name, each
// saying which kinds it serves (`pods/binding` one kind, `*/status` and `*/scale` every kind that
// declares them). Discovery lists them from here too. New ones (pods/exec, pods/eviction) are one
// more file and one more entry here.
import type { ResourceType } from '@kite/api-types';
import { bindingStorage } from './binding.js';
import { evictionStorage } from './eviction.js';
import { finalizeStorage } from './finalize.js';
import { logStorage } from './log.js';
import { scaleStorage } from './scale.js';
import { statusStorage } from './status.js';
import { tokenStorage } from './token.js';
import type { SubresourceStorage } from './types.js';

export type { SubresourceCall, SubresourceDeps, SubresourceResult, SubresourceStorage } from './types.js';
export { verbsOf } from './types.js';

const STORAGES: readonly SubresourceStorage[] = [statusStorage, scaleStorage, bindingStorage, logStorage, tokenStorage, finalizeStorage, evictionStorage];

/** The storage serving `rt`'s subresource `name`, if any. */
export function subresourceFor(rt: ResourceType, name: string): SubresourceStorage | undefined {
  return STORAGES.find((s) => s.name === name && s.servedFor(rt));
}

/** Every subresource `rt` has, in discovery order. */
export function subresourcesOf(rt: ResourceType): SubresourceStorage[] {
  return STORAGES.filter((s) => s.servedFor(rt));
}
