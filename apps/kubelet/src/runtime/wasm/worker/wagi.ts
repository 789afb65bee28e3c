// Serves a WASI preview1 module WAGI-style inside the container's Worker: an HTTP server on
// the pod IP and each container port; every request instantiates the module afresh with the
// request in env and stdin, and the module's stdout becomes the response (see cgi.ts).
// Why per request: a kilobyte module instantiates in well under a millisecond, requests share
// no state, and an idle pod costs only its Worker and sockets.
// Stop: close the listeners, let in-flight requests finish, exit 0 (the runtime kills the
// Worker if that takes longer than the grace period).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { MessagePort } from 'node:worker_threads';
import { CriLogWriter } from '@kite/cri';
import { TerminationReason } from '@kite/cri';
import { Preview1Host } from '../wasi/preview1.js';
import { cgiEnvironment, parseCgiOutput } from './cgi.js';
import { guestExitFromTrap as exitFromTrap } from '@kite/cri';
import type { ExitInfo, HostToWorker, ListenAddress, WorkerJob } from './protocol.js';

/** Largest request body passed to a guest. */
export const MAX_REQUEST_BODY_BYTES = 1024 * 1024;

function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_REQUEST_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () => resolve(size > MAX_REQUEST_BODY_BYTES ? undefined : Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/** What a request's instance gets from its container's job. */
export type WagiJob = Pick<WorkerJob, 'args' | 'env' | 'preopens' | 'memoryLimitBytes'>;

/** Where a guest's stderr and the handler's failures go (the container log). */
export interface WagiLog {
  write(stream: 'stderr', chunk: Uint8Array): void;
}

export class WagiServer {
  readonly #job: WagiJob;
  readonly #module: WebAssembly.Module;
  readonly #log: WagiLog;

  constructor(job: WagiJob, module: WebAssembly.Module, log: WagiLog) {
    this.#job = job;
    this.#module = module;
    this.#log = log;
  }

  async handle(request: IncomingMessage, response: ServerResponse, address: ListenAddress): Promise<void> {
    const body = await readBody(request);
    if (!body) {
      response.writeHead(413).end('request body too large\n');
      return;
    }
    const stdout: Buffer[] = [];
    const host = new Preview1Host({
      args: this.#job.args,
      env: [...this.#job.env, ...cgiEnvironment(request, address.host, address.port, body.length)],
      preopens: this.#job.preopens,
      stdio: { stdin: body, stdout: (b) => stdout.push(Buffer.from(b)), stderr: (b) => this.#log.write('stderr', b) },
    });
    try {
      const code = host.start(new WebAssembly.Instance(this.#module, host.imports()));
      const parsed = parseCgiOutput(Buffer.concat(stdout));
      if (code !== 0 || !parsed) throw new Error(code !== 0 ? `handler exited with ${code}` : 'handler printed no CGI header block');
      response.writeHead(parsed.status, Object.fromEntries(parsed.headers)).end(parsed.body);
    } catch (error) {
      const exit = exitFromTrap(error, host.memory.byteLength, this.#job.memoryLimitBytes);
      this.#log.write('stderr', Buffer.from(`kite: request ${request.method} ${request.url} failed: ${exit.message ?? exit.reason}\n`));
      response.writeHead(500, { 'content-type': 'text/plain' }).end('handler failed\n');
    }
  }
}

export function listen(server: Server, address: ListenAddress): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(address.port, address.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

export function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}

export async function serveWagi(job: WorkerJob, port: MessagePort): Promise<void> {
  if (!job.module) throw new Error('wagi job without a module');
  const log = new CriLogWriter(job.logPath);
  const wagi = new WagiServer(job, job.module, log);
  const servers = job.listen.map((address) => {
    const server = createServer((req, res) => void wagi.handle(req, res, address));
    return { server, address };
  });
  const finish = (exit: ExitInfo): void => {
    if (exit.message) log.write('stderr', Buffer.from(`kite: ${exit.message}\n`));
    log.close();
    port.postMessage({ type: 'exit', ...exit });
    port.close();
  };
  try {
    await Promise.all(servers.map(({ server, address }) => listen(server, address)));
  } catch (error) {
    await Promise.all(servers.map(({ server }) => close(server)));
    finish({ exitCode: 128, reason: TerminationReason.StartError, message: `cannot listen: ${(error as Error).message}` });
    return;
  }
  port.on('message', (message: HostToWorker) => {
    if (message.type !== 'stop') return;
    void Promise.all(servers.map(({ server }) => close(server))).then(() => finish({ exitCode: 0, reason: TerminationReason.Completed }));
  });
  port.postMessage({ type: 'ready' });
}
