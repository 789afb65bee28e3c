import { conflict, notFound, type ApiError } from '@kite/apimachinery';
import { describe, expect, it } from 'vitest';
import { retryOnConflict } from '../src/util/retry.js';

const nodes = { group: '', plural: 'nodes' };
const fast = { steps: 5, durationMs: 1, factor: 2 };

/** Runs retryOnConflict over a function failing with `errors` in turn, then answering 'written'. */
async function run(errors: ApiError[]): Promise<{ result: unknown; calls: number }> {
  let calls = 0;
  const result = await retryOnConflict(async () => {
    const err = errors[calls++];
    if (err) throw err;
    return 'written';
  }, fast).catch((e: unknown) => e);
  return { result, calls };
}

describe('retryOnConflict', () => {
  it('runs the read-modify-write again after a 409 until it succeeds', async () => {
    expect(await run([conflict(nodes, 'n1'), conflict(nodes, 'n1')])).toEqual({ result: 'written', calls: 3 });
  });

  it('gives the last conflict back after the allowed attempts', async () => {
    const { result, calls } = await run(Array.from({ length: 9 }, () => conflict(nodes, 'n1')));
    expect(result).toMatchObject({ status: { code: 409, reason: 'Conflict' } });
    expect(calls).toBe(5);
  });

  it('does not retry other errors', async () => {
    const { result, calls } = await run([notFound(nodes, 'n1')]);
    expect(result).toMatchObject({ status: { code: 404 } });
    expect(calls).toBe(1);
  });
});
