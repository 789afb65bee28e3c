// Error classes the controllers act on, beyond the is* helpers of @kite/apimachinery.
import { reasonOf } from '@kite/apimachinery';

/** 403: e.g. a create refused because its namespace is terminating. */
export const isForbidden = (err: unknown): boolean => reasonOf(err) === 'Forbidden';
