import { PodResource, NodeResource } from '@kite/api-types';
import { KubeClient } from '@kite/client';
import { startApiServerProcess, startRedis } from '@kite/testing';
import { createMany } from './load.js';
import { benchPod, benchNode } from './objects.js';
const redis = await startRedis();
const api = await startApiServerProcess(redis.url, ['--watch-history', '200000']);
const kube = new KubeClient({ server: api.url });
try {
  for (const conc of [1, 8, 48]) {
    const t0 = performance.now();
    const n = 1000;
    await createMany(n, conc, (i) => kube.resource(NodeResource).create(benchNode(i + conc * 10000)));
    console.log('nodes conc', conc, (n / ((performance.now() - t0) / 1000)).toFixed(0), '/s');
  }
  for (const conc of [1, 8, 48]) {
    const t0 = performance.now();
    const n = 1000;
    await createMany(n, conc, (i) => kube.resource(PodResource).create(benchPod(i + conc * 10000)));
    console.log('pods conc', conc, (n / ((performance.now() - t0) / 1000)).toFixed(0), '/s');
  }
} finally { await api.stop(); await redis.destroy(); }
