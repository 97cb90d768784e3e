import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Emulator } from '@infisical/emulator';
import { infisicalEnv, run, startDemoEmulator } from 'test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

let emulator: Emulator;
beforeAll(async () => {
  if (!existsSync(`${packageDir}/dist/index.cjs`) || !existsSync(`${packageDir}/dist/index.js`)) {
    throw new Error('dist/ is missing: build the package first (pnpm turbo run build).');
  }
  emulator = await startDemoEmulator();
});
afterAll(() => emulator?.close());

describe('the built package', () => {
  it.each([
    ['cjs', 'require.cjs'],
    ['esm', 'import.mjs'],
  ])('works from %s (%s)', async (format, file) => {
    const { code, output } = await run(process.execPath, [`test/fixtures/${file}`], {
      cwd: packageDir,
      env: infisicalEnv(emulator),
      timeoutMs: 30_000,
    });
    expect(code, output).toBe(0);
    expect(JSON.parse(output.trim())).toEqual({
      format,
      answer: { length: 19, end: '03' },
      isInfisicalError: 'function',
    });
  });
});
