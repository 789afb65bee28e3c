// DeploymentScaler: one replica through the scale subresource — one JSON patch that only moves 0
// to 1; a failed test (somebody sized it already) is read back, never shrunk.
import { describe, expect, it } from 'vitest';
import type { Scale } from '@kite/api-types';
import { ApiError, failureStatus } from '@kite/apimachinery';
import { DeploymentScaler, ScaleOutcomes } from '../../src/activator/scaler.js';

const scale = (replicas: number): Scale => ({ apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'web', namespace: 'default' }, spec: { replicas }, status: { replicas } });
const testFailed = () => new ApiError(failureStatus(422, 'Invalid', 'the server rejected our request: testing value /spec/replicas failed'));
const forbidden = () => new ApiError(failureStatus(403, 'Forbidden', 'forbidden'));

/**
 * A scale endpoint holding `replicas`: a patch applies the JSON patch's test against it (so a
 * test of 0 fails at 1 or more); `moves[i]` / `readMoves[i]` (if any) set the replicas just before
 * patch i / read i, as another writer would.
 */
function endpoint(initial: number, opts: { moves?: (number | undefined)[]; readMoves?: (number | undefined)[]; errors?: (ApiError | undefined)[] } = {}) {
  let replicas = initial;
  let patches = 0;
  let reads = 0;
  return {
    counts: () => ({ patches, reads, replicas }),
    client: {
      getScale: async () => {
        replicas = opts.readMoves?.[reads] ?? replicas;
        reads++;
        return scale(replicas);
      },
      patchScale: async (_name: string, body: unknown, o: { type?: string }) => {
        const i = patches++;
        replicas = opts.moves?.[i] ?? replicas;
        const err = opts.errors?.[i];
        if (err) throw err;
        expect(o.type).toBe('json');
        const [test, replace] = body as { op: string; value: number }[];
        if (test?.op !== 'test' || replace?.op !== 'replace') throw new Error('unexpected patch');
        if (replicas !== test.value) throw testFailed();
        replicas = replace.value;
        return scale(replicas);
      },
    },
  };
}

describe('DeploymentScaler', () => {
  it.each([
    ['at 0: one patch moves it to 1', 0, {}, ScaleOutcomes.ScaledUp, { patches: 1, reads: 0, replicas: 1 }],
    ['at 1 already: the test fails, the read says 1, nothing written', 1, {}, ScaleOutcomes.Running, { patches: 1, reads: 1, replicas: 1 }],
    ['at 3 (HPA or a user): never shrinks it', 3, {}, ScaleOutcomes.Running, { patches: 1, reads: 1, replicas: 3 }],
    ['another proxy scaled first: only waits', 0, { moves: [1] }, ScaleOutcomes.Running, { patches: 1, reads: 1, replicas: 1 }],
    ['back at 0 on the re-read: patches again', 0, { moves: [2], readMoves: [0] }, ScaleOutcomes.ScaledUp, { patches: 2, reads: 1, replicas: 1 }],
  ])('%s', async (_name, initial, opts, outcome, counts) => {
    const e = endpoint(initial, opts);
    await expect(new DeploymentScaler(e.client).requestReplica('default', 'web')).resolves.toBe(outcome);
    expect(e.counts()).toEqual(counts);
  });

  it('throws another error at once', async () => {
    const e = endpoint(0, { errors: [forbidden()] });
    await expect(new DeploymentScaler(e.client).requestReplica('default', 'web')).rejects.toThrow(/forbidden/);
    expect(e.counts().patches).toBe(1);
  });

  it('gives up after five failed tests that keep finding 0 on the re-read', async () => {
    const e = endpoint(0, { errors: Array.from({ length: 10 }, testFailed) });
    await expect(new DeploymentScaler(e.client).requestReplica('default', 'web')).rejects.toThrow(/testing value/);
    expect(e.counts()).toMatchObject({ patches: 5, reads: 5 });
  });
});
