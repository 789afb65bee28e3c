// The wire protocol between the kubelet and a runtime daemon (like CRI's gRPC socket, but
// newline-delimited JSON over a Unix socket): requests name a ContainerRuntime method and its
// arguments; responses carry the result or a typed error; the daemon pushes container events to
// connections that subscribed. Dates and byte arrays are encoded so they survive JSON.
import { ImagePullError, RuntimeError, type ImagePullReason, type RuntimeErrorCode } from '../errors.js';

export const RUNTIME_METHODS = [
  'runPodSandbox',
  'stopPodSandbox',
  'removePodSandbox',
  'podSandboxStatus',
  'listPodSandboxes',
  'createContainer',
  'startContainer',
  'stopContainer',
  'removeContainer',
  'containerStatus',
  'listContainers',
  'listContainerStats',
  'execSync',
  'pullImage',
  'imageStatus',
  'listImages',
  'removeImage',
] as const;
export type RuntimeMethod = (typeof RUNTIME_METHODS)[number];

export interface Request {
  id: number;
  method: RuntimeMethod | 'subscribe' | 'ping';
  args: unknown[];
}

export interface WireError {
  name: string;
  message: string;
  code?: RuntimeErrorCode;
  reason?: ImagePullReason;
}

export type Frame =
  | { id: number; result: unknown }
  | { id: number; error: WireError }
  | { event: unknown };

/** JSON replacer/reviver pair: Dates become {$date}, byte arrays {$bytes} (base64). */
export function encode(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key, v: unknown) {
    const raw = this[key];
    if (raw instanceof Date) return { $date: raw.toISOString() };
    if (raw instanceof Uint8Array) return { $bytes: Buffer.from(raw).toString('base64') };
    return v;
  });
}

export function decode(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      if (typeof o.$date === 'string' && Object.keys(o).length === 1) return new Date(o.$date);
      if (typeof o.$bytes === 'string' && Object.keys(o).length === 1) return new Uint8Array(Buffer.from(o.$bytes, 'base64'));
    }
    return v;
  });
}

export function toWireError(err: unknown): WireError {
  if (err instanceof ImagePullError) return { name: 'ImagePullError', message: err.message, reason: err.reason };
  if (err instanceof RuntimeError) return { name: 'RuntimeError', message: err.message, code: err.code };
  return { name: 'Error', message: err instanceof Error ? err.message : String(err) };
}

export function fromWireError(e: WireError): Error {
  if (e.name === 'ImagePullError' && e.reason) return new ImagePullError(e.reason, e.message);
  if (e.name === 'RuntimeError' && e.code) return new RuntimeError(e.code, e.message);
  return new Error(e.message);
}

/** Splits a byte stream into lines, calling `onLine` for each complete one. */
export function lineSplitter(onLine: (line: string) => void): (chunk: Buffer) => void {
  let buf = '';
  return (chunk) => {
    buf += chunk.toString('utf8');
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      if (line) onLine(line);
    }
  };
}
