// Runs a built Node script as a child process with the AppProcess interface of @kite/testing
// (whose startApp only knows apps/NAME/dist/main.js): for dist/dns-main.js.
import { spawn } from 'node:child_process';
import type { AppProcess } from '@kite/testing';

/** Output kept per process: enough to show why a test failed. */
const MAX_OUTPUT = 500_000;

export function startScript(path: string, args: string[], env: NodeJS.ProcessEnv = {}): AppProcess {
  const child = spawn(process.execPath, [path, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (b: Buffer) => {
    out = (out + b.toString()).slice(-MAX_OUTPUT);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const signal = async (sig: NodeJS.Signals, graceMs: number) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(sig);
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };
  return { child, output: () => out, stop: (graceMs = 5000) => signal('SIGTERM', graceMs), kill: () => signal('SIGKILL', 0), exited };
}
