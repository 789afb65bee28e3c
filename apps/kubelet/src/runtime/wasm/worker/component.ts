// Runs a transpiled component inside the container's Worker: a wasi:http incoming-handler
// served on the pod IP and container ports, or a wasi:cli command run to completion.
// Host: @bytecodealliance/preview2-shim (Node), one WASIShim per container with its own env,
// args and preopens; read-only mounts are enforced by component-readonly.ts. The shim keeps
// process-wide state and an I/O thread, which is fine here: one Worker serves one container.
// wasi:cli/exit is overridden, since the shim's version would exit the whole kubelet.
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import type { MessagePort } from 'node:worker_threads';
import * as shimHttp from '@bytecodealliance/preview2-shim/http';
import { WASIShim } from '@bytecodealliance/preview2-shim/instantiation';
import { TerminationReason } from '@kite/cri';
import { enforceReadOnlyMounts, type FilesystemImports } from './component-readonly.js';
import { guestExitFromCode as exitFromCode, guestExitFromTrap as exitFromTrap } from '@kite/cri';
import type { ExitInfo, HostToWorker, WorkerJob } from './protocol.js';
import { reportUsage } from './usage-report.js';

/** The file jco writes the component's JavaScript to (see ../components/transpile.ts). */
export const COMPONENT_ENTRY = 'component.js';

type ImportObject = Record<string, unknown>;
type Instantiate = (getCoreModule: (name: string) => WebAssembly.Module, imports: ImportObject) => Promise<Record<string, unknown>>;
interface IncomingHandler {
  handle: (...args: never[]) => void;
}
interface RunExport {
  run: () => void;
}
/** The Node.js shim's server (its package's type conditions resolve to the browser build). */
interface ShimHttpServer {
  listen(port: number, host: string): void;
  stop(): void;
}
const { HTTPServer } = shimHttp as unknown as { HTTPServer: new (handler: IncomingHandler) => ShimHttpServer };

/** Thrown by the overridden wasi:cli/exit to unwind the guest with its exit code. */
class ComponentExit extends Error {
  constructor(readonly code: number) {
    super(`exit(${code})`);
  }
}

function imports(job: WorkerJob): ImportObject {
  const shim = new WASIShim({
    sandbox: { preopens: Object.fromEntries(job.preopens.map((p) => [p.guestPath, p.hostPath])), env: Object.fromEntries(job.env), args: job.args },
  });
  const object = shim.getImportObject() as unknown as ImportObject;
  object['wasi:cli/exit'] = {
    exit: (status: { tag: string }) => {
      throw new ComponentExit(status.tag === 'err' ? 1 : 0);
    },
    exitWithCode: (code: number) => {
      throw new ComponentExit(code);
    },
  };
  const readOnly = new Set(job.preopens.filter((p) => p.readOnly).map((p) => p.guestPath));
  enforceReadOnlyMounts(object as unknown as FilesystemImports, readOnly);
  return object;
}

async function instantiate(job: WorkerJob): Promise<Record<string, unknown>> {
  if (!job.componentDir || !job.coreModules) throw new Error('component job without a transpiled component');
  const modules = job.coreModules;
  const { instantiate: create } = (await import(pathToFileURL(join(job.componentDir, COMPONENT_ENTRY)).href)) as { instantiate: Instantiate };
  return create((name) => {
    const module = modules[name];
    if (!module) throw new Error(`transpiled component has no core module ${name}`);
    return module;
  }, imports(job));
}

function findExport<T>(instance: Record<string, unknown>, short: string, prefix: string, check: (v: unknown) => v is T): T | undefined {
  const candidates = [instance[short], ...Object.entries(instance).filter(([k]) => k.startsWith(prefix)).map(([, v]) => v)];
  return candidates.find(check);
}

const isHandler = (v: unknown): v is IncomingHandler => typeof v === 'object' && v !== null && typeof (v as IncomingHandler).handle === 'function';
const isRun = (v: unknown): v is RunExport => typeof v === 'object' && v !== null && typeof (v as RunExport).run === 'function';

function runCli(instance: Record<string, unknown>, job: WorkerJob, port: MessagePort): ExitInfo {
  const run = findExport(instance, 'run', 'wasi:cli/run@', isRun);
  if (!run) throw new Error('component exports no wasi:cli/run');
  reportUsage(port);
  port.postMessage({ type: 'ready' });
  try {
    run.run();
    return exitFromCode(0);
  } catch (error) {
    if (error instanceof ComponentExit) return exitFromCode(error.code);
    // jco throws the err payload of run's result<_, _> (here `undefined`) when the command
    // fails; a trap is a WebAssembly.RuntimeError (an Error).
    if (!(error instanceof Error) || error.name === 'ComponentError') return exitFromCode(1);
    return exitFromTrap(error, 0, job.memoryLimitBytes);
  }
}

function serveHttp(instance: Record<string, unknown>, job: WorkerJob, port: MessagePort, finish: (exit: ExitInfo) => void): void {
  const handler = findExport(instance, 'incomingHandler', 'wasi:http/incoming-handler@', isHandler);
  if (!handler) throw new Error('component exports no wasi:http/incoming-handler');
  const servers = job.listen.map(() => new HTTPServer(handler));
  try {
    servers.forEach((server, i) => {
      const address = job.listen[i];
      if (address) server.listen(address.port, address.host);
    });
  } catch (error) {
    servers.forEach((s) => s.stop());
    throw new Error(`cannot listen: ${(error as Error).message ?? String(error)}`);
  }
  port.on('message', (message: HostToWorker) => {
    if (message.type !== 'stop') return;
    servers.forEach((s) => s.stop());
    finish({ exitCode: 0, reason: TerminationReason.Completed });
  });
  port.postMessage({ type: 'ready' });
}

export async function runComponent(job: WorkerJob, port: MessagePort): Promise<void> {
  const finish = (exit: ExitInfo): void => {
    if (exit.message) process.stderr.write(`kite: ${exit.message}\n`);
    port.postMessage({ type: 'exit', ...exit });
    // The shim's I/O thread and timers would keep this Worker alive: end it once the exit is posted.
    setImmediate(() => process.exit(0));
  };
  let instance: Record<string, unknown>;
  try {
    instance = await instantiate(job);
  } catch (error) {
    const exit = exitFromTrap(error, 0, job.memoryLimitBytes);
    finish({ ...exit, reason: exit.reason === TerminationReason.OOMKilled ? exit.reason : TerminationReason.StartError, exitCode: exit.reason === TerminationReason.OOMKilled ? exit.exitCode : 128 });
    return;
  }
  if (job.kind === 'cli-component') finish(runCli(instance, job, port));
  else serveHttp(instance, job, port, finish);
}
