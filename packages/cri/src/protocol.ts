// The wire protocol between the kubelet and a runtime (docs/runtime-protocol.md): the CRI's
// RuntimeService and ImageService as newline-delimited JSON over a Unix socket. Requests name a
// ContainerRuntime method and its positional arguments; responses carry the result or a typed
// error; the runtime pushes container events to connections that subscribed. Dates and byte
// arrays are encoded so they survive JSON. A runtime in any language can speak it.
import { ImagePullError, RuntimeError, type ImagePullReason, type RuntimeErrorCode } from './errors.js';
import type { RuntimeStatus, VersionInfo } from './types.js';

/**
 * The protocol's version, answered by `version` as runtimeApiVersion. A kubelet refuses a runtime
 * that answers another one; additions that old peers can ignore keep the version.
 */
export const RUNTIME_API_VERSION = 'kite.runtime.v1';

export const RUNTIME_METHODS = [
  'version',
  'status',
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

/** The VersionInfo of a runtime built on this package. */
export function versionInfo(runtimeName: string, runtimeVersion: string): VersionInfo {
  return { runtimeApiVersion: RUNTIME_API_VERSION, runtimeName, runtimeVersion };
}

/** A RuntimeStatus with both conditions true. */
export function readyStatus(): RuntimeStatus {
  return { conditions: [{ type: 'RuntimeReady', status: true }, { type: 'NetworkReady', status: true }] };
}

/** Why a runtime is not ready (undefined when both conditions hold), for logs and Node conditions. */
export function notReadyReason(status: RuntimeStatus): string | undefined {
  const bad = status.conditions.filter((c) => !c.status);
  const missing = (['RuntimeReady', 'NetworkReady'] as const).filter((t) => !status.conditions.some((c) => c.type === t));
  const parts = [...bad.map((c) => `${c.type}=false${c.reason ? ` reason:${c.reason}` : ''}${c.message ? ` message:${c.message}` : ''}`), ...missing.map((t) => `${t} missing`)];
  return parts.length > 0 ? parts.join(', ') : undefined;
}
