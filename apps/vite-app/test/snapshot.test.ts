import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Emulator } from '@infisical/emulator';
import { startDemoEmulator } from 'test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveVite } from './app.ts';

interface Report {
  source: string;
  public: Record<string, string>;
}

let emulator: Emulator;
let dir: string;
beforeAll(async () => {
  emulator = await startDemoEmulator();
  dir = await mkdtemp(join(tmpdir(), 'vite-app-snapshot-'));
});
afterAll(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

const report = async (url: string): Promise<Report> =>
  (await (await fetch(`${url}api/secrets`)).json()) as Report;

describe('dev server with a last-known-good snapshot (INFISICAL_SNAPSHOT_PATH)', () => {
  it('starts from the snapshot while Infisical is unreachable for the whole start, then follows live values', async () => {
    const env = {
      INFISICAL_SNAPSHOT_PATH: join(dir, 'state', 'snapshot'),
      INFISICAL_CACHE_TTL: '1',
    };
    const first = await serveVite(emulator, 'dev', env);
    try {
      expect((await report(first.url)).source).toBe('infisical');
    } finally {
      await first.server.stop();
    }

    emulator.injectFault({ route: '*', reset: true });
    emulator.setSecret({
      project: 'demo-app',
      environment: 'dev',
      key: 'VITE_PUBLIC_GREETING',
      value: 'Back from the outage',
    });
    const cold = await serveVite(emulator, 'dev', env);
    try {
      expect(await report(cold.url)).toMatchObject({
        source: 'snapshot',
        public: { VITE_PUBLIC_GREETING: 'Hello from Infisical, through Vite (dev)' },
      });
      expect(cold.server.output()).toMatch(/serving the last-known-good snapshot/);

      emulator.clearFaults();
      await expect
        .poll(async () => (await report(cold.url)).source, { timeout: 40_000, interval: 250 })
        .toBe('infisical');
      expect((await report(cold.url)).public.VITE_PUBLIC_GREETING).toBe('Back from the outage');
      expect(cold.server.output()).toContain('public secrets changed: reloading the page');
      expect(cold.server.output()).not.toContain('demo-session-secret-3f9a1c');
    } finally {
      await cold.server.stop();
    }
  });
});
