// Density of the Wasm runtime: 110 idle HTTP pods (Kubernetes' default maximum per node) on one
// runtime, each answering as itself. Speed and memory per pod are measured by the benchmark
// (apps/kubelet/bench), not asserted here; the test prints what it saw for reference.
// KITE_MEASURE=1 also runs the JS component flavour; KITE_WARM=N sets the warm Worker pool size.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WasmRuntime } from '../../src/runtime/wasm/wasm-runtime.js';
import { containerConfig, ensureBuilt, examplesDir, get, sandboxConfig, removeTempDirs, tempDir } from './helpers.js';

const MB = 1024 * 1024;
const MEASURE_COMPONENTS = process.env.KITE_MEASURE === '1';

const CASES = [
  { name: 'WAGI hello-http', image: 'hello-http/build/hello-http-v1.wasm', pods: 110, subnet: 6, limit: 64 * MB },
  ...(MEASURE_COMPONENTS
    ? [{ name: 'JS component hello-http', image: 'hello-http/build/hello-http-component-v1.wasm', pods: 20, subnet: 8, limit: 256 * MB }]
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

  it.each(CASES)('starts $pods idle $name pods quickly and cheaply', async ({ name, image, pods, subnet, limit }) => {
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
    expect(startMs).toHaveLength(pods);
  }, 240_000);
});
