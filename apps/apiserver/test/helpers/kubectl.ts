// Runs the real kubectl (/usr/bin/kubectl, v1.32) against a real apiserver process started for the
// test. kubectl never sees the user's configuration: KUBECONFIG and HOME point into a temporary
// directory, discovery and OpenAPI are cached in another one (`--cache-dir`), and KUBECONFIG is the
// admin's kubeconfig for the test apiserver (its CA and client certificate embedded), so nothing
// but 127.0.0.1 is ever contacted.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApiServerProcess, startRedis, waitFor, type ApiServerHandle, type RedisHandle } from '@kite/testing';

export const KUBECTL = '/usr/bin/kubectl';
/** Longest a single kubectl call may take before the test fails. */
const KUBECTL_TIMEOUT_MS = 20_000;

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A kubectl that keeps running (`get -w`): its output so far, and a way to stop it. */
export interface RunningKubectl {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Polls until stdout has a line matching `pattern`; returns that line. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  stop(): Promise<void>;
}

export interface KubectlEnv {
  redis: RedisHandle;
  server: ApiServerHandle;
  dir: string;
  /** Runs kubectl to completion. Never throws for a non-zero exit: check `code`. */
  kubectl(...args: string[]): Promise<KubectlResult>;
  /** Starts a kubectl that runs until stopped. */
  spawnKubectl(...args: string[]): RunningKubectl;
  /** Writes a manifest into the temporary directory and returns its path. */
  manifest(name: string, yaml: string): Promise<string>;
  close(): Promise<void>;
}

function isolatedEnv(dir: string, kubeconfig: string): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, KUBECONFIG: kubeconfig, NO_PROXY: '127.0.0.1', no_proxy: '127.0.0.1' };
}

/** Starts Redis and an apiserver process (apps/apiserver/dist must be built) and a kubectl sandbox. */
export async function startKubectlEnv(): Promise<KubectlEnv> {
  const dir = await mkdtemp(join(tmpdir(), 'kite-kubectl-'));
  const redis = await startRedis();
  const server = await startApiServerProcess(redis.url);
  const env = isolatedEnv(dir, await server.kubeconfig());
  const common = ['--cache-dir', join(dir, 'cache')];
  const running: RunningKubectl[] = [];

  const kubectl = (...args: string[]) =>
    new Promise<KubectlResult>((resolve) => {
      execFile(KUBECTL, [...common, ...args], { env, timeout: KUBECTL_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        resolve({ code, stdout, stderr });
      });
    });

  const spawnKubectl = (...args: string[]): RunningKubectl => {
    const child = spawn(KUBECTL, [...common, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let errOut = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (errOut += b.toString()));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const handle: RunningKubectl = {
      child,
      stdout: () => out,
      stderr: () => errOut,
      waitForLine: (pattern, timeoutMs = 10_000) =>
        waitFor(() => out.split('\n').find((line) => pattern.test(line)), { timeoutMs, message: `kubectl ${args.join(' ')} to print ${pattern}; stdout:\n${out}\nstderr:\n${errOut}` }),
      stop: async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        await exited;
      },
    };
    running.push(handle);
    return handle;
  };

  return {
    redis,
    server,
    dir,
    kubectl,
    spawnKubectl,
    manifest: async (name, yaml) => {
      const path = join(dir, name);
      await writeFile(path, yaml);
      return path;
    },
    close: async () => {
      await Promise.all(running.map((r) => r.stop()));
      await server.stop();
      await redis.destroy();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Splits kubectl's table output into rows of cells (columns are separated by 2+ spaces). */
export function tableRows(stdout: string): string[][] {
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => line.trim().split(/\s{2,}/));
}
