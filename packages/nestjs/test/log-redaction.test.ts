/**
 * `redactLogs` through `InfisicalModule`: Nest's own `ConsoleLogger` (which writes to
 * `process.stdout` / `process.stderr` directly) and `console` redacted from load to shutdown,
 * following rotation, against the real emulator.
 */
import type { Emulator } from '@infisical/emulator';
import { ConsoleLogger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { startDemoEmulator } from 'test-utils';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { InfisicalModule, InfisicalService } from '../src/index.ts';
import { demoOptions, rotate } from './helpers.ts';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startDemoEmulator();
});
afterAll(() => emulator.close());

/** What `fn` writes to stdout and stderr, and logs through `console.log`. */
async function captured(fn: () => Promise<void>): Promise<string> {
  const out: string[] = [];
  const keep = (chunk: unknown): boolean => out.push(String(chunk)) > 0;
  const spies = [
    vi.spyOn(process.stdout, 'write').mockImplementation(keep),
    vi.spyOn(process.stderr, 'write').mockImplementation(keep),
  ];
  try {
    await fn();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return out.join('');
}

describe('redactLogs', () => {
  it("redacts Nest's ConsoleLogger, Error stacks included, until shutdown, following rotation", async () => {
    const rotated = 'demo-api-token-rotated-77';
    const logger = new ConsoleLogger('App', { colors: false });
    let after = '';
    const text = await captured(async () => {
      const moduleRef = await Test.createTestingModule({
        imports: [InfisicalModule.forRoot(demoOptions(emulator, { redactLogs: true }))],
      }).compile();
      const infisical = moduleRef.get(InfisicalService);
      logger.log(`connecting to ${infisical.get('DATABASE_URL')}`);
      const failure = new Error(`call failed with ${infisical.get('API_TOKEN')}`);
      logger.error('the call failed', failure.stack);
      logger.error(failure);
      logger.warn(() => `lazy ${infisical.get('SESSION_SECRET')}`);
      rotate(emulator, 'API_TOKEN', rotated);
      await infisical.refresh();
      logger.log(`now ${rotated}`);
      await moduleRef.close();
      after = await captured(async () => logger.log(`after shutdown ${rotated}`));
    });
    for (const value of ['demo-db-password', 'demo-api-token-0003', 'demo-session-secret-3f9a1c'])
      expect(text).not.toContain(value);
    expect(text).not.toContain(rotated);
    // The URL holds DB_PASSWORD and DB_HOST too: overlapping values merge into one mark.
    expect(text).toContain('connecting to [redacted:DATABASE_URL,DB_PASSWORD,DB_HOST]');
    expect(text).toContain('call failed with [redacted:API_TOKEN]');
    expect(text).toMatch(/call failed with \[redacted:API_TOKEN\]\n\s+at /);
    expect(text).toContain('lazy [redacted:SESSION_SECRET]');
    expect(text).toContain('now [redacted:API_TOKEN]');
    expect(after).toContain(`after shutdown ${rotated}`);
  });

  it('leaves the logger alone without it', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [InfisicalModule.forRoot(demoOptions(emulator))],
    }).compile();
    const logger = new ConsoleLogger('App', { colors: false });
    const text = await captured(async () => logger.log('token demo-api-token-0003'));
    expect(text).toContain('token demo-api-token-0003');
    await moduleRef.close();
  });
});
