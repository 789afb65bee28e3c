// JSON patch (RFC 6902), `application/json-patch+json`; `kubectl rollout undo` and
// `kubectl patch --type=json` send it.
//
// Contract:
// - A body that is not an array of well-formed operations (known `op`, string `path` that is a
//   JSON pointer, `from` for move/copy, `value` for add/replace/test) is a 400 BadRequest naming
//   the offending operation.
// - Well-formed operations that cannot be carried out (a failing `test`, a missing path for
//   remove/replace/move/copy, an add under a missing parent, an index out of bounds) are a 422
//   Invalid naming the operation and its path, as Kubernetes answers them with 422.
// - Neither the document nor the patch is mutated; the result shares no structure with them.
import jsonpatch from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';
import { pointerToField } from '@kite/api-types';
import { badRequest, unprocessable, type ApiError } from '../errors.js';
import { cloneJson, isJsonObject } from './json.js';

const OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);
const NEEDS_VALUE = new Set(['add', 'replace', 'test']);
const NEEDS_FROM = new Set(['move', 'copy']);

/** What the library's error names mean, in words a user can act on. */
const FAILURE_DETAIL: Readonly<Record<string, string>> = {
  TEST_OPERATION_FAILED: 'the value at the path is not equal to the tested value',
  OPERATION_PATH_UNRESOLVABLE: 'the path does not exist',
  OPERATION_FROM_UNRESOLVABLE: 'the "from" path does not exist',
  OPERATION_PATH_CANNOT_ADD: 'the parent of the path does not exist',
  OPERATION_VALUE_OUT_OF_BOUNDS: 'the array index is out of bounds',
  OPERATION_PATH_ILLEGAL_ARRAY_INDEX: 'the array index is not an unsigned integer',
};

const isPointer = (p: unknown): p is string => typeof p === 'string' && (p === '' || p.startsWith('/'));

/** Checks the shape of one operation; returns the reason it is malformed, if it is. */
function malformation(op: unknown): string | undefined {
  if (!isJsonObject(op)) return 'is not an object';
  if (typeof op.op !== 'string' || !OPS.has(op.op)) return `has an unknown "op" ${JSON.stringify(op.op)}; expected one of ${[...OPS].join(', ')}`;
  if (!isPointer(op.path)) return 'needs a "path" that is a JSON pointer (empty or starting with "/")';
  if (NEEDS_FROM.has(op.op) && !isPointer(op.from)) return `(${op.op}) needs a "from" that is a JSON pointer`;
  if (NEEDS_VALUE.has(op.op) && !Object.hasOwn(op, 'value')) return `(${op.op}) needs a "value"`;
  return undefined;
}

/** Validates the body's shape and returns it as operations (cloned, so values are not shared). */
export function parseJsonPatch(body: unknown): Operation[] {
  if (!Array.isArray(body)) throw badRequest('a JSON patch must be an array of operations');
  body.forEach((op: unknown, index) => {
    const problem = malformation(op);
    if (problem !== undefined) throw badRequest(`invalid JSON patch: operation ${index} ${problem}`);
  });
  return cloneJson(body) as Operation[];
}

function failure(err: unknown, op: Operation, index: number): ApiError {
  const code = isJsonObject(err) && typeof err.name === 'string' ? err.name : '';
  const detail = FAILURE_DETAIL[code] ?? (err instanceof Error ? err.message : 'the operation failed');
  const where = op.op === 'move' || op.op === 'copy' ? `from ${JSON.stringify(op.from)} to ${JSON.stringify(op.path)}` : `at ${JSON.stringify(op.path)}`;
  const message = `json patch ${op.op} operation ${index} ${where} cannot be applied: ${detail}`;
  return unprocessable(message, [{ reason: 'FieldValueInvalid', field: pointerToField(op.path), message: detail }]);
}

/**
 * Applies an RFC 6902 patch body to `original`. Operations are applied one at a time because
 * fast-json-patch reports index 0 for every validation failure inside `applyPatch`.
 */
export function applyJsonPatch(original: unknown, body: unknown): unknown {
  const ops = parseJsonPatch(body);
  let doc = cloneJson(original);
  ops.forEach((op, index) => {
    try {
      doc = jsonpatch.applyOperation(doc, op, true, true, true, index).newDocument;
    } catch (err) {
      throw failure(err, op, index);
    }
  });
  return doc;
}
