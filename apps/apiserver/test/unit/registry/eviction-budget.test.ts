// Table tests of the eviction's budget check (Kubernetes' checkAndDecrement refusals).
import { describe, expect, it } from 'vitest';
import type { PodDisruptionBudget, PodDisruptionBudgetStatus } from '@kite/api-types';
import { isApiError } from '@kite/apimachinery';
import { checkBudget, EVICTION_BLOCKED_MESSAGE, MAX_DISRUPTED_POD_SIZE } from '../../../src/registry/eviction/budget.js';

function pdb(status: PodDisruptionBudgetStatus, generation = 1): PodDisruptionBudget {
  return { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'b', namespace: 'ns', generation }, spec: { minAvailable: 2 }, status };
}

const tooMany = Object.fromEntries(Array.from({ length: MAX_DISRUPTED_POD_SIZE + 1 }, (_, i) => [`p${i}`, '2026-12-07T12:00:00Z']));

describe('checkBudget', () => {
  it.each<{ name: string; budget: PodDisruptionBudget; code?: number; message?: string; cause?: string }>([
    { name: 'one allowed: passes', budget: pdb({ observedGeneration: 1, disruptionsAllowed: 1 }) },
    { name: 'none allowed: 429 with the budget numbers', budget: pdb({ observedGeneration: 1, disruptionsAllowed: 0, desiredHealthy: 2, currentHealthy: 2 }), code: 429, message: EVICTION_BLOCKED_MESSAGE, cause: 'The disruption budget b needs 2 healthy pods and has 2 currently' },
    { name: 'status behind the spec: 429 still processing', budget: pdb({ observedGeneration: 1, disruptionsAllowed: 3 }, 2), code: 429, message: EVICTION_BLOCKED_MESSAGE, cause: 'The disruption budget b is still being processed by the server.' },
    { name: 'no status yet: 429 still processing', budget: pdb({}, 1), code: 429, cause: 'The disruption budget b is still being processed by the server.' },
    { name: 'negative: 403', budget: pdb({ observedGeneration: 1, disruptionsAllowed: -1 }), code: 403 },
    { name: 'too many unconfirmed evictions: 403', budget: pdb({ observedGeneration: 1, disruptionsAllowed: 1, disruptedPods: tooMany }), code: 403 },
  ])('$name', ({ budget, code, message, cause }) => {
    let err: unknown;
    try {
      checkBudget(budget);
    } catch (e) {
      err = e;
    }
    if (code === undefined) return expect(err).toBeUndefined();
    if (!isApiError(err)) throw new Error(`expected an ApiError, got ${String(err)}`);
    expect(err.code).toBe(code);
    if (message) expect(err.status.message).toBe(message);
    if (cause) expect(err.status.details?.causes?.[0]).toMatchObject({ reason: 'DisruptionBudget', message: cause });
  });
});
