// The watcher side of the fan-out phase: HTTP watch streams read as bytes, and a ledger that turns
// "write i sent / acknowledged / seen by a watcher" into latencies. Lines are never JSON-parsed:
// 100 watchers can mean 100,000+ lines a second through this one process, which shares two cores
// with the apiserver. A line is attributed to its write by the object's name, `f-<i>`.
import type { Pool } from 'undici';
import { LatencyRecorder } from './stats.js';

/** Prefix of the names the fan-out writer gives its objects; the digits after it are the write. */
export const FANOUT_NAME_PREFIX = 'f-';

const NEWLINE = 0x0a;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const NAME_FIELD = Buffer.from(`"name":"${FANOUT_NAME_PREFIX}`);

/**
 * Times of each write (sent, acknowledged) by write index, and the two latencies of every line a
 * watcher receives: from the acknowledgement (what the issue asks) and from the send (end to end,
 * never negative). A line may arrive before its acknowledgement, when the apiserver answers the
 * writer and the watchers in the same instant and this process reads the watchers' sockets first;
 * that line counts 0 ms from the acknowledgement.
 */
export class DeliveryLedger {
  readonly fromAck: LatencyRecorder;
  readonly fromSend: LatencyRecorder;
  private readonly sentAt: Float64Array;
  private readonly ackedAt: Float64Array;
  delivered = 0;
  beforeAck = 0;
  /** Lines whose write could not be identified (should stay 0). */
  unknown = 0;
  lastSeen = 0;

  constructor(maxWrites: number, watchers: number) {
    this.sentAt = new Float64Array(maxWrites);
    this.ackedAt = new Float64Array(maxWrites);
    this.fromAck = new LatencyRecorder(maxWrites * watchers);
    this.fromSend = new LatencyRecorder(maxWrites * watchers);
  }

  sent(write: number, at: number): void {
    this.sentAt[write] = at;
  }

  acked(write: number, at: number): void {
    this.ackedAt[write] = at;
  }

  seen(write: number, at: number): void {
    this.delivered++;
    this.lastSeen = at;
    const sent = write >= 0 ? this.sentAt[write] : undefined;
    if (!sent) {
      this.unknown++;
      return;
    }
    this.fromSend.record(at - sent);
    const acked = this.ackedAt[write] ?? 0;
    if (acked > 0) this.fromAck.record(at - acked);
    else {
      this.beforeAck++;
      this.fromAck.record(0);
    }
  }
}

/** The write index in the object name inside [start, end) of `buf`, or -1. */
function writeIndexIn(buf: Buffer, start: number, end: number): number {
  let i = buf.indexOf(NAME_FIELD, start);
  if (i < 0 || i >= end) return -1;
  let n = 0;
  for (i += NAME_FIELD.length; i < end; i++) {
    const c = buf[i] ?? 0;
    if (c < DIGIT_0 || c > DIGIT_9) break;
    n = n * 10 + (c - DIGIT_0);
  }
  return n;
}

export interface Watch {
  lines: number;
  ended: boolean;
  close(): void;
}

/** Opens one watch (resolves once its headers arrive) and feeds every complete line to `ledger`. */
export async function openWatch(pool: Pool, path: string, headers: Record<string, string>, ledger: DeliveryLedger): Promise<Watch> {
  const res = await pool.request({ method: 'GET', path, headers, bodyTimeout: 0 });
  if (res.statusCode !== 200) throw new Error(`watch ${path}: ${res.statusCode} ${await res.body.text()}`);
  const w: Watch = { lines: 0, ended: false, close: () => res.body.destroy() };
  let carry: Buffer | undefined;
  res.body.on('data', (chunk: Buffer) => {
    const at = performance.now();
    const buf = carry ? Buffer.concat([carry, chunk]) : chunk;
    let start = 0;
    for (let nl = buf.indexOf(NEWLINE, start); nl >= 0; nl = buf.indexOf(NEWLINE, start)) {
      w.lines++;
      ledger.seen(writeIndexIn(buf, start, nl), at);
      start = nl + 1;
    }
    carry = start < buf.length ? buf.subarray(start) : undefined;
  });
  const end = () => void (w.ended = true);
  res.body.on('end', end);
  res.body.on('error', end);
  res.body.on('close', end);
  return w;
}
