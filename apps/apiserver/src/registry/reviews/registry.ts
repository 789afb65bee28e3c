// The review kinds by name: a flat map from kind to its handler, as the scheduler's plugin
// registry is.
import { localSubjectAccessReview, selfSubjectAccessReview, subjectAccessReview } from './access-reviews.js';
import { selfSubjectReview, selfSubjectRulesReview, tokenReview } from './self-reviews.js';
import type { ReviewHandler } from './types.js';

export const REVIEW_HANDLERS: ReadonlyMap<string, ReviewHandler> = new Map([
  ['SubjectAccessReview', subjectAccessReview],
  ['LocalSubjectAccessReview', localSubjectAccessReview],
  ['SelfSubjectAccessReview', selfSubjectAccessReview],
  ['SelfSubjectRulesReview', selfSubjectRulesReview],
  ['SelfSubjectReview', selfSubjectReview],
  ['TokenReview', tokenReview],
]);
