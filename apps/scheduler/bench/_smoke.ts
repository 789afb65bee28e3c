import { startRedis, startApiServerProcess } from '@kite/testing';
import { KubeClient } from '@kite/client';
import { PodResource, NodeResource, NamespaceResource } from '@kite/api-types';
const redis = await startRedis();
const api = await startApiServerProcess(redis.url);
const kube = new KubeClient({ server: api.url });
try {
  const ns = await kube.resource(NamespaceResource).list();
  console.log('namespaces', ns.items.map((n) => n.metadata.name));
  const node = await kube.resource(NodeResource).create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', labels: { 'runtime.kite.dev/docker': 'true' } }, status: { allocatable: { cpu: '2', memory: '4Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] } });
  console.log('node', JSON.stringify(node.status));
  const pod = await kube.resource(PodResource).create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p1', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu: '100m' } } }] } });
  console.log('pod spec', JSON.stringify(pod.spec));
  console.log('pod meta', JSON.stringify(pod.metadata));
  await kube.resource(PodResource).patch('p1', { status: { conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: 'x', lastProbeTime: null, lastTransitionTime: '2024-01-01T00:00:00Z' }] } }, { type: 'strategic', subresource: 'status', namespace: 'default' });
  await kube.bindPod('default', 'p1', 'n1');
  const p = await kube.resource(PodResource).get('p1', { namespace: 'default' });
  console.log('bound', p.spec?.nodeName, JSON.stringify(p.status));
  try { await kube.bindPod('default', 'p1', 'n1'); } catch (e) { console.log('rebind', (e as Error).message); }
  const ev = await kube.raw('POST', '/api/v1/namespaces/default/events', { apiVersion: 'v1', kind: 'Event', metadata: { name: 'e1', namespace: 'default' }, involvedObject: { kind: 'Pod', name: 'p1', namespace: 'default' }, reason: 'X', message: 'y' });
  console.log('event', JSON.stringify(ev).slice(0, 100));
  const lease = await kube.raw('POST', '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases', { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'l', namespace: 'kube-system' }, spec: { holderIdentity: 'a' } }).catch((e: Error) => e.message);
  console.log('lease', JSON.stringify(lease).slice(0, 150));
} finally {
  await api.stop(); await redis.destroy();
}
