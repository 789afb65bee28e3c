// Serves a ContainerRuntime on a Unix socket (docs/runtime-protocol.md), so the runtime (and the
// pods it runs) lives in its own process and outlives kubelet restarts, as containerd outlives
// the Kubernetes kubelet.
import { createServer, type Server, type Socket } from 'node:net';
import { rmSync } from 'node:fs';
import { RuntimeError } from './errors.js';
import type { ContainerRuntime } from './types.js';
import { encode, decode, lineSplitter, RUNTIME_METHODS, toWireError, type Frame, type Request, type RuntimeMethod } from './protocol.js';

type Callable = Record<RuntimeMethod, (...args: unknown[]) => Promise<unknown>>;

export function serveRuntime(runtime: ContainerRuntime, socketPath: string): Promise<Server> {
  rmSync(socketPath, { force: true });
  const subscribers = new Set<Socket>();
  runtime.onContainerEvent((event) => {
    const line = `${encode({ event } satisfies Frame)}\n`;
    for (const s of subscribers) s.write(line);
  });
  const server = createServer((socket) => {
    socket.on('close', () => subscribers.delete(socket));
    socket.on('error', () => subscribers.delete(socket));
    socket.on(
      'data',
      lineSplitter((line) => {
        let req: Request;
        try {
          req = decode(line) as Request;
        } catch {
          // Not JSON: there is no id to answer to, so the peer is told and cut off.
          socket.end(`${encode({ id: 0, error: toWireError(new RuntimeError('InvalidArgument', 'request is not a JSON object')) } satisfies Frame)}\n`);
          return;
        }
        void handle(runtime, socket, subscribers, req);
      }),
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve(server));
  });
}

async function handle(runtime: ContainerRuntime, socket: Socket, subscribers: Set<Socket>, req: Request): Promise<void> {
  let frame: Frame;
  try {
    if (req.method === 'subscribe') {
      subscribers.add(socket);
      frame = { id: req.id, result: null };
    } else if (req.method === 'ping') {
      frame = { id: req.id, result: process.pid };
    } else if ((RUNTIME_METHODS as readonly string[]).includes(req.method)) {
      const fn = (runtime as unknown as Callable)[req.method].bind(runtime);
      frame = { id: req.id, result: (await fn(...(Array.isArray(req.args) ? req.args : []))) ?? null };
    } else {
      throw new RuntimeError('Unimplemented', `unknown method ${String(req.method)}`);
    }
  } catch (err) {
    frame = { id: req.id, error: toWireError(err) };
  }
  if (!socket.destroyed) socket.write(`${encode(frame)}\n`);
}
