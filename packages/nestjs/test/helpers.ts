import type { Emulator } from '@infisical/emulator';
import type { LoggerService } from '@nestjs/common';
import { DEMO_CREDENTIALS, demoLoadOptions } from 'test-utils';
import type { InfisicalModuleOptions } from '../src/index.ts';

/** The list route the loader reads (the one faults are injected on). */
export const LIST_ROUTE = 'GET /api/v3/secrets/raw';

/** Every value of the demo seed's dev environment that must never be printed. */
export const DEMO_VALUES = [
  'demo-api-token-0003',
  'demo-db-password',
  'demo-session-secret-3f9a1c',
  'sk_test_demo_0000000000',
  DEMO_CREDENTIALS.clientSecret,
];

/** Options pointing at the emulator with the demo identity, ignoring process.env. */
export function demoOptions(
  emulator: Emulator,
  extra: InfisicalModuleOptions = {},
): InfisicalModuleOptions {
  return {
    ...demoLoadOptions(emulator.url),
    retry: { maxRetries: 0 },
    ...extra,
  };
}

/** Changes a secret of the demo project's dev environment from outside (rotation). */
export function rotate(emulator: Emulator, key: string, value: string): void {
  emulator.setSecret({ project: 'demo-app', environment: 'dev', key, value });
}

/** Polls `check` until it returns true, or fails after `timeoutMs`. */
export async function waitUntil(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A Nest logger that keeps what it is given, to assert on (and keep test output quiet). */
export function capturingLogger(): LoggerService & { lines: string[] } {
  const lines: string[] = [];
  const keep =
    (level: string) =>
    (...parts: unknown[]) =>
      void lines.push(`${level} ${parts.map(String).join(' ')}`);
  return {
    lines,
    log: keep('log'),
    error: keep('error'),
    warn: keep('warn'),
    debug: keep('debug'),
    verbose: keep('verbose'),
    fatal: keep('fatal'),
  };
}
