// The connection to the Docker Engine: a dockerode client on DOCKER_HOST (default: the local Unix
// socket), a bounded liveness check, and the mapping of the engine's HTTP errors onto the
// runtime interface's typed errors (errors.ts), so callers branch on codes, not on messages.
import Dockerode from 'dockerode';
import { RuntimeError, type RuntimeErrorCode } from '@kite/cri';

/** How long the engine may take to answer the first ping before the runtime is not offered. */
export const DEFAULT_PING_TIMEOUT_MS = 5000;

/** A client for the engine DOCKER_HOST names (docker-modem reads it), or the local socket. */
export function dockerClient(): Dockerode {
  return new Dockerode();
}

/** Resolves with the engine's API version once it answers; rejects after `timeoutMs`. */
export async function pingEngine(docker: Dockerode, timeoutMs = DEFAULT_PING_TIMEOUT_MS): Promise<string> {
  const version = await withTimeout(docker.version(), timeoutMs, `the Docker engine did not answer within ${timeoutMs} ms`);
  return version.ApiVersion;
}

/** Rejects with `message` if `promise` has not settled after `ms` (the call itself goes on). */
export async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The HTTP status of a failed engine call (dockerode puts it on the error), if any. */
export function statusOf(error: unknown): number | undefined {
  const code = (error as { statusCode?: unknown } | undefined)?.statusCode;
  return typeof code === 'number' ? code : undefined;
}

/** The engine's own message (its JSON `message`), without dockerode's "(HTTP code ...)" prefix. */
export function engineMessage(error: unknown): string {
  const json = (error as { json?: unknown } | undefined)?.json;
  if (json && typeof json === 'object' && typeof (json as { message?: unknown }).message === 'string') return (json as { message: string }).message;
  if (typeof json === 'string' && json.trim()) return json.trim();
  const message = error instanceof Error ? error.message : String(error);
  // Streamed calls (pull, logs) carry the engine's message only inside dockerode's text.
  return message.replace(/^\(HTTP code \d+\) [^-]*- /, '').trim();
}

const CODES: Record<number, RuntimeErrorCode> = { 400: 'InvalidArgument', 404: 'NotFound', 409: 'FailedPrecondition' };

/** A RuntimeError for a failed engine call: `what` says what was being done. */
export function toRuntimeError(error: unknown, what: string): RuntimeError {
  if (error instanceof RuntimeError) return error;
  const status = statusOf(error);
  return new RuntimeError((status !== undefined && CODES[status]) || 'Internal', `${what}: ${engineMessage(error)}`);
}

/** Runs an engine call, treating the listed HTTP statuses as "nothing to do". */
export async function tolerate(call: Promise<unknown>, ...statuses: number[]): Promise<void> {
  try {
    await call;
  } catch (error) {
    if (!statuses.includes(statusOf(error) ?? -1)) throw error;
  }
}

/** Ends a response stream the engine keeps open (logs, events, exec). */
export function destroyStream(stream: NodeJS.ReadableStream): void {
  (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
}
