import { describe, expect, it } from 'vitest';
import { withInfisical } from './index.js';

// Loading itself runs in a worker thread of the built package: see test/with-infisical.test.ts.
describe('withInfisical arguments', () => {
  it.each([
    ['a string', 'next.config.js', 'withInfisical got a string instead of a Next config'],
    ['null', null, 'withInfisical got a null instead of a Next config'],
  ])('rejects %s as the config, before loading anything', (_, config, message) => {
    expect(() => withInfisical(config as never)).toThrow(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        message: expect.stringContaining(message),
      }),
    );
  });

  it('rejects options that are not an object', () => {
    expect(() => withInfisical({}, null as never)).toThrow(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        message: expect.stringContaining('withInfisical options must be an object'),
      }),
    );
  });

  it('rejects function-valued options by name', () => {
    expect(() => withInfisical({}, { fetch: globalThis.fetch } as never)).toThrow(
      expect.objectContaining({
        message: expect.stringContaining('option fetch is not plain data'),
      }),
    );
  });
});
