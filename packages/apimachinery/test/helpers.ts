// Test helpers shared by the patch tests.
import { isApiError } from '../src/index.js';

/** Deep-freezes a JSON value so that any mutation by the code under test throws. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** Writes a marker into every object and array of a value; throws if any part is frozen. */
export function touchEverything(value: unknown): void {
  if (Array.isArray(value)) {
    value.forEach(touchEverything);
    value.push('touched');
    value.pop();
  } else if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) touchEverything(v);
    Object.defineProperty(value, '__touched', { value: true, configurable: true, enumerable: false, writable: true });
  }
}

/** Runs `fn` and returns the code and message of the ApiError it throws (or fails). */
export function apiErrorOf(fn: () => unknown): { code: number; reason: string; message: string } {
  try {
    fn();
  } catch (err) {
    if (isApiError(err)) return { code: err.code, reason: err.reason, message: err.message };
    throw err;
  }
  throw new Error('expected an ApiError, nothing was thrown');
}
