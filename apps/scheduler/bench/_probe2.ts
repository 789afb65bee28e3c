import { NodeResource, PodResource } from '@kite/api-types';
import { KubeClient } from '@kite/client';
import { freePort, startApiServerProcess, startRedis, waitHttpOk } from '@kite/testing';
import { createMany } from './load.js';
import { benchNode, benchPod } from './objects.js';
import { startSchedulerProcess } from './scheduler-process.js';
const redis = await startRedis();
const api = await startApiServerProcess(redis.url, ['--watch-history', '200000']);
const kube = new KubeClient({ server: api.url });
try {
  await createMany(1000, 32, (i) => kube.resource(NodeResource).create(benchNode(i)));
  await createMany(3000, 32, (i) => kube.resource(PodResource).create(benchPod(i)));
  const port = await freePort();
  const s = startSchedulerProcess(['--apiserver', api.url, '--port', String(port), '--leader-elect=false'], { LOG_LEVEL: 'warn' });
  await waitHttpOk(`http://127.0.0.1:${port}/readyz`, s);
  await new Promise((r) => setTimeout(r, 6000));
  const out = s.output();
  console.log('output bytes', out.length);
  console.log(out.slice(0, 3000));
  const m = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  console.log(m.split('\n').filter((l) => l.startsWith('scheduler_')).filter(l => !l.includes('bucket')).join('\n'));
  await s.stop();
} finally { await api.stop(); await redis.destroy(); }
