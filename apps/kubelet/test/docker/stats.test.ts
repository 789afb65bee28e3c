// Docker pods' usage on the kubelet API, from the engine's stats API: a container running
// `yes > /dev/null` shows about one core between two scrapes and holds memory; the pod's
// sandbox (pause) container is not one of its containers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@kite/testing';
import { pods, waitForPod } from '../helpers.js';
import { coresBetween, kubeletGet, sampleOf, scrapeResource, type PromSample } from '../resource-scrape.js';
import type { Summary } from '../../src/stats/summary.js';
import { dockerPod, startDockerCluster, type DockerCluster } from './support.js';

/** The interval the CPU rate is measured over (between two scrapes). */
const WINDOW_MS = 2000;

let c: DockerCluster;
beforeAll(async () => {
  c = await startDockerCluster(69);
  await pods(c).create(dockerPod(c, 'burn', [{ name: 'yes', command: ['sh', '-c', 'yes > /dev/null'] }], { terminationGracePeriodSeconds: 0 }));
  await waitForPod(c, 'burn', (p) => p.status?.phase === 'Running', 30_000, 'Running');
});
afterAll(async () => c.stop());

const labels = { namespace: 'default', pod: 'burn', container: 'yes' };

function required(samples: PromSample[], name: string, want: Record<string, string>): PromSample {
  const s = sampleOf(samples, name, want);
  if (!s) throw new Error(`${name} ${JSON.stringify(want)} missing`);
  return s;
}

describe('docker container usage', () => {
  it('shows `yes > /dev/null` at about one core, with memory, and no sandbox container', async () => {
    const a = await waitFor(async () => {
      const samples = await scrapeResource(c);
      return sampleOf(samples, 'container_cpu_usage_seconds_total', labels) ? samples : undefined;
    }, { timeoutMs: 20_000, message: 'the burn pod in /metrics/resource' });
    await new Promise((resolve) => setTimeout(resolve, WINDOW_MS));
    const b = await scrapeResource(c);
    const cores = coresBetween(required(a, 'container_cpu_usage_seconds_total', labels), required(b, 'container_cpu_usage_seconds_total', labels));
    expect(cores).toBeGreaterThan(0.5);
    expect(cores).toBeLessThan(1.5);
    expect(required(b, 'container_memory_working_set_bytes', labels).value).toBeGreaterThan(0);
    expect(b.filter((s) => s.name === 'container_cpu_usage_seconds_total' && s.labels.pod === 'burn').map((s) => s.labels.container)).toEqual(['yes']);
    expect(required(b, 'scrape_error', {}).value).toBe(0);
  });

  it('appears in /stats/summary with a rate from the previous reading', async () => {
    await waitFor(async () => {
      const { body } = await kubeletGet(c, '/stats/summary');
      const summary = JSON.parse(body) as Summary;
      const rate = summary.pods.find((p) => p.podRef.name === 'burn')?.containers[0]?.cpu.usageNanoCores;
      return rate !== undefined && rate > 0.5e9 && rate < 1.5e9;
    }, { timeoutMs: 20_000, intervalMs: WINDOW_MS, message: 'a usageNanoCores of about one core' });
  });
});
