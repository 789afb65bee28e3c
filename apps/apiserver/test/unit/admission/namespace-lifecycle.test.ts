// NamespaceLifecycle: creates need a live namespace, writes need an existing one, and the
// system namespaces cannot be deleted, with Kubernetes' messages and details.
import { describe, expect, it } from 'vitest';
import { isApiError } from '@kite/apimachinery';
import type { Operation } from '../../../src/admission/interface.js';
import { newNamespaceLifecycle } from '../../../src/admission/namespace-lifecycle.js';
import { attrs, contextWith, namespace, podWith, refusal } from './helpers.js';

const ctx = contextWith(namespace('default'), namespace('dying', {}, 'Terminating'));
const plugin = newNamespaceLifecycle(ctx);

describe('NamespaceLifecycle', () => {
  it.each<{ name: string; kind: string; op: Operation; ns?: string; objName?: string; want: string }>([
    { name: 'create in an active namespace', kind: 'Pod', op: 'CREATE', want: '' },
    { name: 'create in a missing namespace', kind: 'Pod', op: 'CREATE', ns: 'nope', want: 'namespaces "nope" not found' },
    { name: 'update in a missing namespace', kind: 'ConfigMap', op: 'UPDATE', ns: 'nope', want: 'namespaces "nope" not found' },
    { name: 'delete in a missing namespace', kind: 'Pod', op: 'DELETE', ns: 'nope', want: '' },
    { name: 'create in a terminating namespace', kind: 'Pod', op: 'CREATE', ns: 'dying', want: 'pods "x" is forbidden: unable to create new content in namespace dying because it is being terminated' },
    { name: 'update in a terminating namespace', kind: 'Pod', op: 'UPDATE', ns: 'dying', want: '' },
    { name: 'named group resource', kind: 'Deployment', op: 'CREATE', ns: 'dying', want: 'deployments.apps "x" is forbidden: unable to create new content in namespace dying because it is being terminated' },
    { name: 'cluster-scoped kinds are not checked', kind: 'Node', op: 'CREATE', ns: '', want: '' },
    { name: 'delete default', kind: 'Namespace', op: 'DELETE', ns: '', objName: 'default', want: 'namespaces "default" is forbidden: this namespace may not be deleted' },
    { name: 'delete kube-system', kind: 'Namespace', op: 'DELETE', ns: '', objName: 'kube-system', want: 'namespaces "kube-system" is forbidden: this namespace may not be deleted' },
    { name: 'delete kube-public', kind: 'Namespace', op: 'DELETE', ns: '', objName: 'kube-public', want: 'namespaces "kube-public" is forbidden: this namespace may not be deleted' },
    { name: 'delete another namespace', kind: 'Namespace', op: 'DELETE', ns: '', objName: 'dying', want: '' },
    { name: 'create a namespace', kind: 'Namespace', op: 'CREATE', ns: '', objName: 'new', want: '' },
  ])('$name', async ({ kind, op, ns, objName, want }) => {
    const a = attrs(kind, { operation: op, ...(ns !== undefined ? { namespace: ns } : {}), name: objName ?? 'x' });
    expect(await refusal(() => plugin.admit(a, podWith()))).toBe(want);
  });

  it('refuses a missing namespace with 404 NotFound naming the namespace', async () => {
    const err = await plugin.admit(attrs('Pod', { namespace: 'nope' }), podWith()).catch((e: unknown) => e);
    expect(isApiError(err) && err.status).toMatchObject({ code: 404, reason: 'NotFound', details: { name: 'nope', kind: 'namespaces' } });
  });

  it('refuses a terminating namespace with 403 and the NamespaceTerminating cause', async () => {
    const err = await plugin.admit(attrs('Pod', { namespace: 'dying', name: '' }), podWith({}, { name: undefined, generateName: 'web-' })).catch((e: unknown) => e);
    expect(isApiError(err) && err.status).toMatchObject({
      code: 403,
      reason: 'Forbidden',
      message: 'pods "web-" is forbidden: unable to create new content in namespace dying because it is being terminated',
      details: {
        name: 'web-',
        group: '',
        kind: 'pods',
        causes: [{ reason: 'NamespaceTerminating', message: 'namespace dying is being terminated', field: 'metadata.namespace' }],
      },
    });
  });

  it('refuses the deletion of default with 403', async () => {
    const err = await plugin.admit(attrs('Namespace', { operation: 'DELETE', name: 'default' }), podWith()).catch((e: unknown) => e);
    expect(isApiError(err) && err.status).toMatchObject({ code: 403, reason: 'Forbidden', details: { name: 'default', kind: 'namespaces' } });
  });

  it('handles create, update and delete only', () => {
    expect((['CREATE', 'UPDATE', 'DELETE', 'CONNECT'] as const).map((op) => plugin.handles(attrs('Pod', { operation: op })))).toEqual([true, true, true, false]);
  });
});
