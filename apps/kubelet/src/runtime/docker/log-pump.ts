// Copies each container's output from the engine into the CRI-format log file the kubelet serves
// (ContainerStatus.logPath; log-reader.ts reads it for `kubectl logs`):
//   <engine timestamp> stdout|stderr F|P <line>
// The engine keeps the output itself (json-file driver), so nothing is lost while the kubelet is
// down: a restarted kubelet resumes each file after the last timestamp it holds. Engine log
// timestamps are fixed-width RFC 3339 with nanoseconds, so they compare as strings.
//
// Why a pump rather than teaching the kubelet to ask the runtime for logs: the kubelet's log
// API, `--previous` and follow all work on files for every runtime, and stay unchanged.
import { closeSync, existsSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname } from 'node:path';
import type Dockerode from 'dockerode';
import { destroyStream } from './engine.js';
import { FrameDecoder, type Frame } from './frames.js';

/** How much of a log file's end is read to find its last timestamp. */
const TAIL_BYTES = 64 * 1024;
const NEWLINE = 0x0a;

/** The timestamp of the last record in a CRI log file, if any. */
export async function lastLogTime(path: string): Promise<string | undefined> {
  if (!existsSync(path)) return undefined;
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    const length = Math.min(size, TAIL_BYTES);
    const buf = Buffer.alloc(length);
    await fh.read(buf, 0, length, size - length);
    const lines = buf.toString('utf8').split('\n').filter((l) => / (stdout|stderr) [FP] /.test(l));
    return lines.at(-1)?.split(' ', 1)[0];
  } finally {
    await fh.close();
  }
}

/** An RFC 3339 time as the engine's `since` parameter: UNIX seconds with nanoseconds. */
export function sinceParam(time: string): string {
  const match = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(time);
  if (!match) return '0';
  const seconds = Math.floor(Date.parse(`${match[1] ?? ''}${match[3] ?? 'Z'}`) / 1000);
  return `${seconds}.${(match[2] ?? '').padEnd(9, '0').slice(0, 9)}`;
}

/** One CRI record from one engine log frame ("<time> <text>"), or undefined if malformed. */
export function criRecord(frame: Frame): { time: string; record: Buffer } | undefined {
  const space = frame.data.indexOf(0x20);
  if (space <= 0) return undefined;
  const time = frame.data.subarray(0, space).toString();
  let text = frame.data.subarray(space + 1);
  // The engine cuts lines over 16 KiB into pieces; only the last piece ends in a newline.
  const full = text.length > 0 && text[text.length - 1] === NEWLINE;
  if (full) text = text.subarray(0, text.length - 1);
  return { time, record: Buffer.concat([Buffer.from(`${time} ${frame.stream} ${full ? 'F' : 'P'} `), text, Buffer.from('\n')]) };
}

/** Follows one container's output into its log file until the container ends or stop(). */
export class LogPump {
  readonly done: Promise<void>;
  #stream: NodeJS.ReadableStream | undefined;
  #stopped = false;

  constructor(docker: Dockerode, containerId: string, path: string, after?: string) {
    this.done = this.#run(docker, containerId, path, after).catch(() => undefined);
  }

  async #run(docker: Dockerode, containerId: string, path: string, after: string | undefined): Promise<void> {
    const opts = { follow: true as const, stdout: true, stderr: true, timestamps: true, ...(after ? { since: sinceParam(after) } : {}) };
    const stream = await docker.getContainer(containerId).logs(opts);
    this.#stream = stream;
    if (this.#stopped) return destroyStream(stream);
    mkdirSync(dirname(path), { recursive: true });
    const fd = openSync(path, 'a');
    const decoder = new FrameDecoder();
    try {
      await new Promise<void>((resolve) => {
        stream.on('data', (chunk: Buffer) => {
          for (const frame of decoder.push(chunk)) {
            const r = criRecord(frame);
            // `since` is inclusive and second-granular: skip what the file already holds.
            if (r && (!after || r.time > after)) writeSync(fd, r.record);
          }
        });
        stream.on('end', resolve);
        stream.on('close', resolve);
        stream.on('error', () => resolve());
      });
    } finally {
      closeSync(fd);
    }
  }

  stop(): void {
    this.#stopped = true;
    if (this.#stream) destroyStream(this.#stream);
  }
}

/** The pumps of one runtime, by container id. */
export class LogPumps {
  readonly #pumps = new Map<string, LogPump>();

  constructor(private readonly docker: Dockerode) {}

  /** Starts copying (after `after`, when resuming); a running pump for the id is kept. */
  start(containerId: string, path: string, after?: string): void {
    if (this.#pumps.has(containerId)) return;
    const pump = new LogPump(this.docker, containerId, path, after);
    this.#pumps.set(containerId, pump);
    void pump.done.then(() => {
      if (this.#pumps.get(containerId) === pump) this.#pumps.delete(containerId);
    });
  }

  /** Resumes a container's log after a kubelet restart, if its log file is still there. */
  async resume(containerId: string, path: string): Promise<void> {
    if (!path || !existsSync(path)) return;
    this.start(containerId, path, await lastLogTime(path));
  }

  /** Waits (at most `timeoutMs`) until everything the container wrote is in its file. */
  async drained(containerId: string, timeoutMs: number): Promise<void> {
    const pump = this.#pumps.get(containerId);
    if (!pump) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([pump.done, new Promise<void>((r) => (timer = setTimeout(r, timeoutMs)))]);
    clearTimeout(timer);
  }

  stop(containerId: string): void {
    this.#pumps.get(containerId)?.stop();
    this.#pumps.delete(containerId);
  }

  stopAll(): void {
    for (const pump of this.#pumps.values()) pump.stop();
    this.#pumps.clear();
  }
}
