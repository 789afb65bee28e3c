// BodyReplay: keeps a copy of a request body so the request can be sent again to another endpoint
// after a refused or reset connection.
//
// Why: http-proxy streams the client's request into the first upstream request; once consumed, the
// stream cannot be read again. A retry therefore sends a fresh stream of the recorded chunks
// (http-proxy's `buffer` option).
// Contract:
// - A request without a body (no Content-Length > 0, no Transfer-Encoding) records nothing and
//   replays as an empty stream.
// - Chunks are recorded as they arrive (beside http-proxy's own pipe, so nothing is delayed) up to
//   MAX_REPLAY_BYTES; past it the body is not replayable and the request is not retried.
// - `replay()` waits for the whole body to arrive, then gives a new readable of it (or undefined
//   when it turned out too large).
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';

/** Largest request body kept for a retry; larger bodies are streamed once and never retried. */
export const MAX_REPLAY_BYTES = 256 * 1024;

function hasBody(req: IncomingMessage): boolean {
  const length = Number(req.headers['content-length'] ?? 0);
  return length > 0 || req.headers['transfer-encoding'] !== undefined;
}

export class BodyReplay {
  private readonly chunks: Buffer[] = [];
  private bytes = 0;
  private overflow = false;
  private readonly complete: Promise<void>;

  constructor(private readonly req: IncomingMessage) {
    if (!hasBody(req)) {
      this.complete = Promise.resolve();
      return;
    }
    req.on('data', (chunk: Buffer) => {
      if (this.overflow) return;
      this.bytes += chunk.length;
      if (this.bytes > MAX_REPLAY_BYTES) {
        this.overflow = true;
        this.chunks.length = 0;
      } else this.chunks.push(chunk);
    });
    this.complete = new Promise((resolve, reject) => {
      if (req.readableEnded) resolve();
      req.once('end', resolve);
      req.once('error', reject);
      req.once('close', () => (req.readableEnded ? resolve() : reject(new Error('request closed before its body ended'))));
    });
    this.complete.catch(() => undefined);
  }

  replayable(): boolean {
    return !this.overflow;
  }

  /**
   * The whole body as a new stream, once it has arrived; undefined when it outgrew the limit.
   * Resumes the request first: the failed attempt's pipe may have paused it under back-pressure.
   */
  async replay(): Promise<Readable | undefined> {
    this.req.resume();
    await this.complete;
    return this.overflow ? undefined : Readable.from(this.chunks);
  }
}
