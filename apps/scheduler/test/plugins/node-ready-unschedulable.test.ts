import type { Toleration } from '@kite/api-types';
import { describe, expect, it } from 'vitest';
import { Code } from '../../src/framework/status.js';
import { NodeReady } from '../../src/plugins/node-ready/node-ready.js';
import { NodeUnschedulable } from '../../src/plugins/node-unschedulable/node-unschedulable.js';
import { cacheWith, node, podWithTolerations, runFilter } from '../helpers/builders.js';

describe('NodeReady', () => {
  it.each<{ name: string; ready: boolean; tolerations: Toleration[]; want: Code }>([
    { name: 'ready node', ready: true, tolerations: [], want: Code.Success },
    { name: 'not ready node', ready: false, tolerations: [], want: Code.UnschedulableAndUnresolvable },
    { name: 'not ready, pod tolerates not-ready', ready: false, tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists' }], want: Code.Success },
  ])('$name', ({ ready, tolerations, want }) => {
    const out = runFilter(new NodeReady(), podWithTolerations('p', ...tolerations), cacheWith([node('n', {}, { ready })]), 'n');
    expect(out.code).toBe(want);
    if (want !== Code.Success) expect(out.reasons).toEqual(['node(s) were not ready']);
  });

  it('a node without conditions is not ready', () => {
    const n = node('n');
    delete n.status?.conditions;
    expect(runFilter(new NodeReady(), podWithTolerations('p'), cacheWith([n]), 'n').code).toBe(Code.UnschedulableAndUnresolvable);
  });
});

describe('NodeUnschedulable', () => {
  it.each<{ name: string; unschedulable: boolean; tolerations: Toleration[]; want: Code }>([
    { name: 'schedulable node', unschedulable: false, tolerations: [], want: Code.Success },
    { name: 'cordoned node', unschedulable: true, tolerations: [], want: Code.UnschedulableAndUnresolvable },
    { name: 'cordoned, pod tolerates', unschedulable: true, tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }], want: Code.Success },
  ])('$name', ({ unschedulable, tolerations, want }) => {
    const out = runFilter(new NodeUnschedulable(), podWithTolerations('p', ...tolerations), cacheWith([node('n', {}, { unschedulable })]), 'n');
    expect(out.code).toBe(want);
    if (want !== Code.Success) expect(out.reasons).toEqual(['node(s) were unschedulable']);
  });
});
