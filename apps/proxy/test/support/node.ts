// A kubelet process with the Wasm runtime on its own node IP and pod CIDR, as apps/kubelet's own
// tests start one; and the controller manager, with the controllers the end-to-end tests need.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONTROLLER_MANAGER, freePort, repoRoot, startApp, waitFor, waitKubeletHealthy, type ApiServerHandle, type AppProcess } from '@kite/testing';

export interface KubeletNode {
  proc: AppProcess;
  nodeName: string;
  nodeIP: string;
  stop(): Promise<void>;
}

export interface KubeletOptions {
  /**
   * Run the Wasm runtime inside the kubelet (default, for tests: stopping the kubelet stops every
   * pod and no daemon can outlive a test), or as the separate daemon production uses (the
   * benchmark), which `stop()` ends through its pid file.
   */
  wasmInProcess?: boolean;
  /** `--runtimes` of the node (default `wasm`). */
  runtimes?: string;
}

/** Node `subnet`: node IP 127.1.SUBNET.1, pods from 127.64.SUBNET.0/24. */
export async function startKubelet(apiserver: ApiServerHandle, subnet: number, opts: KubeletOptions = {}): Promise<KubeletNode> {
  const inProcess = opts.wasmInProcess ?? true;
  const rootDir = await mkdtemp(join(tmpdir(), 'kite-proxy-kubelet-'));
  const nodeName = `node-${subnet}`;
  const nodeIP = `127.1.${subnet}.1`;
  const port = await freePort(nodeIP);
  const args = [...(await apiserver.kubeletArgs(nodeName, nodeIP)), '--node-name', nodeName, '--node-ip', nodeIP, '--pod-cidr', `127.64.${subnet}.0/24`, '--root-dir', rootDir, '--port', String(port), '--runtimes', opts.runtimes ?? 'wasm', '--wasm-in-process', String(inProcess)];
  const proc = startApp('kubelet', args);
  await waitKubeletHealthy(nodeIP, port, proc);
  return {
    proc,
    nodeName,
    nodeIP,
    stop: async () => {
      await proc.stop();
      if (!inProcess) stopDaemon(join(rootDir, nodeName, 'runtime', 'wasm.pid'));
      await rm(rootDir, { recursive: true, force: true });
    },
  };
}

/** Ends the kubelet's Wasm runtime daemon (and its pods), if its pid file names one. */
function stopDaemon(pidFile: string): void {
  try {
    process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGTERM');
  } catch {
    // No daemon was started, or it is gone already.
  }
}

/** The controllers the built controller manager offers, read from its --help. */
export function availableControllers(): string[] {
  const help = execFileSync(process.execPath, [join(repoRoot, 'apps', 'controller', 'dist', 'main.js'), '--help'], { encoding: 'utf8' });
  const list = /--controllers[\s\S]*?\(([^)]*)\)/.exec(help)?.[1] ?? '';
  return list.split(',').map((s) => s.trim()).filter(Boolean);
}

export async function startControllerManager(apiserver: ApiServerHandle, controllers: string[]): Promise<AppProcess> {
  const proc = startApp('controller', ['--kubeconfig', await apiserver.kubeconfig(CONTROLLER_MANAGER), '--controllers', controllers.join(','), '--port', '0']);
  await waitFor(() => {
    if (proc.child.exitCode !== null) throw new Error(`controller manager exited:\n${proc.output().slice(-3000)}`);
    return proc.output().includes('controller manager started');
  }, { timeoutMs: 20_000, message: 'controller manager started' });
  return proc;
}
