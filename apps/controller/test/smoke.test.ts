import { afterAll, beforeAll, expect, it } from 'vitest';
import { DeploymentResource } from '@kite/api-types';
import { waitFor } from '@kite/testing';
import { createNamespace, deployment, startCluster, type TestCluster } from './helpers/cluster.js';

let c: TestCluster;
beforeAll(async () => {
  c = await startCluster({ nodes: 3 });
});
afterAll(async () => c?.stop());

it('smoke', async () => {
  await createNamespace(c.client, 'smoke');
  const deps = c.client.resource(DeploymentResource);
  await deps.create(deployment('smoke', 'web', { replicas: 10 }));
  const d = await waitFor(async () => {
    const d = await deps.get('web', { namespace: 'smoke' });
    return d.status?.availableReplicas === 10 ? d : undefined;
  }, { timeoutMs: 20000 });
  console.log(JSON.stringify(d.status, null, 1));
  expect(d.status?.updatedReplicas).toBe(10);
});
