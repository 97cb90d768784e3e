/**
 * {@link SharedBus} in Redis pub/sub: `PUBLISH` on the command connection, `SUBSCRIBE` on the
 * dedicated subscriber connection (one Redis subscription per channel, however many listeners),
 * which node-redis subscribes again after a reconnection.
 *
 * @module
 */
import type { SharedBus } from '@infisical/core';
import type { RedisConnection } from './connection.js';

type Listener = (message: string) => void;

/** Fleet-wide messages over Redis pub/sub. */
export class RedisSharedBus implements SharedBus {
  readonly #redis: RedisConnection;
  readonly #prefix: string;
  readonly #channels = new Map<string, { listeners: Set<Listener>; ready: Promise<void> }>();

  constructor(redis: RedisConnection, prefix: string) {
    this.#redis = redis;
    this.#prefix = `${prefix}bus:`;
  }

  /** Sends `message` to every subscriber of `channel`. */
  async publish(channel: string, message: string): Promise<void> {
    await this.#redis.command(['PUBLISH', this.#prefix + channel, message]);
  }

  /** Calls `listener` for each message on `channel`; resolves once subscribed, to an unsubscribe. */
  async subscribe(channel: string, listener: Listener): Promise<() => Promise<void>> {
    const name = this.#prefix + channel;
    let entry = this.#channels.get(name);
    if (entry === undefined) {
      const listeners = new Set<Listener>();
      const dispatch = (message: string): void => {
        for (const one of [...listeners]) {
          try {
            one(message);
          } catch {
            // a listener cannot break the others
          }
        }
      };
      const created = {
        listeners,
        ready: this.#redis.subscriber().then((subscriber) => subscriber.subscribe(name, dispatch)),
      };
      entry = created;
      this.#channels.set(name, created);
      created.ready.catch(() => {
        if (this.#channels.get(name) === created) this.#channels.delete(name);
      });
    }
    entry.listeners.add(listener);
    try {
      await entry.ready;
    } catch (error) {
      entry.listeners.delete(listener);
      throw error;
    }
    const subscribed = entry;
    return async () => {
      subscribed.listeners.delete(listener);
      if (subscribed.listeners.size > 0 || this.#channels.get(name) !== subscribed) return;
      this.#channels.delete(name);
      const subscriber = await this.#redis.subscriber();
      await subscriber.unsubscribe(name);
    };
  }
}
