import { describe, expect, it } from 'vitest';
import { fitMessage } from '../../src/framework/fit-error.js';
import { unresolvable, unschedulable, type Status } from '../../src/framework/status.js';

const statuses = (...list: Status[]) => new Map(list.map((s, i) => [`n${i}`, s]));

describe('FailedScheduling message', () => {
  it.each<{ name: string; all: number; map: Map<string, Status>; pre?: Status; want: string }>([
    {
      name: 'counts per reason, sorted as strings',
      all: 3,
      map: statuses(unschedulable('Insufficient cpu'), unschedulable('Insufficient cpu'), unresolvable('node(s) had untolerated taint {k: v}')),
      want: '0/3 nodes are available: 1 node(s) had untolerated taint {k: v}, 2 Insufficient cpu.',
    },
    {
      name: 'a node with two reasons counts in both',
      all: 2,
      map: statuses(unschedulable('Insufficient cpu', 'Insufficient memory'), unschedulable('Insufficient memory')),
      want: '0/2 nodes are available: 1 Insufficient cpu, 2 Insufficient memory.',
    },
    {
      name: 'string order puts 10 before 2, as Kubernetes does',
      all: 12,
      map: statuses(...Array.from({ length: 10 }, () => unschedulable('Too many pods')), unschedulable('Insufficient cpu'), unschedulable('Insufficient cpu')),
      want: '0/12 nodes are available: 10 Too many pods, 2 Insufficient cpu.',
    },
    { name: 'prefilter rejection stands alone', all: 5, map: new Map(), pre: unresolvable('pod has unbound immediate claims'), want: '0/5 nodes are available: pod has unbound immediate claims.' },
    { name: 'no nodes at all', all: 0, map: new Map(), want: 'no nodes available to schedule pods' },
  ])('$name', ({ all, map, pre, want }) => expect(fitMessage(all, map, pre)).toBe(want));
});
