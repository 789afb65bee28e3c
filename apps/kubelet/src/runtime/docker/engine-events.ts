// Follows the engine's event stream for this kubelet's containers (create, start, die, destroy),
// so exits reach the kubelet as they happen instead of by polling. The stream is reopened after
// a disconnect (an engine restart), from the time of the last event seen; anything missed in
// between is caught by the kubelet's periodic resync, since pod sync is level-triggered.
import type Dockerode from 'dockerode';
import { destroyStream } from './engine.js';

/** The container actions that change what the runtime interface reports. */
export const WATCHED_ACTIONS = ['create', 'start', 'die', 'destroy'] as const;
export type EngineAction = (typeof WATCHED_ACTIONS)[number];

export interface EngineEvent {
  action: EngineAction;
  id: string;
  labels: Record<string, string>;
}

/** Delay before reopening a broken event stream. */
const RECONNECT_MS = 1000;

interface RawEvent {
  Type?: string;
  Action?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
  time?: number;
}

export class EngineEvents {
  #stream: NodeJS.ReadableStream | undefined;
  #closed = false;
  #since: number | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly docker: Dockerode,
    private readonly labelFilters: string[],
    private readonly onEvent: (event: EngineEvent) => void,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  /** Resolves once the stream is open: events from then on are delivered. */
  async start(): Promise<void> {
    const filters = { type: ['container' as const], event: [...WATCHED_ACTIONS], label: this.labelFilters };
    const stream = await this.docker.getEvents({ filters, ...(this.#since !== undefined ? { since: this.#since } : {}) });
    if (this.#closed) return destroyStream(stream);
    this.#stream = stream;
    let buffer = '';
    stream.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      let newline = buffer.indexOf('\n');
      while (newline >= 0) {
        this.#line(buffer.slice(0, newline));
        buffer = buffer.slice(newline + 1);
        newline = buffer.indexOf('\n');
      }
    });
    const reopen = () => this.#reopen(stream);
    stream.on('end', reopen);
    stream.on('close', reopen);
    stream.on('error', reopen);
  }

  #line(line: string): void {
    if (!line.trim()) return;
    let raw: RawEvent;
    try {
      raw = JSON.parse(line) as RawEvent;
    } catch {
      return;
    }
    const action = (WATCHED_ACTIONS as readonly string[]).includes(raw.Action ?? '') ? (raw.Action as EngineAction) : undefined;
    if (raw.time !== undefined) this.#since = raw.time;
    if (raw.Type !== 'container' || !action || !raw.Actor?.ID) return;
    this.onEvent({ action, id: raw.Actor.ID, labels: raw.Actor.Attributes ?? {} });
  }

  #reopen(stream: NodeJS.ReadableStream): void {
    if (this.#closed || this.#stream !== stream) return;
    this.#stream = undefined;
    const retry = () => {
      if (this.#closed) return;
      this.start().catch((error: unknown) => {
        this.onError(error);
        this.#timer = setTimeout(retry, RECONNECT_MS);
      });
    };
    this.#timer = setTimeout(retry, RECONNECT_MS);
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    if (this.#stream) destroyStream(this.#stream);
    this.#stream = undefined;
  }
}
