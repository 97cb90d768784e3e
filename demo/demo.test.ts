/**
 * The README's demo, run headless: the emulator and the four example apps start, every URL of the
 * table answers with secrets from the emulator, and Ctrl-C (SIGINT) stops everything.
 */
import { fileURLToPath } from 'node:url';
import { freePort, startProcess } from 'test-utils';
import { describe, expect, it } from 'vitest';

const demo = fileURLToPath(new URL('./demo.mjs', import.meta.url));

describe('the demo', () => {
  it('starts the emulator and every example app, serves them, and stops cleanly on SIGINT', async () => {
    const ports = {
      emulator: await freePort(),
      vite: await freePort(),
      next: await freePort(),
      nest: await freePort(),
      express: await freePort(),
    };
    const proc = startProcess(process.execPath, [demo], {
      env: {
        DEMO_EMULATOR_PORT: String(ports.emulator),
        DEMO_VITE_PORT: String(ports.vite),
        DEMO_NEXT_PORT: String(ports.next),
        DEMO_NEST_PORT: String(ports.nest),
        DEMO_EXPRESS_PORT: String(ports.express),
      },
    });
    try {
      await proc.waitFor(/Press Ctrl-C to stop everything/, 540_000);
      const table = proc.output().split('Demo ready')[1]?.split('Rotate a secret')[0] ?? '';
      const urls = [...table.matchAll(/http:\/\/127\.0\.0\.1:\d+\S*/g)].map((m) => m[0]);
      expect(urls).toHaveLength(5);
      expect((await fetch(`${urls[0]}/api/status`)).status).toBe(200);
      for (const url of urls.slice(1)) expect((await fetch(url)).status).toBe(200);

      const get = async (port: number, path: string) =>
        (await fetch(`http://127.0.0.1:${port}${path}`)).text();
      expect(await get(ports.vite, '/')).toContain('<script type="module"');
      expect(await get(ports.next, '/')).toContain('Hello from Infisical, through Next.js (dev)');
      expect(JSON.parse(await get(ports.next, '/api/secret'))).toMatchObject({
        key: 'SESSION_SECRET',
      });
      expect(JSON.parse(await get(ports.nest, '/secrets/DATABASE_URL'))).toMatchObject({
        name: 'DATABASE_URL',
        length: 52,
      });
      expect(JSON.parse(await get(ports.express, '/secrets'))).toMatchObject({
        greeting: 'Hello from Infisical (dev)',
      });
      // Masked everywhere: no private demo value is printed or served.
      const served = [
        await get(ports.next, '/'),
        await get(ports.nest, '/secrets/DATABASE_URL'),
        await get(ports.express, '/secrets'),
        proc.output(),
      ].join('\n');
      for (const value of ['demo-db-password', 'demo-session-secret-3f9a1c', 'demo-api-token-0003'])
        expect(served).not.toContain(value);
    } finally {
      proc.child.kill('SIGINT');
    }
    expect(await proc.exited).toBe(0);
    expect(proc.output()).toContain('Demo stopped.');
    for (const port of Object.values(ports)) {
      await expect(
        fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2000) }),
      ).rejects.toThrow();
    }
  });
});
