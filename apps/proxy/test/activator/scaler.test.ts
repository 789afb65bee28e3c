// DeploymentScaler: one replica through the scale subresource — write only at 0, re-read on 409.
import { describe, expect, it } from 'vitest';
import type { Scale } from '@kite/api-types';
import { ApiError, failureStatus } from '@kite/apimachinery';
import { DeploymentScaler, ScaleOutcomes } from '../../src/activator/scaler.js';

const scale = (replicas: number, rv: string): Scale => ({ apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'web', namespace: 'default', resourceVersion: rv }, spec: { replicas }, status: { replicas } });
const conflict = () => new ApiError(failureStatus(409, 'Conflict', 'the object has been modified'));
const forbidden = () => new ApiError(failureStatus(403, 'Forbidden', 'forbidden'));

/** A scale endpoint answering reads from `reads` in turn and writes from `writes` (undefined = accepted). */
function endpoint(reads: number[], writes: (ApiError | undefined)[]) {
  const written: { replicas: number | undefined; rv: string | undefined }[] = [];
  let r = 0;
  let w = 0;
  return {
    written,
    client: {
      getScale: async () => scale(reads[Math.min(r, reads.length - 1)] ?? 0, String(++r)),
      updateScale: async (_name: string, s: Scale) => {
        written.push({ replicas: s.spec?.replicas, rv: s.metadata.resourceVersion });
        const err = writes[w++];
        if (err) throw err;
        return s;
      },
    },
  };
}

describe('DeploymentScaler', () => {
  it.each([
    ['at 0: writes 1 with the resourceVersion read', [0], [undefined], ScaleOutcomes.ScaledUp, [{ replicas: 1, rv: '1' }]],
    ['at 1 already: writes nothing', [1], [], ScaleOutcomes.Running, []],
    ['at 3 (HPA or a user): never shrinks it', [3], [], ScaleOutcomes.Running, []],
    ['a 409 from another proxy, then 1 on re-read: only waits', [0, 1], [conflict()], ScaleOutcomes.Running, [{ replicas: 1, rv: '1' }]],
    ['a 409, still 0 on re-read: writes again with the new resourceVersion', [0, 0], [conflict(), undefined], ScaleOutcomes.ScaledUp, [{ replicas: 1, rv: '1' }, { replicas: 1, rv: '2' }]],
  ])('%s', async (_name, reads, writes, outcome, written) => {
    const e = endpoint(reads, writes);
    await expect(new DeploymentScaler(e.client).requestReplica('default', 'web')).resolves.toBe(outcome);
    expect(e.written).toEqual(written);
  });

  it.each([
    ['another error is thrown at once', [forbidden()], 1, /forbidden/],
    ['conflicts without end give up after five writes', Array.from({ length: 10 }, conflict), 5, /modified/],
  ])('%s', async (_name, writes, attempts, err) => {
    const e = endpoint([0], writes);
    await expect(new DeploymentScaler(e.client).requestReplica('default', 'web')).rejects.toThrow(err);
    expect(e.written).toHaveLength(attempts);
  });
});
