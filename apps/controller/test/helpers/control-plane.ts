// The pieces every real-process cluster of the controller tests starts the same way: redis-server,
// the apiserver over TLS, the scheduler and the built controller manager (the controllers asked
// for), and kubelets with the Wasm runtime in-process. Each start registers its stop with a
// Teardown, which stops everything in reverse order (also when a later start fails).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONTROLLER_MANAGER, SCHEDULER, freePort, startApiServerProcess, startApp, startRedis, waitKubeletHealthy, waitLogged, type ApiServerHandle, type AppProcess } from '@kite/testing';

/** Stops what was started, last first; failures of one stop do not keep the others from running. */
export class Teardown {
  private readonly stops: (() => Promise<unknown>)[] = [];

  push(stop: () => Promise<unknown>): void {
    this.stops.push(stop);
  }

  async run(): Promise<void> {
    for (const s of this.stops.splice(0).reverse()) await s().catch(() => undefined);
  }
}

export interface ControlPlaneOptions {
  controllers: readonly string[];
  /** Extra controller-manager flags. */
  managerArgs?: readonly string[];
  /** Extra apiserver flags. */
  apiserverArgs?: readonly string[];
}

export interface ControlPlane {
  apiserver: ApiServerHandle;
  manager: AppProcess;
}

export async function startControlPlane(o: ControlPlaneOptions, teardown: Teardown): Promise<ControlPlane> {
  const redis = await startRedis();
  teardown.push(() => redis.destroy());
  const apiserver = await startApiServerProcess(redis.url, [...(o.apiserverArgs ?? [])]);
  teardown.push(() => apiserver.stop());
  const scheduler = await waitLogged(startApp('scheduler', ['--kubeconfig', await apiserver.kubeconfig(SCHEDULER), '--port', '0']), 'scheduler started', 'scheduler');
  teardown.push(() => scheduler.stop());
  const managerArgs = ['--kubeconfig', await apiserver.kubeconfig(CONTROLLER_MANAGER), '--controllers', o.controllers.join(','), '--port', '0', ...(o.managerArgs ?? [])];
  const manager = await waitLogged(startApp('controller', managerArgs, { LOG_LEVEL: 'info' }), 'controller manager started', 'controller manager');
  teardown.push(() => manager.stop());
  return { apiserver, manager };
}

export interface WasmKubeletOptions {
  nodeName: string;
  nodeIP: string;
  podCIDR: string;
  /** How long it may take to serve /healthz (the default suits an idle machine). */
  startTimeoutMs?: number;
}

/** Starts a kubelet with the Wasm runtime in-process in its own temporary root directory. */
export async function startWasmKubelet(apiserver: ApiServerHandle, o: WasmKubeletOptions, teardown: Teardown): Promise<AppProcess> {
  const rootDir = await mkdtemp(join(tmpdir(), `kite-kubelet-${o.nodeName}-`));
  teardown.push(() => rm(rootDir, { recursive: true, force: true }));
  const port = await freePort(o.nodeIP);
  const args = [
    ...(await apiserver.kubeletArgs(o.nodeName, o.nodeIP)),
    ...['--node-name', o.nodeName, '--node-ip', o.nodeIP, '--pod-cidr', o.podCIDR],
    ...['--root-dir', rootDir, '--port', String(port), '--runtimes', 'wasm', '--wasm-in-process', 'true'],
  ];
  const kubelet = startApp('kubelet', args);
  teardown.push(() => kubelet.stop());
  await waitKubeletHealthy(o.nodeIP, port, kubelet, o.startTimeoutMs);
  return kubelet;
}
