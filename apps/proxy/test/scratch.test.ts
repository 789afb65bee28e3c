import { it } from 'vitest';
import { createLogger, Registry } from '@kite/component-base';
import { Proxier } from '../src/proxier.js';
import { ProxyMetrics } from '../src/metrics.js';
import { FakeCatalog } from './support/fake-catalog.js';
import { startBackend } from './support/backends.js';
import { upgradeExchange, httpRequest } from './support/http.js';
import { service, slice } from './support/objects.js';
import { waitFor } from '@kite/testing';

it('ws', async () => {
  const b = await startBackend('pod-0', '127.90.0.1', 8080);
  console.log('direct', JSON.stringify(await upgradeExchange('127.90.0.1', 8080, 'hello')));
  const c = new FakeCatalog();
  c.setService(service('web', { clusterIP: '127.41.0.1' }));
  c.setSlice(slice('web', ['127.90.0.1']));
  const p = new Proxier({ catalog: c, metrics: new ProxyMetrics(new Registry()), log: createLogger('x', 'debug'), nodeIP: '127.1.70.1', bindClusterIPs: true });
  await p.start();
  await waitFor(async () => (await httpRequest('http://127.41.0.1')).status === 200);
  console.log('proxied', JSON.stringify(await upgradeExchange('127.41.0.1', 80, 'hello')));
  const slow = httpRequest('http://127.41.0.1/slow?ms=300');
  await new Promise((r) => setTimeout(r, 50));
  c.setSlice(slice('web', ['127.90.0.2']));
  console.log(await slow);
  await p.stop(0);
  await b.close();
});
