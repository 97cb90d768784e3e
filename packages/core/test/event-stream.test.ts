import { type Emulator, type ServerVersion, startEmulator } from '@infisical/emulator';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { InfisicalClient, InfisicalError, SecretsChange } from '../src/index.ts';
import { clientFor, coreSeed, LIST, LOGIN } from './helpers.ts';
import { memoryFleet } from './memory-fleet.ts';

let emulator: Emulator | undefined;
const clients: InfisicalClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await emulator?.close();
  emulator = undefined;
});

async function start(
  serverVersion: ServerVersion = 'latest',
  reauthMs?: number,
): Promise<Emulator> {
  emulator = await startEmulator({
    port: 0,
    seed: coreSeed,
    serverVersion,
    events: { heartbeatMs: 100, ...(reauthMs ? { reauthMs } : {}) },
  });
  return emulator;
}

function watched(em: Emulator, options: Parameters<typeof clientFor>[1] = {}) {
  const changes: SecretsChange[] = [];
  const errors: InfisicalError[] = [];
  const client = clientFor(em, {
    cacheTtl: 300,
    updates: 'events',
    onError: (error) => errors.push(error),
    ...options,
  });
  clients.push(client);
  client.onChange((change) => changes.push(change));
  return { client, changes, errors };
}

const rotate = (em: Emulator, key: string, value: string) =>
  em.setSecret({ project: 'core-tests', environment: 'dev', key, value });

describe('event stream', () => {
  it('a rotation reaches onChange over the stream, long before the TTL', async () => {
    const em = await start();
    const { client, changes } = watched(em);
    expect((await client.getSecret('DB_HOST')).value).toBe('localhost');
    await vi.waitFor(() => expect(em.eventStreams().open).toBe(1));
    const at = Date.now();
    rotate(em, 'DB_HOST', 'pushed-host');
    await vi.waitFor(() => expect(changes).toHaveLength(1));
    expect(Date.now() - at).toBeLessThan(2000);
    expect(changes[0]).toMatchObject({ changed: ['DATABASE_URL', 'DB_HOST'] });
    expect((await client.getSecret('DB_HOST')).value).toBe('pushed-host');
  });

  it('reconnects after a drop and resyncs what changed meanwhile', async () => {
    const em = await start();
    const { client, changes } = watched(em);
    await client.getSecret('DB_HOST');
    await vi.waitFor(() => expect(em.eventStreams().open).toBe(1));
    em.eventStreamFault('drop');
    rotate(em, 'DB_HOST', 'changed-while-down');
    await vi.waitFor(() => expect(changes).toHaveLength(1), { timeout: 5000 });
    await vi.waitFor(() => expect(em.eventStreams()).toMatchObject({ open: 1, opened: 2 }));
    expect((await client.getSecret('DB_HOST')).value).toBe('changed-while-down');
  });

  it('logs in again when the server closes the stream for auth', async () => {
    const em = await start('latest', 150);
    const { client, changes } = watched(em);
    await client.getSecret('DB_HOST');
    await vi.waitFor(() => expect(em.eventStreams().open).toBe(1));
    em.store.tokens.clear();
    await vi.waitFor(() => expect(em.eventStreams().opened).toBe(2), { timeout: 5000 });
    expect(em.requestCount(LOGIN)).toBe(2);
    rotate(em, 'DB_HOST', 'after-relogin');
    await vi.waitFor(() => expect(changes.at(-1)?.changed).toContain('DB_HOST'));
  });

  it('2024-10 has no stream: the client says so once and keeps polling', async () => {
    const em = await start('2024-10');
    const { client, errors } = watched(em, { refreshInterval: 1 });
    await client.getSecret('DB_HOST');
    await client.listSecrets({ path: '/nested' });
    await vi.waitFor(() => expect(errors).toHaveLength(1));
    expect(errors[0]).toMatchObject({ code: 'NOT_FOUND', status: 404 });
    expect(errors[0]?.message).toMatch(/no event stream .* polling every 1 s/);
    rotate(em, 'DB_HOST', 'polled');
    await vi.waitFor(async () => expect((await client.getSecret('DB_HOST')).value).toBe('polled'), {
      timeout: 4000,
    });
    expect(errors).toHaveLength(1);
  });

  it("with fleet locks ('auto'), one instance holds the stream and every instance's onChange fires", async () => {
    const em = await start();
    const fleet = memoryFleet();
    const instances = [0, 1, 2].map(() => watched(em, { updates: 'auto', fleet: fleet.options() }));
    await Promise.all(instances.map(({ client }) => client.getSecret('DB_HOST')));
    await vi.waitFor(() => expect(em.eventStreams().open).toBe(1));
    rotate(em, 'DB_HOST', 'fleet-pushed');
    for (const { changes } of instances) await vi.waitFor(() => expect(changes).toHaveLength(1));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(em.eventStreams()).toMatchObject({ open: 1, opened: 1 });
    for (const { changes } of instances) expect(changes).toHaveLength(1);
  });

  it('when the stream holder closes, another instance takes the lease within the lease time and a rotation reaches every remaining instance once', async () => {
    const em = await start();
    const fleet = memoryFleet();
    /** Which instance opened each stream, in order. */
    const holders: number[] = [];
    const instances = [0, 1, 2].map((index) =>
      watched(em, {
        updates: 'auto',
        fleet: fleet.options(),
        debug: {
          debug: (message) => {
            if (message === 'Infisical event stream open') holders.push(index);
          },
        },
      }),
    );
    await Promise.all(instances.map(({ client }) => client.getSecret('DB_HOST')));
    await vi.waitFor(() => expect(holders).toHaveLength(1));
    expect(em.eventStreams()).toMatchObject({ open: 1, opened: 1 });
    const [first] = holders;
    instances[first as number]?.client.close();
    await vi.waitFor(() => expect(em.eventStreams().open).toBe(0));
    // The lease is released on close; a waiting instance tries again every half lease (7.5 s).
    await vi.waitFor(() => expect(em.eventStreams()).toMatchObject({ open: 1, opened: 2 }), {
      timeout: 15_000,
    });
    await vi.waitFor(() => expect(holders).toHaveLength(2));
    expect(holders[1]).not.toBe(first);
    const remaining = instances.filter((_, index) => index !== first);
    rotate(em, 'DB_HOST', 'after-takeover');
    for (const { changes } of remaining) await vi.waitFor(() => expect(changes).toHaveLength(1));
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const { client, changes } of remaining) {
      expect(changes).toHaveLength(1);
      expect(changes[0]?.changed).toContain('DB_HOST');
      expect((await client.getSecret('DB_HOST')).value).toBe('after-takeover');
    }
    expect(em.eventStreams()).toMatchObject({ open: 1, opened: 2 });
  }, 30_000);

  it('an event whose refetch still shows the named key unchanged (a read behind the write) is refetched again shortly; one that shows it changed is not', async () => {
    const em = await start();
    // A read replica behind the write, for `behind` list answers: the last answer seen again.
    let behind = 0;
    let last: string | undefined;
    const lagging: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (!String(input instanceof Request ? input.url : input).includes('/api/v3/secrets/raw'))
        return response;
      if (behind > 0 && last !== undefined) {
        behind--;
        await response.arrayBuffer();
        return new Response(last, { status: 200, headers: { 'content-type': 'application/json' } });
      }
      last = await response.clone().text();
      return response;
    };
    const { client, changes } = watched(em, { fetch: lagging });
    await client.getSecret('DB_HOST');
    await vi.waitFor(() => expect(em.eventStreams().open).toBe(1));
    behind = 1;
    rotate(em, 'DB_HOST', 'behind-the-write');
    await vi.waitFor(() => expect(changes).toHaveLength(1), { timeout: 3000 });
    expect(behind).toBe(0);
    expect(changes[0]?.changed).toContain('DB_HOST');
    expect((await client.getSecret('DB_HOST')).value).toBe('behind-the-write');
    expect(em.requestCount(LIST)).toBe(3);
    rotate(em, 'DB_HOST', 'read-at-once');
    await vi.waitFor(() => expect(changes).toHaveLength(2));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(em.requestCount(LIST)).toBe(4);
  });

  it('refuses an unknown updates mode', () => {
    expect(() =>
      clientFor({ url: 'http://127.0.0.1:1' } as Emulator, { updates: 'push' as never }),
    ).toThrow(/updates must be one of 'auto', 'events', 'poll'/);
  });
});
