// Starts the built scheduler as its own process, like @kite/testing's startApp, but with optional
// Node flags (SCHEDULER_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", which Node does
// not accept through NODE_OPTIONS), so a benchmark run can profile it.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot, type AppProcess } from '@kite/testing';

export function startSchedulerProcess(args: string[], env: NodeJS.ProcessEnv = {}): AppProcess {
  const nodeArgs = (process.env.SCHEDULER_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');
  const child = spawn(process.execPath, [...nodeArgs, join(repoRoot, 'apps', 'scheduler', 'dist', 'main.js'), ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (b: Buffer) => {
    out = (out + b.toString()).slice(-200_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const signal = async (sig: NodeJS.Signals, graceMs: number) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(sig);
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };
  return { child, output: () => out, stop: (graceMs = 10_000) => signal('SIGTERM', graceMs), kill: () => signal('SIGKILL', 0), exited };
}
