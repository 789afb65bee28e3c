// HoldQueue: the activator's limit and timeout decisions, with time passed in.
import { describe, expect, it } from 'vitest';
import { HoldQueue } from '../../src/activator/hold-queue.js';

type Step = ['add', string, number] | ['expire', number] | ['remove', string] | ['take', string[]];
type Result = string | string[] | boolean;

/** Runs the steps on a queue of `limit` and `timeoutMs`; each step's result, for the table. */
function run(limit: number, timeoutMs: number, steps: Step[]): Result[] {
  const q = new HoldQueue<string>(limit, timeoutMs);
  return steps.map((s): Result => {
    switch (s[0]) {
      case 'add': {
        const a = q.add(s[1], s[2]);
        return a.held ? `held until ${a.deadline}` : a.reason;
      }
      case 'expire':
        return q.expire(s[1]);
      case 'remove':
        return q.remove(s[1]);
      case 'take': {
        const wanted = new Set(s[1]);
        return q.take((x) => wanted.has(x));
      }
    }
  });
}

describe('HoldQueue', () => {
  it.each<[string, number, number, Step[], Result[]]>([
    ['holds up to the limit, refuses the next at once', 2, 1000, [['add', 'a', 0], ['add', 'b', 5], ['add', 'c', 6]], ['held until 1000', 'held until 1005', 'QueueFull']],
    ['a freed place can be taken again', 1, 1000, [['add', 'a', 0], ['add', 'b', 1], ['remove', 'a'], ['add', 'b', 2]], ['held until 1000', 'QueueFull', true, 'held until 1002']],
    ['nothing expires before its deadline', 10, 1000, [['add', 'a', 0], ['expire', 999]], ['held until 1000', []]],
    ['a deadline that has come expires (≤ now), oldest first, later ones stay', 10, 1000, [['add', 'a', 0], ['add', 'b', 10], ['add', 'c', 500], ['expire', 1010], ['expire', 1500]], ['held until 1000', 'held until 1010', 'held until 1500', ['a', 'b'], ['c']]],
    ['take releases the chosen ones in arrival order, keeps the rest', 10, 1000, [['add', 'a', 0], ['add', 'b', 1], ['add', 'c', 2], ['take', ['c', 'a']], ['expire', 5000]], ['held until 1000', 'held until 1001', 'held until 1002', ['a', 'c'], ['b']]],
    ['removing what is not held says so', 10, 1000, [['remove', 'x']], [false]],
    ['an expired item no longer counts against the limit', 1, 100, [['add', 'a', 0], ['expire', 100], ['add', 'b', 100]], ['held until 100', ['a'], 'held until 200']],
  ])('%s', (_name, limit, timeoutMs, steps, want) => {
    expect(run(limit, timeoutMs, steps)).toEqual(want);
  });

  it('reports its size and earliest deadline', () => {
    const q = new HoldQueue<string>(10, 1000);
    expect(q.nextDeadline()).toBeUndefined();
    q.add('a', 5);
    q.add('b', 7);
    expect([q.size, q.nextDeadline()]).toEqual([2, 1005]);
    q.expire(1005);
    expect([q.size, q.nextDeadline()]).toEqual([1, 1007]);
  });
});
