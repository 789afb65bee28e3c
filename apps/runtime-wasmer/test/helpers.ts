// Starts the built plugin (apps/runtime-wasmer/dist/main.js) as a real process on a socket in a
// temporary directory and connects to it as the kubelet does, with RemoteRuntime.
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RemoteRuntime, parseCriLog, type ContainerConfig, type ContainerStatus, type LogStream } from '@kite/cri';
import { repoRoot, startApp, waitFor, type AppProcess } from '@kite/testing';

export const EXAMPLES = join(repoRoot, 'examples', 'wasm-pods');

export interface Plugin {
  proc: AppProcess;
  rt: RemoteRuntime;
  dir: string;
}

export async function startPlugin(): Promise<Plugin> {
  for (const built of ['dist/main.js', 'dist/guest/entry.js', 'dist/guest/preload.js']) {
    if (!existsSync(join(repoRoot, 'apps', 'runtime-wasmer', built))) throw new Error(`apps/runtime-wasmer/${built} is missing: run \`npx turbo run build\` first`);
  }
  const dir = await mkdtemp(join(tmpdir(), 'kite-wasmer-'));
  const socketPath = join(dir, 'wasmer.sock');
  const proc = startApp('runtime-wasmer', ['--socket', socketPath, '--root-dir', join(dir, 'root'), '--image-path', EXAMPLES]);
  await waitFor(
    () => {
      if (proc.child.exitCode !== null) throw new Error(`the plugin exited:\n${proc.output()}`);
      return existsSync(socketPath);
    },
    { timeoutMs: 15_000, message: 'the plugin socket' },
  );
  const rt = new RemoteRuntime({ name: 'wasmer', socketPath });
  await rt.connect();
  return { proc, rt, dir };
}

export async function stopPlugin(p: Plugin | undefined): Promise<void> {
  await p?.rt.close();
  await p?.proc.stop();
}

/** A container config with the defaults the kubelet would fill in. */
export function container(name: string, image: string, extra: Partial<ContainerConfig> = {}): ContainerConfig {
  return { name, image, command: [], args: [], env: [], mounts: [], ports: [], logPath: `${name}/0.log`, ...extra };
}

export async function waitExited(rt: RemoteRuntime, id: string, timeoutMs = 15_000): Promise<ContainerStatus> {
  return waitFor(
    async () => {
      const s = await rt.containerStatus(id);
      return s.state === 'exited' ? s : undefined;
    },
    { timeoutMs, message: `container ${id} to exit` },
  );
}

/** The container's log as `stream: line` records. */
export function logLines(status: ContainerStatus): Array<{ stream: LogStream; line: string }> {
  return parseCriLog(readFileSync(status.logPath, 'utf8')).map(({ stream, line }) => ({ stream, line }));
}

/** Pids of the live (not zombie) children of process `pid`, from /proc. */
export function childPids(pid: number): number[] {
  const out: number[] = [];
  let tasks: string[] = [];
  try {
    tasks = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
  } catch {
    return [];
  }
  for (const child of tasks.map(Number)) if (alive(child)) out.push(child);
  return out;
}

/** Whether `pid` is a running (or sleeping) process rather than gone or a zombie. */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
