// The Node authorizer on PersistentVolumes: kubelets read them (claims resolve to volumes; the
// local-path cleanup watches them) and patch only those whose node affinity names their node.
import { describe, expect, it } from 'vitest';
import type { PersistentVolume } from '@kite/api-types';
import { MemoryNodeGraph, NodeAuthorizer } from '../../../src/auth/rbac/node-authorizer.js';
import type { ResourceAttributes } from '../../../src/auth/types.js';

const pv = (name: string, ...nodes: string[]): PersistentVolume => ({
  apiVersion: 'v1',
  kind: 'PersistentVolume',
  metadata: { name },
  spec: nodes.length ? { nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: nodes }] }] } } } : {},
});

const graph = new MemoryNodeGraph();
graph.upsertVolume(pv('mine', 'n1'));
graph.upsertVolume(pv('theirs', 'n2'));
graph.upsertVolume(pv('shared', 'n1', 'n2'));
graph.upsertVolume(pv('anywhere'));
graph.upsertVolume(pv('removed', 'n1'));
graph.removeVolume(pv('removed', 'n1'));
const authorizer = new NodeAuthorizer({ graph });

const attrs = (verb: string, name: string): ResourceAttributes => ({
  resourceRequest: true,
  user: { username: 'system:node:n1', groups: ['system:nodes', 'system:authenticated'] },
  verb,
  apiGroup: '',
  apiVersion: 'v1',
  resource: 'persistentvolumes',
  subresource: '',
  namespace: '',
  name,
});

describe('Node authorizer and persistentvolumes', () => {
  it.each<{ verb: string; name: string; want: 'allow' | 'no-opinion' }>([
    { verb: 'get', name: 'theirs', want: 'allow' },
    { verb: 'list', name: '', want: 'allow' },
    { verb: 'watch', name: '', want: 'allow' },
    { verb: 'patch', name: 'mine', want: 'allow' },
    { verb: 'update', name: 'mine', want: 'allow' },
    { verb: 'patch', name: 'theirs', want: 'no-opinion' },
    { verb: 'patch', name: 'shared', want: 'no-opinion' },
    { verb: 'patch', name: 'anywhere', want: 'no-opinion' },
    { verb: 'patch', name: 'removed', want: 'no-opinion' },
    { verb: 'delete', name: 'mine', want: 'no-opinion' },
    { verb: 'create', name: '', want: 'no-opinion' },
  ])('$verb $name', ({ verb, name, want }) => {
    expect((authorizer.authorize(attrs(verb, name)) as { decision: string }).decision).toBe(want);
  });
});
