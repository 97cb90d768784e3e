/**
 * The control API's live feed, `GET /_emulator/events`: Server-Sent Events carrying the request
 * counters, the newest log entries, the faults and a state version that moves on every write. The
 * web UI reads it with `fetch` (so the token travels in a header, not in a URL).
 *
 * @module control/events
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Fault, FaultRegistry } from './faults.js';
import type { LoggedRequest, RequestLog, RequestStats } from './request-log.js';

/** Where the stream is served. */
export const EVENTS_PATH = '/_emulator/events';

/** How many log entries each update carries. */
const RECENT = 50;
/** Updates are coalesced: at most one per client every this many ms. */
const THROTTLE_MS = 100;
/** A comment line this often keeps idle connections (and proxies) open. */
const HEARTBEAT_MS = 15_000;

/** One `update` event of the stream. */
export interface ControlUpdate extends Omit<RequestStats, 'log'> {
  /** The newest log entries, oldest first. */
  recent: LoggedRequest[];
  faults: Fault[];
  /** Moves whenever projects, folders or secrets change (re-read `GET /_emulator/state` then). */
  stateVersion: number;
}

/** Where the updates come from. */
export interface ControlEventSource {
  log: Pick<RequestLog, 'counters' | 'recent'>;
  faults: Pick<FaultRegistry, 'list'>;
}

/** The connected streams and the coalescing of changes into updates. */
export class ControlEvents {
  readonly #source: () => ControlEventSource;
  readonly #clients = new Set<ServerResponse>();
  #stateVersion = 0;
  #timer: NodeJS.Timeout | undefined;
  #heartbeat: NodeJS.Timeout | undefined;

  /** @param source - read when an update is sent (a getter, so the log and faults can report to this). */
  constructor(source: () => ControlEventSource) {
    this.#source = source;
  }

  /** Something the updates show changed (a request, a fault): schedules an update. */
  changed(): void {
    if (this.#clients.size === 0 || this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#broadcast();
    }, THROTTLE_MS);
    this.#timer.unref();
  }

  /** Projects, folders or secrets changed. */
  stateChanged(): void {
    this.#stateVersion++;
    this.changed();
  }

  /** Serves the stream if the request is for it; resolves whether it did. */
  async serve(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean> {
    if (pathname !== EVENTS_PATH) return false;
    if (req.method !== 'GET') {
      res.writeHead(405, { allow: 'GET', 'content-type': 'text/plain; charset=utf-8' });
      res.end('Method Not Allowed');
      return true;
    }
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'x-accel-buffering': 'no',
    });
    res.write('retry: 2000\n\n');
    this.#clients.add(res);
    res.once('close', () => {
      this.#clients.delete(res);
      if (this.#clients.size === 0) this.#stopHeartbeat();
    });
    this.#send(res, this.#update());
    this.#startHeartbeat();
    return true;
  }

  /** Ends every stream (the server is closing). */
  close(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#stopHeartbeat();
    for (const res of this.#clients) res.end();
    this.#clients.clear();
  }

  #update(): ControlUpdate {
    const { log, faults } = this.#source();
    return {
      ...log.counters(),
      recent: log.recent(RECENT),
      faults: faults.list(),
      stateVersion: this.#stateVersion,
    };
  }

  #broadcast(): void {
    if (this.#clients.size === 0) return;
    const update = this.#update();
    for (const res of this.#clients) this.#send(res, update);
  }

  #send(res: ServerResponse, update: ControlUpdate): void {
    res.write(`event: update\ndata: ${JSON.stringify(update)}\n\n`);
  }

  #startHeartbeat(): void {
    if (this.#heartbeat) return;
    this.#heartbeat = setInterval(() => {
      for (const res of this.#clients) res.write(': keep-alive\n\n');
    }, HEARTBEAT_MS);
    this.#heartbeat.unref();
  }

  #stopHeartbeat(): void {
    clearInterval(this.#heartbeat);
    this.#heartbeat = undefined;
  }
}
