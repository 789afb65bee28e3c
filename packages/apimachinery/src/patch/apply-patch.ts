// Server-side apply (`kubectl apply --server-side`, content type application/apply-patch+yaml),
// reduced to what kubectl needs from it.
//
// Contract:
// - The body is a whole object (the caller parses YAML or JSON before calling).
// - No live object: the applied object is the new object (create-if-missing); `null` fields
//   and patch directives in it are dropped, as if it were patched onto an empty object.
// - A live object: the applied object is strategic-merged onto it, so fields the applier sets
//   win, merge-keyed lists merge item by item, and fields the applier omits are kept.
//
// Simplification versus Kubernetes: real server-side apply records which manager owns each
// field (metadata.managedFields) and removes fields that the same manager applied before but
// has now dropped, and it reports conflicts with other managers (409). Here nothing tracks
// ownership: an omitted field is always kept, there are never ownership conflicts, and `force`
// has nothing to override. To remove a field, send `null` for it or use another patch type.
import { badRequest } from '../errors.js';
import { isJsonObject } from './json.js';
import { strategicMergePatch, type JsonSchema } from './strategic-merge-patch.js';

/** Returns the object after applying `applied`; never mutates its inputs. */
export function applyPatch(live: unknown, applied: unknown, schema?: JsonSchema): unknown {
  if (!isJsonObject(applied)) throw badRequest('an apply patch must be a JSON or YAML object');
  if (live === undefined || live === null) return strategicMergePatch({}, applied, schema);
  if (isJsonObject(live)) {
    for (const field of ['apiVersion', 'kind'] as const) {
      const want = applied[field];
      if (want !== undefined && live[field] !== undefined && want !== live[field]) {
        throw badRequest(`the apply patch's ${field} ${JSON.stringify(want)} does not match the object's ${JSON.stringify(live[field])}`);
      }
    }
  }
  return strategicMergePatch(live, applied, schema);
}
