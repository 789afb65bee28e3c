// Runs the real launcher (`apps/launcher/dist/main.js`) for tests, on its own ports, address
// ranges, state directory and HOME, so it never touches a user's cluster or kubeconfig.
import { execFileSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startApp, waitFor, type AppProcess } from '@kite/testing';

export interface LaunchedCluster {
  proc: AppProcess;
  api: string;
  stateDir: string;
  home: string;
  kubeconfig: string;
  nodeIps: string[];
  args: string[];
  env: NodeJS.ProcessEnv;
}

export interface LaunchOptions {
  nodes?: number;
  /** Distinct per test file: the third octet of node IPs and the pod/service ranges. */
  slot: number;
  stateDir?: string;
  home?: string;
  ports?: { api: number; redis: number; kubelet: number; dns: number };
}

export async function launch(opts: LaunchOptions): Promise<LaunchedCluster> {
  const stateDir = opts.stateDir ?? (await mkdtemp(join(tmpdir(), 'kite-launch-')));
  const home = opts.home ?? (await mkdtemp(join(tmpdir(), 'kite-home-')));
  const ports = opts.ports ?? { api: await freePort(), redis: await freePort(), kubelet: await freePort(), dns: await freePort('127.0.0.10') };
  const nodes = opts.nodes ?? 2;
  const prefix = `127.1.${opts.slot}`;
  const args = [
    '--nodes', String(nodes), '--state-dir', stateDir, '--apiserver-port', String(ports.api), '--redis-port', String(ports.redis),
    '--kubelet-port', String(ports.kubelet), '--dns-port', String(ports.dns), '--scheduler-port', '0', '--controller-port', '0', '--node-ip-prefix', prefix, '--cluster-cidr', `127.${opts.slot}.0.0/16`, '--service-cidr', `127.33.${opts.slot}.0/24`,
  ];
  const env = { HOME: home };
  const proc = startApp('launcher', args, env);
  await waitFor(() => proc.output().includes('export KUBECONFIG='), { timeoutMs: 60_000, message: `the launcher summary:\n${proc.output()}` });
  return {
    proc,
    api: `https://127.0.0.1:${ports.api}`,
    stateDir,
    home,
    kubeconfig: join(stateDir, 'kubeconfig'),
    nodeIps: Array.from({ length: nodes }, (_, i) => `${prefix}.${i + 1}`),
    args,
    env,
  };
}

/** Pids of processes whose command line mentions `needle` (the state dir), other than this one. */
export function processesMentioning(needle: string): number[] {
  try {
    return execFileSync('pgrep', ['-f', needle], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number)
      .filter((pid) => pid !== process.pid);
  } catch {
    return [];
  }
}

/** Whether something listens on host:port. */
export async function listening(host: string, port: number): Promise<boolean> {
  const { connect } = await import('node:net');
  return new Promise((resolve) => {
    const s = connect({ host, port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}
