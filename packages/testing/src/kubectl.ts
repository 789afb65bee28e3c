// Runs the real kubectl (/usr/bin/kubectl) in isolation: its own HOME and discovery cache, and
// a kubeconfig (or --server) that names only a loopback apiserver.
import { execFile } from 'node:child_process';
import { join } from 'node:path';

export const KUBECTL = '/usr/bin/kubectl';

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface KubectlOptions {
  kubeconfig: string;
  /** A scratch directory for HOME and the discovery cache. */
  dir: string;
  timeoutMs?: number;
}

/** Runs kubectl to completion; never throws for a non-zero exit (check `code`). */
export function kubectl(opts: KubectlOptions, ...args: string[]): Promise<KubectlResult> {
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: opts.dir, KUBECONFIG: opts.kubeconfig, NO_PROXY: '127.0.0.1', no_proxy: '127.0.0.1' };
  return new Promise((resolve) => {
    execFile(KUBECTL, ['--cache-dir', join(opts.dir, 'kube-cache'), ...args], { env, timeout: opts.timeoutMs ?? 60_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}
