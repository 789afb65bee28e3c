// Runs a built app (apps/NAME/dist/main.js) as a real child process for integration tests,
// collecting its output so a failing test can show what the component logged.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { waitFor } from './wait.js';

/** The repository root, from this file's place in packages/testing/{src,dist}. */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export interface AppProcess {
  child: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** SIGTERM, then SIGKILL after `graceMs`. Resolves when the process has exited. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL, as a crash would. */
  kill(): Promise<void>;
  exited: Promise<number | null>;
}

/** Runs apps/APP/dist/main.js. */
export function startApp(app: string, args: string[], env: NodeJS.ProcessEnv = {}): AppProcess {
  return startScript(join(repoRoot, 'apps', app, 'dist', 'main.js'), args, env);
}

/**
 * Runs any built Node script (an app's second entry point, such as the DNS server). `nodeArgs`
 * go to Node itself (e.g. `--cpu-prof`, which Node does not accept through NODE_OPTIONS).
 */
export function startScript(path: string, args: string[], env: NodeJS.ProcessEnv = {}, nodeArgs: string[] = []): AppProcess {
  const child = spawn(process.execPath, [...nodeArgs, path, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (b: Buffer) => {
    out += b.toString();
    if (out.length > 1_000_000) out = out.slice(-500_000);
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
  return {
    child,
    output: () => out,
    stop: (graceMs = 5000) => signal('SIGTERM', graceMs),
    kill: () => signal('SIGKILL', 0),
    exited,
  };
}

/**
 * Waits until `url` answers 200, or the process exits, or the timeout passes. `fetchImpl` is how
 * to reach it (an HTTPS server needs one that trusts its CA: `testPki().fetcher()`).
 */
export async function waitHttpOk(url: string, proc?: AppProcess, timeoutMs = 15_000, fetchImpl: typeof fetch = fetch): Promise<void> {
  await waitFor(
    async () => {
      if (proc && (proc.child.exitCode !== null || proc.child.signalCode !== null)) {
        throw new Error(`process exited early:\n${proc.output().slice(-3000)}`);
      }
      const res = await fetchImpl(url).catch(() => undefined);
      return res?.ok === true;
    },
    { timeoutMs, message: `${url} to answer 200` },
  );
}

/** Waits until `proc` has logged `line` (its start-up message); throws with its output if it exits first. */
export async function waitLogged(proc: AppProcess, line: string, what: string, timeoutMs = 30_000): Promise<AppProcess> {
  await waitFor(
    () => {
      if (proc.child.exitCode !== null) throw new Error(`${what} exited:\n${proc.output().slice(-3000)}`);
      return proc.output().includes(line);
    },
    { timeoutMs, message: `${what} started` },
  );
  return proc;
}
