/**
 * Hostile options: `redisFleet(...)` and core's `fleet` option refuse typos, wrong types and
 * prototype keys with `CONFIG_INVALID` naming the problem and the fix, and never quote a
 * password. No server is needed: everything here fails before any connection.
 *
 * @module
 */
import { inspect } from 'node:util';
import { awsIamAuth, InfisicalClient, type InfisicalClientOptions } from '@infisical/core';
import { describe, expect, it } from 'vitest';
import { redisFleet } from '../src/index.ts';

const PASSWORD = 'fake-redis-password-7731';
const base: InfisicalClientOptions = {
  siteUrl: 'http://127.0.0.1:1',
  auth: { universalAuth: { clientId: 'fake-id', clientSecret: 'fake-secret' } },
  projectId: 'p',
  environment: 'dev',
  env: {},
};
const fleet = redisFleet({ url: `redis://:${PASSWORD}@127.0.0.1:1` });

function configError(run: () => unknown): { code: string; message: string } {
  try {
    run();
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('expected a throw');
}

describe('redisFleet options', () => {
  it('refuses an unknown option, naming it and the right one', () => {
    const error = configError(() => redisFleet({ url: 'redis://x', keyPrefix: 'a:' } as never));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain('"keyPrefix"');
    expect(error.message).toContain('"prefix"');
  });

  it('wants exactly one of url and client', () => {
    expect(configError(() => redisFleet({})).message).toContain('exactly one of url and client');
    const both = { url: 'redis://x', client: {} } as never;
    expect(configError(() => redisFleet(both)).code).toBe('CONFIG_INVALID');
  });

  it('refuses non-objects, a bad URL (never quoted), a bad client and a bad prefix', () => {
    for (const value of [null, 'redis://x', [], 42]) {
      expect(configError(() => redisFleet(value as never)).code).toBe('CONFIG_INVALID');
    }
    const badUrl = configError(() => redisFleet({ url: `http://:${PASSWORD}@host` }));
    expect(badUrl.code).toBe('CONFIG_INVALID');
    expect(badUrl.message).not.toContain(PASSWORD);
    expect(configError(() => redisFleet({ client: { connect() {} } as never })).message).toContain(
      'node-redis client',
    );
    for (const prefix of ['', 'a b', 7]) {
      expect(
        configError(() => redisFleet({ url: 'redis://x', prefix: prefix as never })).code,
      ).toBe('CONFIG_INVALID');
    }
  });

  it('an own __proto__ key is an unknown option, not a prototype', () => {
    const options = JSON.parse('{"url":"redis://x","__proto__":{"prefix":""}}');
    expect(configError(() => redisFleet(options)).message).toContain('"__proto__"');
  });

  it('util.inspect shows no URL or password', () => {
    expect(inspect(fleet, { depth: 5 })).not.toContain(PASSWORD);
    expect(inspect(fleet, { depth: 5 })).not.toContain('127.0.0.1');
  });
});

describe("core's fleet option", () => {
  it('refuses a typo in a member name, naming the nearest one', () => {
    const error = configError(
      () => new InfisicalClient({ ...base, fleet: { caches: fleet.cache } as never }),
    );
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain('caches');
  });

  it('refuses a member without its methods, and a fleet that shares nothing', () => {
    const bad = configError(
      () => new InfisicalClient({ ...base, fleet: { cache: { get() {} } as never } }),
    );
    expect(bad.message).toContain('fleet.cache must implement get, set, delete');
    expect(configError(() => new InfisicalClient({ ...base, fleet: {} })).message).toContain(
      'shares nothing',
    );
  });

  it('refuses a key that is not 32 bytes of base64, never quoting it', () => {
    const key = 'not-a-key-fake-0001';
    const error = configError(
      () => new InfisicalClient({ ...base, fleet: { cache: fleet.cache, key } }),
    );
    expect(error.message).toContain('fleet.key must be 32 bytes');
    expect(error.message).not.toContain(key);
  });

  it('refuses a timeout that is not a duration above 0 and up to 24 days', () => {
    for (const timeout of [0, -1, Number.NaN, 1e12, 'soon' as never]) {
      const error = configError(
        () => new InfisicalClient({ ...base, fleet: { cache: fleet.cache, timeout } }),
      );
      expect(error.code).toBe('CONFIG_INVALID');
      expect(error.message).toContain('fleet.timeout');
    }
  });

  it('wants fleet.key for an auth method whose instances share no secret', () => {
    const error = configError(
      () =>
        new InfisicalClient({
          ...base,
          auth: awsIamAuth({ identityId: 'fake-identity' }),
          fleet: { cache: fleet.cache },
        }),
    );
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain('fleet.key');
  });
});
