// Scale targets of the Wasm runtime: ≥110 idle HTTP pods on one kubelet at ≤ 20 MB each,
// and pod start (createContainer → first HTTP answer) p99 ≤ 100 ms, for the default
// hello-http image (WAGI). The test prints what it measured; its assertions leave room for
// a busy machine (two cores shared with the other test files), the targets themselves are
// checked by the printed numbers. KITE_MEASURE=1 also measures the JS component flavour;
// KITE_WARM=N sets the runtime's warm Worker pool size (default 2).
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WasmRuntime } from '../../src/runtime/wasm/wasm-runtime.js';
import { containerConfig, ensureBuilt, examplesDir, get, sandboxConfig, removeTempDirs, tempDir } from './helpers.js';

const MB = 1024 * 1024;
const MEASURE_COMPONENTS = process.env.KITE_MEASURE === '1';

const CASES = [
  { name: 'WAGI hello-http', image: 'hello-http/build/hello-http-v1.wasm', pods: 110, subnet: 6, limit: 64 * MB, maxPerPodMb: 20, maxP50Ms: 250, maxP99Ms: 1500 },
  ...(MEASURE_COMPONENTS
    ? [{ name: 'JS component hello-http', image: 'hello-http/build/hello-http-component-v1.wasm', pods: 20, subnet: 8, limit: 256 * MB, maxPerPodMb: 200, maxP50Ms: 2000, maxP99Ms: 5000 }]
    : []),
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

describe('wasm runtime: scale', () => {
  let runtime: WasmRuntime;
  let work: string;

  beforeAll(async () => {
    ensureBuilt({ components: MEASURE_COMPONENTS });
    work = tempDir('scale');
    runtime = new WasmRuntime({ imageSearchPath: [examplesDir], imageCacheDir: join(work, 'cache'), warmWorkers: process.env.KITE_WARM ? Number(process.env.KITE_WARM) : undefined });
  }, 240_000);
  afterAll(async () => {
    await runtime.close();
    removeTempDirs();
  });

  it.each(CASES)('starts $pods idle $name pods quickly and cheaply', async ({ name, image, pods, subnet, limit, maxPerPodMb, maxP50Ms, maxP99Ms }) => {
    await runtime.pullImage(image);
    // Warm the caches (transpile, compile) with a first pod that is not counted.
    const warm = await runtime.runPodSandbox(sandboxConfig(`warm-${subnet}`, `127.77.${subnet}.250`, join(work, 'logs', `warm-${subnet}`)));
    await runtime.startContainer(await runtime.createContainer(warm, containerConfig({ name: 'web', image, ports: [{ containerPort: 8080 }], memoryLimitBytes: limit })));
    await get(`http://127.77.${subnet}.250:8080/`);
    const rssBefore = process.memoryUsage().rss;
    const startMs: number[] = [];
    for (let i = 0; i < pods; i++) {
      const ip = `127.77.${subnet}.${i + 1}`;
      const started = performance.now();
      const sandbox = await runtime.runPodSandbox(sandboxConfig(`pod-${i}`, ip, join(work, 'logs', `${subnet}-${i}`)));
      const id = await runtime.createContainer(sandbox, containerConfig({ name: 'web', image, ports: [{ containerPort: 8080 }], env: [{ name: 'POD_NAME', value: `pod-${i}` }], memoryLimitBytes: limit }));
      await runtime.startContainer(id);
      expect((await get(`http://${ip}:8080/`)).body).toBe(`hello from pod-${i} version v1\n`);
      startMs.push(performance.now() - started);
    }
    const perPodMb = (process.memoryUsage().rss - rssBefore) / pods / MB;
    const sorted = [...startMs].sort((a, b) => a - b);
    const request: number[] = [];
    for (let i = 0; i < 200; i++) {
      const at = performance.now();
      await get(`http://127.77.${subnet}.${(i % pods) + 1}:8080/`);
      request.push(performance.now() - at);
    }
    request.sort((a, b) => a - b);
    const summary = {
      name,
      pods,
      startP50Ms: +percentile(sorted, 50).toFixed(1),
      startP99Ms: +percentile(sorted, 99).toFixed(1),
      startMaxMs: +(sorted.at(-1) ?? 0).toFixed(1),
      rssPerIdlePodMb: +perPodMb.toFixed(2),
      requestP50Ms: +percentile(request, 50).toFixed(2),
      requestP99Ms: +percentile(request, 99).toFixed(2),
    };
    console.log(`wasm-scale ${JSON.stringify(summary)}`);
    expect(summary.rssPerIdlePodMb).toBeLessThan(maxPerPodMb);
    expect(summary.startP50Ms).toBeLessThan(maxP50Ms);
    expect(summary.startP99Ms).toBeLessThan(maxP99Ms);
  }, 240_000);
});
