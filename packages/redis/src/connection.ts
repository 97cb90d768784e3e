/**
 * The Redis connections of one fleet: the command connection (the user's client, or one made
 * from a URL) and a dedicated subscriber connection for pub/sub, made with `duplicate()` on
 * first use. Connections this package makes fail fast while Redis is unreachable (no offline
 * queue) and reconnect with short, growing delays. Like any Redis connection they keep the
 * process alive until `close()`.
 *
 * @module
 */
import { createClient, type RedisClientOptions } from '@redis/client';

/**
 * The part of a node-redis client (`createClient()` of `redis` or `@redis/client`, v4 and
 * later) this package uses.
 */
export interface NodeRedisClient {
  readonly isOpen: boolean;
  /** Connected now (not connecting or reconnecting). */
  readonly isReady?: boolean;
  connect(): Promise<unknown>;
  sendCommand(args: string[]): Promise<unknown>;
  duplicate(overrides?: object): NodeRedisClient;
  subscribe(channel: string, listener: (message: string, channel: string) => void): Promise<void>;
  unsubscribe(
    channel: string,
    listener?: (message: string, channel: string) => void,
  ): Promise<void>;
  on(event: 'error', listener: (error: unknown) => void): unknown;
  close?(): Promise<void>;
  quit?(): Promise<unknown>;
  destroy?(): void;
  disconnect?(): Promise<void>;
}

/** Longest pause between reconnection attempts of the connections this package makes. */
const MAX_RECONNECT_MS = 2_000;
const CONNECT_TIMEOUT_MS = 2_000;
/** How long `close()` lets a connection finish its commands and quit before it is destroyed. */
const CLOSE_GRACE_MS = 2_000;

/** What this package sets on connections it makes: fail fast, reconnect soon. */
export const RESILIENT_OPTIONS = {
  disableOfflineQueue: true,
  socket: {
    connectTimeout: CONNECT_TIMEOUT_MS,
    reconnectStrategy: (retries: number): number =>
      Math.min(MAX_RECONNECT_MS, 50 * 2 ** retries) * (0.5 + Math.random() / 2),
  },
} as const;

/** The command and subscriber connections of a fleet. */
export class RedisConnection {
  readonly #client: NodeRedisClient;
  readonly #owned: boolean;
  /** The first connection, while it is being made. */
  #connecting: Promise<unknown> | undefined;
  #subscriber: Promise<NodeRedisClient> | undefined;
  /** The subscriber connection once made, connected or still connecting (so close() can end it). */
  #subscriberClient: NodeRedisClient | undefined;
  #closed = false;

  /**
   * @param client - the user's client (left open on close), or undefined to make one.
   * @param options - node-redis options for a client made here (`url` among them).
   */
  constructor(client: NodeRedisClient | undefined, options: RedisClientOptions = {}) {
    this.#owned = client === undefined;
    this.#client =
      client ??
      (createClient({
        ...options,
        ...RESILIENT_OPTIONS,
        socket: { ...options.socket, ...RESILIENT_OPTIONS.socket },
      } as RedisClientOptions) as unknown as NodeRedisClient);
    if (this.#owned) quiet(this.#client);
  }

  /** Sends one command (connecting first, once); rejects at once while Redis is unreachable. */
  async command(args: string[]): Promise<unknown> {
    if (this.#closed) throw new Error('The Redis fleet is closed.');
    // The first connection is awaited (core's time limit bounds the wait); after it, a
    // command while reconnecting is refused at once.
    if (!this.#client.isOpen || this.#connecting !== undefined) await this.#connect();
    return this.#client.sendCommand(args);
  }

  /** The dedicated subscriber connection (a duplicate of the command connection). */
  subscriber(): Promise<NodeRedisClient> {
    if (this.#closed) return Promise.reject(new Error('The Redis fleet is closed.'));
    this.#subscriber ??= (async () => {
      // The socket options (host, TLS, reconnection) stay the command connection's.
      const subscriber = this.#client.duplicate({ disableOfflineQueue: true });
      this.#subscriberClient = subscriber;
      quiet(subscriber);
      await subscriber.connect();
      return subscriber;
    })();
    this.#subscriber.catch(() => {
      this.#subscriber = undefined;
    });
    return this.#subscriber;
  }

  /**
   * Closes the subscriber, and the command connection when this package made it: gracefully when
   * connected (at most {@link CLOSE_GRACE_MS}), destroyed at once while it is connecting or
   * reconnecting (a graceful close would wait for Redis to come back).
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const closing = [this.#subscriberClient, this.#owned ? this.#client : undefined];
    await Promise.all(closing.map((client) => (client === undefined ? undefined : end(client))));
  }

  #connect(): Promise<unknown> {
    if (this.#connecting === undefined && !this.#client.isOpen) {
      const connecting = this.#client.connect().then(
        () => {
          if (this.#connecting === connecting) this.#connecting = undefined;
        },
        (error: unknown) => {
          if (this.#connecting === connecting) this.#connecting = undefined;
          throw error;
        },
      );
      this.#connecting = connecting;
    }
    return this.#connecting ?? Promise.resolve();
  }
}

/** A connection's errors are handled here: core reports the outage once, through onError. */
function quiet(client: NodeRedisClient): void {
  client.on('error', () => undefined);
}

/** Ends one connection: quits it when connected (within the grace time), else destroys it. */
async function end(client: NodeRedisClient): Promise<void> {
  if (!client.isOpen) return;
  const destroy = (): void => {
    try {
      client.destroy?.();
    } catch {
      // Already closed meanwhile.
    }
  };
  if (client.isReady === false) return destroy();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const graceful = (async () => {
    if (client.close) await client.close();
    else if (client.quit) await client.quit();
    else await client.disconnect?.();
  })().then(
    () => 'closed' as const,
    () => 'failed' as const,
  );
  const expired = new Promise<'expired'>((resolve) => {
    timer = setTimeout(() => resolve('expired'), CLOSE_GRACE_MS);
  });
  const outcome = await Promise.race([graceful, expired]);
  clearTimeout(timer);
  if (outcome !== 'closed') destroy();
}
