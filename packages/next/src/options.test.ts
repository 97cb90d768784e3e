import { describe, expect, it } from 'vitest';
import { assertPlainData } from './options.js';

describe('assertPlainData', () => {
  it('accepts strings, numbers, booleans, arrays and plain objects', () => {
    expect(() =>
      assertPlainData({
        siteUrl: 'http://127.0.0.1:8080',
        auth: { universalAuth: { clientId: 'id', clientSecret: 'fake' } },
        retry: { maxRetries: 0 },
        required: ['A'],
        debug: true,
        leakCheck: { ignore: ['DB_HOST'], minLength: 8 },
        env: Object.assign(Object.create(null), { A: 'b' }),
      }),
    ).not.toThrow();
  });

  it.each([
    ['schema', { '~standard': { version: 1, validate: () => ({ value: {} }) } }],
    ['onError', () => {}],
    ['auth', { name: 'custom', renewable: false, login: async () => ({}) }],
    ['client', new (class InfisicalClient {})()],
  ])('names the first option that is not plain data: %s', (key, value) => {
    expect(() => assertPlainData({ projectId: 'p', [key]: value })).toThrow(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        message: expect.stringContaining(`withInfisical option ${key} is not plain data`),
      }),
    );
  });
});
