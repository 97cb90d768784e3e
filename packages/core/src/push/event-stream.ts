/**
 * The client of Infisical's project event stream (`POST /api/v1/events/subscribe/project-events`,
 * Server-Sent Events, newest servers): on each secret event, the affected cached folders are
 * refetched (change events fire once, through the folder cache); after every (re)connect every
 * cached folder of the project is resynced (the server does not replay); a dropped or silent
 * stream is reopened with jittered backoff; a stream closed for auth logs in again. Where the
 * server has no stream (404 on 2024-10; 400/402/403 on a plan without it) the client says so
 * once and keeps polling at `refreshInterval`. With `fleet.locks`, one instance per fleet holds
 * the stream (a lease) and fans events out on the fleet's bus.
 *
 * @module
 */
import type { Logger } from '../api/logger.js';
import type { FolderCache, FolderRef } from '../cache/folder-cache.js';
import { InfisicalError } from '../errors/infisical-error.js';
import type { Fleet, FleetMessage } from '../fleet/fleet.js';
import type { Lease } from '../fleet/types.js';
import { mergeSnapshot } from '../secrets/merge.js';
import type { FolderSnapshot } from '../secrets/types.js';
import { affectedFolders } from './affected-folders.js';

/** The event stream's route. */
export const SUBSCRIBE_PATH = '/api/v1/events/subscribe/project-events';
const EVENTS = ['secret:create', 'secret:update', 'secret:delete', 'secret:import-mutation'];
/** A stream silent this long (no ping, no event) is reopened; the server pings every 15 s. */
const DEFAULT_SILENCE_MS = 45_000;
const FIRST_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 30_000;
/** The fleet lease on the stream: renewed while held, taken over within this when the holder dies. */
const LEASE_MS = 15_000;
const PUSH_MESSAGE = 'push-event';
/**
 * When the refetch of the folder an event named shows none of the keys it named changed (the
 * read answered before the write reached it), the folder is refetched again after these delays.
 */
const RECHECK_DELAYS_MS = [250, 1000];

/** What the stream needs from its client. */
export interface EventStreamContext {
  baseUrl: string;
  fetch: typeof fetch;
  /** A current access token (logs in when needed). */
  token(): Promise<string>;
  /** Drops a token the server refused. */
  invalidate(token: string): void;
  folders: FolderCache;
  logger: Logger;
  /** Reports what fails no call (the fallback notice, a failed resync). */
  report(error: InfisicalError, context: string): void;
  /** The polling interval that remains the floor, in ms (for the notice). */
  refreshIntervalMs: number;
  /** The fleet, when the client has one with locks and a bus. */
  fleet: Fleet | undefined;
  /** A stream silent this long is reopened. @default 45000 */
  silenceMs?: number;
  signal: AbortSignal;
}

/** A change notice, as the stream (or the fleet's holder) carries it. */
interface Notice {
  environment: string;
  secretPath: string;
  /** The keys the event named (none when the server did not say). */
  keys: string[];
}

/** One project's event stream. */
export class ProjectEventStream {
  readonly #projectId: string;
  readonly #context: EventStreamContext;
  #failures = 0;
  #connections = 0;
  #stopped = false;
  #lease: Lease | undefined;
  #unsubscribe: (() => void) | undefined;

  constructor(projectId: string, context: EventStreamContext) {
    this.#projectId = projectId;
    this.#context = context;
    const { fleet } = context;
    if (fleet?.settings.bus) {
      this.#unsubscribe = fleet.on(PUSH_MESSAGE, (message) => this.#fromFleet(message));
      void fleet.join();
    }
    context.signal.addEventListener('abort', () => this.stop(), { once: true });
  }

  /** Starts holding (or waiting to hold) the stream; never rejects. */
  start(): void {
    void this.#run();
  }

  /** Stops for good (the client closed, or the server has no stream). */
  stop(): void {
    this.#stopped = true;
    this.#unsubscribe?.();
    void this.#lease?.release().catch(() => undefined);
  }

  async #run(): Promise<void> {
    while (!this.#stopped) {
      if (!(await this.#holdLease())) {
        await this.#sleep(LEASE_MS / 2);
        continue;
      }
      const outcome = await this.#connect();
      if (outcome === 'unsupported' || this.#stopped) return;
      this.#failures = outcome === 'clean' ? 0 : this.#failures + 1;
      const ceiling = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** this.#failures);
      await this.#sleep(ceiling * (0.5 + 0.5 * Math.random()));
    }
  }

  /** Without fleet locks, always; with them, while this instance holds the project's lease. */
  async #holdLease(): Promise<boolean> {
    const locks = this.#context.fleet?.locks;
    if (locks === undefined) return true;
    if (this.#lease?.held) return true;
    try {
      this.#lease = await locks.tryAcquire(`events:${this.#projectId}`, LEASE_MS);
    } catch {
      // The store is down: no instance can know who holds the stream, so none opens one (the
      // server allows 5 per identity); polling stays the floor until the store answers.
      return false;
    }
    return this.#lease !== undefined;
  }

  /** One connection, until it ends; `unsupported` when the server has no stream. */
  async #connect(): Promise<'clean' | 'failed' | 'unsupported'> {
    const context = this.#context;
    const control = new AbortController();
    const abort = (): void => control.abort();
    context.signal.addEventListener('abort', abort, { once: true });
    const lost = this.#lease?.onLost(abort);
    let token: string;
    try {
      token = await context.token();
    } catch (error) {
      context.report(
        InfisicalError.from(error, 'Event stream login failed'),
        'Event stream login failed',
      );
      return 'failed';
    }
    let silence: ReturnType<typeof setTimeout> | undefined;
    const quiet = (): void => {
      if (silence !== undefined) clearTimeout(silence);
      silence = setTimeout(abort, context.silenceMs ?? DEFAULT_SILENCE_MS);
      (silence as { unref?: () => void }).unref?.();
    };
    try {
      const response = await context.fetch(context.baseUrl + SUBSCRIBE_PATH, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          accept: 'text/event-stream',
        },
        body: JSON.stringify({
          projectId: this.#projectId,
          register: EVENTS.map((event) => ({ event, conditions: { secretPath: '/**' } })),
        }),
        signal: control.signal,
      });
      if (response.status === 401 || (response.status === 403 && (await isTokenError(response)))) {
        context.invalidate(token);
        return 'failed';
      }
      if ([400, 402, 403, 404].includes(response.status) || !response.body) {
        await response.body?.cancel().catch(() => undefined);
        this.#unsupported(response.status);
        return 'unsupported';
      }
      if (!response.ok) {
        await response.body.cancel().catch(() => undefined);
        context.logger.debug('Infisical event stream refused', { status: response.status });
        return 'failed';
      }
      context.logger.debug('Infisical event stream open', { projectId: this.#projectId });
      quiet();
      // No replay: whatever changed while disconnected is found by a resync (not on the first
      // connection, opened right after the first read fetched the folder).
      if (this.#connections++ > 0) void this.#resync();
      let authClosed = false;
      await readEvents(response.body, (event, data) => {
        quiet();
        if (event === 'error') authClosed = true;
        else if (EVENTS.includes(event)) this.#onEvent(data);
      });
      if (authClosed) context.invalidate(token);
      return authClosed ? 'failed' : 'clean';
    } catch (error) {
      if (!this.#stopped)
        context.logger.debug('Infisical event stream dropped', {
          name: error instanceof Error ? error.name : typeof error,
        });
      return 'failed';
    } finally {
      if (silence !== undefined) clearTimeout(silence);
      lost?.();
      context.signal.removeEventListener('abort', abort);
    }
  }

  #unsupported(status: number): void {
    this.stop();
    const { refreshIntervalMs } = this.#context;
    const floor =
      refreshIntervalMs > 0
        ? `polling every ${Math.round(refreshIntervalMs / 1000)} s (refreshInterval) instead`
        : 'and refreshInterval is off, so folders are refetched only when a read finds them stale';
    this.#context.report(
      new InfisicalError(
        status === 404 ? 'NOT_FOUND' : 'PERMISSION_DENIED',
        `Infisical has no event stream for this client (it answered ${status}: an older server, or a plan without event subscriptions); ${floor}. Reported once. Fix: nothing needed; set updates: 'poll' to skip the attempt.`,
        { status, details: { updates: 'poll' } },
      ),
      'Infisical event stream unavailable',
    );
  }

  /** An event's payload: the folders it names are refetched here, and told to the fleet. */
  #onEvent(data: string): void {
    const notices = parseNotices(data);
    for (const notice of notices) {
      this.#refresh(notice);
      void this.#context.fleet?.publish(PUSH_MESSAGE, { projectId: this.#projectId, ...notice });
    }
  }

  #fromFleet(message: FleetMessage): void {
    const { projectId, environment, secretPath, keys } = message;
    if (projectId !== this.#projectId) return;
    if (typeof environment !== 'string' || typeof secretPath !== 'string') return;
    if (this.#lease?.held) return;
    const named = Array.isArray(keys) ? keys.filter((key) => typeof key === 'string') : [];
    this.#refresh({ environment, secretPath, keys: named });
  }

  #refresh(notice: Notice): void {
    const { folders } = this.#context;
    const refs = affectedFolders(
      folders.tracked(),
      this.#projectId,
      notice.environment,
      notice.secretPath,
    );
    const path = notice.secretPath.length > 1 ? notice.secretPath.replace(/\/+$/, '') : '/';
    for (const ref of refs) {
      const named = ref.scope.environment === notice.environment && ref.scope.path === path;
      if (named && notice.keys.length > 0) void this.#refreshNamed(ref, notice.keys);
      else void folders.refresh(ref);
    }
  }

  /** Refetches the folder an event named, again (`RECHECK_DELAYS_MS`) while its keys look unchanged. */
  async #refreshNamed(ref: FolderRef, keys: readonly string[]): Promise<void> {
    for (const delay of [...RECHECK_DELAYS_MS, undefined]) {
      const result = await this.#context.folders.refetch(ref);
      if (result === undefined || delay === undefined || this.#stopped) return;
      const { value, previous } = result;
      if (keys.some((key) => resolvedValue(value, key) !== resolvedValue(previous, key))) return;
      this.#context.logger.debug('Infisical event named keys still unchanged; refetching again', {
        ...ref.scope,
        delayMs: delay,
      });
      await this.#sleep(delay);
    }
  }

  async #resync(): Promise<void> {
    const { folders } = this.#context;
    const refs = [...folders.tracked()].filter((ref) => ref.scope.projectId === this.#projectId);
    await Promise.all(refs.map((ref) => folders.refresh(ref)));
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      (timer as { unref?: () => void }).unref?.();
      this.#context.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

async function isTokenError(response: Response): Promise<boolean> {
  try {
    const body = (await response.clone().json()) as { error?: unknown };
    return body.error === 'TokenError';
  } catch {
    return false;
  }
}

/**
 * Reads Server-Sent Events, calling `onEvent(event, data)` per frame; comment lines and a raw
 * `1` heartbeat (an older server's) are heartbeats too (`event` `ping`).
 */
export async function readEvents(
  body: ReadableStream<Uint8Array>,
  onEvent: (event: string, data: string) => void,
): Promise<void> {
  const decoder = new TextDecoder();
  let buffer = '';
  let event = '';
  let data: string[] = [];
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let newline = buffer.search(/\r?\n/);
    while (newline !== -1) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(buffer[newline] === '\r' ? newline + 2 : newline + 1);
      if (line === '') {
        if (event !== '' || data.length > 0) onEvent(event || 'message', data.join('\n'));
        event = '';
        data = [];
      } else if (line.startsWith(':') || line === '1') {
        onEvent('ping', '');
      } else if (line.startsWith('event:')) {
        event = line.slice(6).trim();
      } else if (line.startsWith('data:')) {
        data.push(line.slice(5).replace(/^ /, ''));
      }
      newline = buffer.search(/\r?\n/);
    }
  }
}

/**
 * The folders an event names. Tolerant of the versions seen: `{ type|projectType, data: {
 * eventType, payload } }` with a payload object or array, keys named `secretKey` or
 * `secretKeys`, or a bare payload.
 */
export function parseNotices(data: string): Notice[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return [];
  }
  const inner = isRecord(parsed) && isRecord(parsed.data) ? parsed.data : parsed;
  const payload = isRecord(inner) && 'payload' in inner ? inner.payload : inner;
  const items = Array.isArray(payload) ? payload : [payload];
  const notices: Notice[] = [];
  const seen = new Map<string, Notice>();
  for (const item of items) {
    if (!isRecord(item) || typeof item.environment !== 'string') continue;
    const secretPath = typeof item.secretPath === 'string' ? item.secretPath : '/';
    const named = [item.secretKey, ...(Array.isArray(item.secretKeys) ? item.secretKeys : [])];
    const keys = named.filter((key): key is string => typeof key === 'string');
    const id = `${item.environment}\u0000${secretPath}`;
    const known = seen.get(id);
    if (known) {
      known.keys.push(...keys);
      continue;
    }
    const notice = { environment: item.environment, secretPath, keys };
    seen.set(id, notice);
    notices.push(notice);
  }
  return notices;
}

/** The value `key` resolves to in `snapshot` (undefined when absent). */
function resolvedValue(snapshot: FolderSnapshot | undefined, key: string): string | undefined {
  return snapshot && mergeSnapshot(snapshot).find((secret) => secret.key === key)?.value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
