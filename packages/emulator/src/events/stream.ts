/**
 * The newest server's project event stream (`POST /api/v1/events/subscribe/project-events`,
 * Server-Sent Events): frames `id: <ms>` / `event: <type>` / `data: {"type":"secret-manager",
 * "data":{"eventType","payload"}}`, a `ping` event every `heartbeatMs`, the token re-checked every
 * `reauthMs` (an `error` event and the end of the stream when it fails), at most 5 open streams
 * per identity and project, no replay. Faults: drop every open stream, stall them (silent but
 * open).
 *
 * @module events/stream
 */
import type { ServerResponse } from 'node:http';
import type { SecretChange, SecretEventName } from './changes.js';
import { globMatches } from './webhooks.js';

/** One `register` entry of the subscription body. */
export interface StreamRegistration {
  event: SecretEventName;
  conditions?:
    | { environmentSlug?: string | undefined; secretPath?: string | undefined }
    | undefined;
}

/** Timings of the stream. */
export interface EventStreamOptions {
  /** Heartbeat (`event: ping`) interval, in ms. @default 15000 */
  heartbeatMs?: number;
  /** Interval of the token re-check, in ms. @default 60000 */
  reauthMs?: number;
}

/** A fault of the open streams. */
export type StreamFault = 'drop' | 'stall';

/** The most streams one identity may hold open per project. */
export const MAX_STREAMS_PER_IDENTITY = 5;

interface OpenStream {
  res: ServerResponse;
  projectId: string;
  identityId: string;
  register: StreamRegistration[];
  stalled: boolean;
  /** Whether the token is still valid (re-checked every reauthMs). */
  stillAuthorised: () => boolean;
  timers: NodeJS.Timeout[];
}

/** The open event streams of one emulator state. */
export class EventStreams {
  readonly #open = new Set<OpenStream>();
  readonly #heartbeatMs: number;
  readonly #reauthMs: number;
  /** Streams opened so far (the counters). */
  opened = 0;

  constructor(options: EventStreamOptions = {}) {
    this.#heartbeatMs = options.heartbeatMs ?? 15_000;
    this.#reauthMs = options.reauthMs ?? 60_000;
  }

  /** How many streams `identityId` holds open for `projectId`. */
  count(projectId: string, identityId: string): number {
    let count = 0;
    for (const stream of this.#open) {
      if (stream.projectId === projectId && stream.identityId === identityId) count++;
    }
    return count;
  }

  /** Streams open now. */
  get openCount(): number {
    return this.#open.size;
  }

  /** Starts a stream on `res` (the head is written here). */
  open(res: ServerResponse, subscription: Omit<OpenStream, 'res' | 'stalled' | 'timers'>): void {
    res.writeHead(200, {
      'cache-control': 'no-cache',
      'content-type': 'text/event-stream',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.flushHeaders();
    const stream: OpenStream = { ...subscription, res, stalled: false, timers: [] };
    this.#open.add(stream);
    this.opened++;
    const heartbeat = setInterval(() => this.#write(stream, 'event: ping\n\n'), this.#heartbeatMs);
    const reauth = setInterval(() => {
      if (stream.stillAuthorised()) return;
      this.#write(
        stream,
        `event: error\ndata: ${JSON.stringify({ message: 'Permission denied or refresh failed' })}\n\n`,
      );
      this.#end(stream);
    }, this.#reauthMs);
    for (const timer of [heartbeat, reauth]) timer.unref();
    stream.timers.push(heartbeat, reauth);
    res.on('close', () => this.#forget(stream));
  }

  /** A change happened: sent to every open stream that registered for it. */
  changed(change: SecretChange): void {
    const { folder } = change;
    for (const stream of this.#open) {
      if (stream.projectId !== folder.projectId) continue;
      const wanted = stream.register.some(
        (entry) =>
          entry.event === change.event &&
          (entry.conditions?.environmentSlug === undefined ||
            entry.conditions.environmentSlug === folder.environment) &&
          globMatches(entry.conditions?.secretPath ?? '/**', folder.path),
      );
      if (!wanted) continue;
      const payload =
        change.event === 'secret:import-mutation'
          ? { environment: folder.environment, secretPath: folder.path }
          : [
              {
                environment: folder.environment,
                secretPath: folder.path,
                secretKey: change.secretKey ?? '',
              },
            ];
      const data = { type: 'secret-manager', data: { eventType: change.event, payload } };
      this.#write(
        stream,
        `id: ${Date.now()}\nevent: ${change.event}\ndata: ${JSON.stringify(data)}\n\n`,
      );
    }
  }

  /** Applies a fault to every open stream: `drop` destroys the connections, `stall` silences them. */
  fault(fault: StreamFault): number {
    const streams = [...this.#open];
    for (const stream of streams) {
      if (fault === 'stall') stream.stalled = true;
      else stream.res.destroy();
    }
    return streams.length;
  }

  /** Ends every stream. */
  close(): void {
    for (const stream of [...this.#open]) this.#end(stream);
  }

  #write(stream: OpenStream, frame: string): void {
    if (!stream.stalled && !stream.res.writableEnded) stream.res.write(frame);
  }

  #end(stream: OpenStream): void {
    this.#forget(stream);
    if (!stream.res.writableEnded) stream.res.end();
  }

  #forget(stream: OpenStream): void {
    for (const timer of stream.timers) clearInterval(timer);
    this.#open.delete(stream);
  }
}
