import { type Emulator, type ServerVersion, startEmulator } from '@infisical/emulator';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { InfisicalError } from '../src/index.ts';
import { clientFor, coreSeed, LIST, LOGIN } from './helpers.ts';
import { memoryFleet } from './memory-fleet.ts';

const COOLDOWN = { maxCooldownMs: 30_000 } as const;

async function rejection(promise: Promise<unknown>): Promise<InfisicalError> {
  return (await promise.then(
    () => expect.unreachable('expected a rejection'),
    (error: unknown) => error,
  )) as InfisicalError;
}

afterEach(() => {
  vi.useRealTimers();
});

describe.each<ServerVersion>(['latest', '2024-10'])('rate-limit budget against %s', (version) => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, seed: coreSeed, serverVersion: version });
  });
  afterAll(() => emulator.close());

  it('a rate limit with Retry-After 60 keeps the client quiet for 60 s, then it sends again', async () => {
    emulator.reset();
    vi.useFakeTimers({ toFake: ['Date'] });
    const errors: InfisicalError[] = [];
    const client = clientFor(emulator, {
      cacheTtl: 0,
      retry: COOLDOWN,
      onError: (error) => errors.push(error),
    });
    emulator.injectFault({ route: LIST, retryAfter: 60, times: 1 });
    const first = await rejection(client.getSecret('DB_HOST'));
    expect(first).toMatchObject({
      code: 'RATE_LIMITED',
      status: version === 'latest' ? 429 : 500,
      retryAfterMs: 60_000,
    });
    expect(emulator.requestCount(LIST)).toBe(1);
    vi.setSystemTime(Date.now() + 59_000);
    const held = await rejection(client.getSecret('DB_HOST'));
    expect(held).toMatchObject({ code: 'RATE_LIMITED', details: { cooldown: true } });
    await client.refresh();
    expect(errors.at(-1)).toMatchObject({ code: 'RATE_LIMITED' });
    expect(emulator.requestCount(LIST)).toBe(1);
    vi.setSystemTime(Date.now() + 1_001);
    expect((await client.getSecret('DB_HOST')).value).toBe('localhost');
    expect(emulator.requestCount(LIST)).toBe(2);
    client.close();
  });

  it('a rate limit one instance meets holds back the others of its fleet', async () => {
    emulator.reset();
    const fleet = memoryFleet();
    const errors: [InfisicalError[], InfisicalError[]] = [[], []];
    const [a, b] = errors.map((seen) =>
      clientFor(emulator, {
        cacheTtl: 0,
        retry: COOLDOWN,
        fleet: { bus: fleet.options().bus },
        onError: (error) => seen.push(error),
      }),
    ) as [ReturnType<typeof clientFor>, ReturnType<typeof clientFor>];
    // Both logged in and read once.
    await Promise.all([a.getSecret('DB_HOST'), b.getSecret('DB_HOST')]);
    expect(emulator.requestCount(LOGIN)).toBe(2);
    emulator.injectFault({ route: LIST, retryAfter: 40, times: 1 });
    await a.refresh();
    expect(errors[0].at(-1)).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 40_000 });
    const lists = emulator.requestCount(LIST);
    await vi.waitFor(() => expect(fleet.published.size).toBe(1));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await b.refresh();
    expect(errors[1].at(-1)?.message).toMatch(/Another instance of this fleet was rate limited/);
    // Still served from B's cache, without a request.
    expect((await b.getSecret('DB_HOST')).value).toBe('localhost');
    expect(emulator.requestCount(LIST)).toBe(lists);
    a.close();
    b.close();
  });
});
