// Creates the runtimes a node offers: the built-in ones (`--runtimes`), each a plugin behind the
// same interface, and runtimes in their own processes reached over the runtime protocol
// (`--runtime-endpoint HANDLER=unix:///PATH`, docs/runtime-protocol.md).
import { join } from 'node:path';
import type { Logger } from '@kite/component-base';
import type { KubeletConfig } from '../config.js';
import { HollowRuntime } from './hollow/hollow-runtime.js';
import type { ContainerRuntime, RuntimeName } from '@kite/cri';
import { WasmRuntime } from './wasm/wasm-runtime.js';
import { connectWasmDaemon } from './remote/daemon.js';
import { connectDockerRuntime } from './docker/connect.js';
import { connectRuntimeEndpoint } from './remote/endpoint.js';

/**
 * The Wasm runtime runs in a daemon process by default (so pods outlive a kubelet restart);
 * `inProcess` keeps it inside the kubelet, for tests of the runtime alone.
 */
export async function createRuntimes(cfg: KubeletConfig, log: Logger): Promise<Map<RuntimeName, ContainerRuntime>> {
  const out = new Map<RuntimeName, ContainerRuntime>();
  for (const name of cfg.runtimes) {
    if (name === 'wasm' && cfg.wasmInProcess) out.set(name, new WasmRuntime({ imageSearchPath: cfg.imagePath, imageCacheDir: join(cfg.rootDir, 'images', 'wasm') }));
    else if (name === 'wasm') out.set(name, await connectWasmDaemon(cfg.rootDir, cfg.imagePath, log));
    else if (name === 'hollow') out.set(name, new HollowRuntime());
    else if (name === 'docker') {
      // Offered only when the engine answers; connectDockerRuntime logs why not otherwise.
      const docker = await connectDockerRuntime({ nodeName: cfg.nodeName, rootDir: cfg.rootDir }, log);
      if (docker) out.set(name, docker);
    }
    else log.warn({ runtime: name }, 'runtime not built in; give it with --runtime-endpoint NAME=unix:///PATH');
  }
  for (const endpoint of cfg.runtimeEndpoints ?? []) {
    if (out.has(endpoint.handler)) {
      log.warn({ runtime: endpoint.handler }, 'runtime handler given twice; the built-in one stays');
      continue;
    }
    const remote = await connectRuntimeEndpoint(endpoint, log);
    if (remote) out.set(endpoint.handler, remote);
  }
  return out;
}
