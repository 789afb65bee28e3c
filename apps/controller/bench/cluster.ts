// The benchmark's cluster, all on loopback: redis-server, the apiserver, the scheduler and the
// controller manager as their own processes (as in production: each gets a core of its own when
// one is free), and the hollow nodes in this process.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { NodeResource } from '@kite/api-types';
import { KubeClient } from '@kite/client';
import { ADMIN, CONTROLLER_MANAGER, SCHEDULER, freePort, repoRoot, startApiServerProcess, startApp, startRedis, waitFor, waitHttpOk, type ApiServerHandle, type AppProcess, type RedisHandle } from '@kite/testing';
import { HollowNodes, type HollowNodesOptions } from '../test/helpers/hollow-nodes.js';
import { findPid } from './cpu.js';

export type Binder = 'scheduler' | 'hollow';

export interface BenchCluster {
  redis: RedisHandle;
  apiserver: ApiServerHandle;
  controller: AppProcess;
  scheduler?: AppProcess;
  hollow: HollowNodes;
  client: KubeClient;
  /** Process ids by component, for CPU accounting. */
  pids: Record<string, number | undefined>;
  stop(): Promise<void>;
}

/** Hollow kubelets renew their Lease every 10 s, as real ones do by default. */
const HEARTBEAT_MS = 10_000;

export function schedulerBuilt(): boolean {
  return existsSync(join(repoRoot, 'apps', 'scheduler', 'dist', 'main.js'));
}

/**
 * Starts a built app. CONTROLLER_NODE_ARGS (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`) passes
 * Node flags to the controller manager, which NODE_OPTIONS does not accept, to profile a run.
 */
async function startComponent(app: string, args: string[]): Promise<AppProcess> {
  const port = await freePort();
  const nodeArgs = app === 'controller' ? (process.env.CONTROLLER_NODE_ARGS ?? '').split(' ').filter(Boolean) : [];
  const env = { LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn', ...(nodeArgs.length > 0 ? { NODE_OPTIONS: '' } : {}) };
  const proc = nodeArgs.length > 0 ? startWithNodeArgs(app, nodeArgs, [...args, '--port', String(port)], env) : startApp(app, [...args, '--port', String(port)], env);
  await waitHttpOk(`http://127.0.0.1:${port}/healthz`, proc, 30_000);
  return proc;
}

function startWithNodeArgs(app: string, nodeArgs: string[], args: string[], env: NodeJS.ProcessEnv): AppProcess {
  const child = spawn(process.execPath, [...nodeArgs, join(repoRoot, 'apps', app, 'dist', 'main.js'), ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (b: Buffer) => void (out = (out + b.toString()).slice(-100_000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const signal = async (sig: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(sig);
    await exited;
  };
  return { child, output: () => out, stop: () => signal('SIGTERM'), kill: () => signal('SIGKILL'), exited };
}

/**
 * `hollow`: extra hollow-node settings (the Job benchmark makes run-to-completion pods finish).
 * `controllers`: the manager's `--controllers` list (e.g. `['*', 'statefulset']`); omitted, the
 * manager's own default (`*`, every default controller).
 */
export async function startBenchCluster(opts: { nodes: number; binder: Binder; hollow?: Partial<HollowNodesOptions>; controllers?: string[] }): Promise<BenchCluster> {
  const redis = await startRedis();
  const apiserver = await startApiServerProcess(redis.url, [], undefined);
  const admin = await apiserver.connection();
  const hollow = new HollowNodes({ apiserver: admin, count: opts.nodes, heartbeatMs: HEARTBEAT_MS, bind: opts.binder === 'hollow', ...opts.hollow });
  await hollow.start();
  const scheduler = opts.binder === 'scheduler' ? await startComponent('scheduler', ['--kubeconfig', await apiserver.kubeconfig(SCHEDULER), '--no-leader-elect']) : undefined;
  const controllers = opts.controllers ? ['--controllers', opts.controllers.join(',')] : [];
  const controller = await startComponent('controller', ['--kubeconfig', await apiserver.kubeconfig(CONTROLLER_MANAGER), ...controllers]);
  const client = new KubeClient({ ...admin, userAgent: 'controller-bench' });
  // Node IPAM hands out pod CIDRs at start-up; let it finish so the first run measures only itself.
  await waitFor(async () => (await client.resource(NodeResource).list()).items.filter((n) => n.spec?.podCIDR).length === opts.nodes, { timeoutMs: 60_000, intervalMs: 200, message: 'pod CIDRs on every node' });
  const pids = {
    apiserver: apiserver.child.pid,
    redis: findPid('redis-server', `:${redis.port}`),
    controller: controller.child.pid,
    scheduler: scheduler?.child.pid,
    'hollow nodes': process.pid,
  };
  return {
    pids,
    redis,
    apiserver,
    controller,
    scheduler,
    hollow,
    client,
    async stop() {
      await controller.stop();
      await scheduler?.stop();
      await hollow.stop();
      await apiserver.stop();
      await redis.destroy();
    },
  };
}

/** Σ apiserver_request_total over every label set, from the apiserver's /metrics. */
export async function apiRequestTotal(apiserver: ApiServerHandle): Promise<number> {
  const get = await apiserver.fetcher(ADMIN);
  const text = await (await get(`${apiserver.url}/metrics`)).text();
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith('apiserver_request_total')) continue;
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (Number.isFinite(value)) total += value;
  }
  return total;
}
