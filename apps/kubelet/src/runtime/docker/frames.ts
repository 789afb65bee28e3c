// Splits the engine's multiplexed output stream (logs, exec and attach without a TTY) into
// frames: each is an 8-byte header [stream, 0, 0, 0, size as uint32 big-endian] and `size` bytes
// of one write by the container. Chunks from the socket may cut frames anywhere; the decoder
// keeps the remainder for the next chunk.
export type OutputStream = 'stdout' | 'stderr';

export interface Frame {
  stream: OutputStream;
  data: Buffer;
}

const HEADER_BYTES = 8;
/** Stream ids in the header: 0 stdin (echoed), 1 stdout, 2 stderr. */
const STDERR = 2;

export class FrameDecoder {
  #buffer: Buffer = Buffer.alloc(0);

  /** Returns the frames completed by this chunk, in order. */
  push(chunk: Buffer): Frame[] {
    this.#buffer = this.#buffer.length ? Buffer.concat([this.#buffer, chunk]) : chunk;
    const frames: Frame[] = [];
    while (this.#buffer.length >= HEADER_BYTES) {
      const size = this.#buffer.readUInt32BE(4);
      if (this.#buffer.length < HEADER_BYTES + size) break;
      const stream: OutputStream = this.#buffer[0] === STDERR ? 'stderr' : 'stdout';
      frames.push({ stream, data: this.#buffer.subarray(HEADER_BYTES, HEADER_BYTES + size) });
      this.#buffer = this.#buffer.subarray(HEADER_BYTES + size);
    }
    return frames;
  }
}
