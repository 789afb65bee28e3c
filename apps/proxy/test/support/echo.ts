// Raw TCP and UDP echo servers standing in for pods in the L4 tests, and the clients that talk to
// them. The TCP echo answers every chunk with `NAME:chunk` and, once the client has shut down its
// sending side, a last `NAME:eof` before closing its own: a client that reads that line proves
// half-close travelled both ways through the proxy. The UDP echo answers `NAME:datagram`.
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect, createServer, type Server, type Socket } from 'node:net';

/** How long a test exchange may take. */
const EXCHANGE_TIMEOUT_MS = 5000;

export interface EchoServer {
  name: string;
  ip: string;
  port: number;
  /** TCP connections accepted, or UDP datagrams received. */
  hits: number;
  close(): Promise<void>;
}

export async function startTcpEcho(name: string, ip: string, port: number): Promise<EchoServer> {
  const sockets = new Set<Socket>();
  const echo: EchoServer = { name, ip, port, hits: 0, close: async () => undefined };
  const server: Server = createServer({ allowHalfOpen: true }, (socket) => {
    echo.hits++;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.on('data', (d: Buffer) => socket.write(`${name}:${d.toString()}`));
    socket.on('end', () => socket.end(`${name}:eof`));
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, ip, () => resolve()));
  echo.close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return echo;
}

export async function startUdpEcho(name: string, ip: string, port: number): Promise<EchoServer> {
  const socket = createSocket('udp4');
  const echo: EchoServer = { name, ip, port, hits: 0, close: async () => undefined };
  socket.on('message', (msg, from) => {
    echo.hits++;
    socket.send(`${name}:${msg.toString()}`, from.port, from.address);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind({ address: ip, port }, () => resolve());
  });
  echo.close = () => new Promise<void>((resolve) => socket.close(() => resolve()));
  return echo;
}

/**
 * Connects, sends `payload`, shuts down the sending side and resolves with everything the peer
 * sent until it closed. Rejects on a reset or refusal (with the error's code).
 */
export function tcpExchange(host: string, port: number, payload: string, localAddress?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, localAddress, allowHalfOpen: true });
    let text = '';
    socket.setTimeout(EXCHANGE_TIMEOUT_MS, () => socket.destroy(new Error(`tcp exchange with ${host}:${port} timed out; got ${JSON.stringify(text)}`)));
    socket.on('connect', () => socket.end(payload));
    socket.on('data', (d: Buffer) => (text += d.toString()));
    socket.on('end', () => {
      socket.destroy();
      resolve(text);
    });
    socket.on('error', reject);
  });
}

/** A TCP connection kept open: `say` sends a line and resolves with the next chunk answered. */
export interface TcpConversation {
  say(text: string): Promise<string>;
  close(): void;
}

export function tcpConversation(host: string, port: number, localAddress?: string): Promise<TcpConversation> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, localAddress });
    socket.once('error', reject);
    socket.once('connect', () =>
      resolve({
        say: (text) =>
          new Promise<string>((ok, fail) => {
            const timer = setTimeout(() => fail(new Error(`no answer to ${text}`)), EXCHANGE_TIMEOUT_MS);
            socket.once('data', (d: Buffer) => {
              clearTimeout(timer);
              ok(d.toString());
            });
            socket.once('error', fail);
            socket.write(text);
          }),
        close: () => socket.destroy(),
      }),
    );
  });
}

/** A UDP client on its own local address and port: `ask` sends a datagram and resolves with the reply. */
export interface UdpClient {
  /** `ip:port` of the client. */
  address: string;
  ask(text: string, timeoutMs?: number): Promise<{ text: string; from: string }>;
  close(): void;
}

export async function udpClient(host: string, port: number, localAddress: string): Promise<UdpClient> {
  const socket: UdpSocket = createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind({ address: localAddress, port: 0 }, () => resolve());
  });
  const local = socket.address();
  return {
    address: `${local.address}:${local.port}`,
    ask: (text, timeoutMs = EXCHANGE_TIMEOUT_MS) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          socket.off('message', onMessage);
          reject(new Error(`no UDP reply to ${text} from ${host}:${port}`));
        }, timeoutMs);
        const onMessage = (msg: Buffer, from: { address: string; port: number }) => {
          clearTimeout(timer);
          socket.off('message', onMessage);
          resolve({ text: msg.toString(), from: `${from.address}:${from.port}` });
        };
        socket.on('message', onMessage);
        socket.send(text, port, host);
      }),
    close: () => socket.close(),
  };
}
